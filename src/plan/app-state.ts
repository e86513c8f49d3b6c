import type { RobotApi } from '../vendor/types.js'
import { describeCode } from '../vendor/codes.js'
import { isValid, type Manifest } from '../manifest/types.js'
import type { VendorState } from './types.js'

/**
 * Reads what the app has now: its robots, and the profiles of those the
 * manifest names. Only reading commands; a dry run with credentials stops here.
 *
 * When a read fails in a way that does not doom the run, the plan degrades
 * instead of failing: without the list every entry is planned as create (the
 * vendor makes no second robot for a repeated UserID); without a profile the
 * plan decides from why it could not be read (see planEntry).
 */
export async function readVendorState(client: RobotApi, manifest: Manifest): Promise<VendorState> {
  const notes: string[] = []
  // Every entry may be created or updated, and every retired UserID deleted, at once after the listing.
  const listing = await client.listRobots(manifest.entries.length + manifest.retired.length)
  // An answer that stops the run (credentials, region) is said once, as the run's cause.
  if (client.halt) return { robots: null, profiles: new Map(), notes, stopped: true }
  if (listing.kind !== 'ok') {
    if (listing.kind === 'failed') notes.push(`get_all_robots failed (${describeFailure(listing.code, listing.info)}).`)
    return { robots: null, profiles: new Map(), notes }
  }
  const robots = listing.value
  const present = new Set(robots)
  const wanted = manifest.entries.filter(entry => isValid(entry) && present.has(entry.UserID as string)).map(entry => entry.UserID as string)
  if (wanted.length === 0) return { robots, profiles: new Map(), notes }

  const read = await client.readProfiles([...new Set(wanted)])
  if (client.halt) return { robots, profiles: new Map(), notes, stopped: true }
  if (read.kind !== 'ok') {
    if (read.kind === 'skipped') return { robots, profiles: new Map(), notes }
    notes.push(`portrait_get failed (${describeFailure(read.code, read.info)}); profiles of existing robots were not compared.`)
    const failure = { ok: false as const, code: read.code, info: read.info }
    return { robots, profiles: new Map(wanted.map(id => [id, failure])), notes }
  }
  return { robots, profiles: read.value, notes }
}

function describeFailure(code: number | null, info: string): string {
  return code === null ? info : `${code}, ${describeCode(code).meaning}: ${info}`
}

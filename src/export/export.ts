/**
 * Export: the manifest of what the app has. Only reading calls — the robots,
 * then their profiles — and the file is written only when both were read: a
 * half-read app must not become a manifest that a later apply would enforce.
 */
import type { RobotApi } from '../vendor/types.js'
import { describeCode } from '../vendor/codes.js'
import { renderManifest } from './render.js'
import type { AppRobot, ExportedManifest } from './types.js'
import { ExportError, prepareExportPath, writeExport } from './write.js'

export { ExportError }

export async function exportApp(client: RobotApi, workspace: string, exportPath: string): Promise<ExportedManifest> {
  const destination = await prepareExportPath(workspace, exportPath)
  const listing = await client.listRobots()
  if (listing.kind !== 'ok') throw new ExportError(`The app's robots could not be listed (${describe(listing)}), so nothing was exported.`)
  const profiles = listing.value.length > 0 ? await client.readProfiles(listing.value) : null
  if (profiles && profiles.kind !== 'ok')
    throw new ExportError(`The profiles of the app's robots could not be read (${describe(profiles)}), so nothing was exported.`)

  const notes: string[] = []
  const robots = [...new Set(listing.value)].map((userId): AppRobot => {
    const read = profiles?.kind === 'ok' ? profiles.value.get(userId) : undefined
    if (read?.ok) return { UserID: userId, profile: read.profile }
    // The vendor may not serve a robot's profile (README: what the vendor does not say): its UserID still belongs in the manifest.
    const why = !read ? 'no answer for it' : read.code === null ? read.info : `${read.code}, ${describeCode(read.code).meaning}`
    notes.push(`${userId}: exported without its profile, which could not be read (${why}); add its Nick, FaceUrl and SelfSignature by hand if it has them.`)
    return { UserID: userId, profile: {} }
  })
  const text = renderManifest(robots)
  await writeExport(destination, text)
  return { file: destination.file, text, robots: robots.length, notes }
}

function describe(outcome: { kind: 'failed'; code: number | null; info: string } | { kind: 'skipped'; reason: string }): string {
  if (outcome.kind === 'skipped') return outcome.reason
  return outcome.code === null ? outcome.info : `${outcome.code}, ${describeCode(outcome.code).meaning}: ${outcome.info}`
}

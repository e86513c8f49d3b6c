import { isValid, type Manifest, type ManifestEntry, type ManifestProblem } from '../manifest/types.js'
import type { FieldChange, Plan, PlanItem, PlanOptions, VendorState } from './types.js'
import { describeCode } from '../vendor/codes.js'
import { MAX_ROBOTS_PER_APP, PROFILE_FIELD_NAMES, type Profile } from '../manifest/fields.js'

/**
 * Plan: what each robot needs, decided before anything is written. The plan is
 * pure — it compares the manifest with what the app has — so a dry run and an
 * apply show the same thing, and the apply only carries it out.
 */

export function planRobots(manifest: Manifest, state: VendorState | null, options: PlanOptions): Plan {
  const listed = state?.robots ? new Set(state.robots) : null
  const notes = [...(state?.notes ?? [])]
  if (state && !state.robots) {
    notes.push('Every entry is planned as create, which the vendor makes safe to repeat; a changed profile of an existing robot is not detected, and the 20-robot limit is checked against the manifest only.')
  }
  const items: PlanItem[] = manifest.entries.map(entry => planEntry(entry, listed, state))

  const inManifest = new Set(manifest.entries.map(entry => entry.UserID).filter((id): id is string => id !== null))
  const others = state?.robots?.filter(id => !inManifest.has(id)) ?? []
  let unmanaged: string[] = []
  if (options.prune && state?.robots) {
    for (const userId of others) items.push({ userId, entry: null, action: 'delete', changes: [] })
  } else {
    unmanaged = others
    if (options.prune && state && !state.robots) notes.push('prune was skipped: the app\'s robots could not be listed, so the action cannot tell which to delete.')
    if (options.prune && !state) notes.push('prune is not planned in a dry run without credentials: the app\'s robots are not known.')
  }

  const problems = limitProblems(manifest, items, state, options)
  const errors = manifest.problems.filter(p => p.severity === 'error').length + problems.length
  if (errors > 0) {
    const reason = `not applied: ${errors} problem${errors === 1 ? '' : 's'} in the manifest to fix first`
    for (const item of items) if (item.action !== 'invalid') item.blocked = reason
  }
  return { live: state !== null, items, unmanaged, problems, notes }
}

function planEntry(entry: ManifestEntry, listed: Set<string> | null, state: VendorState | null): PlanItem {
  const base = { userId: entry.UserID, entry }
  if (!isValid(entry)) return { ...base, action: 'invalid', changes: [] }
  const userId = entry.UserID as string
  if (state === null) return { ...base, action: 'create', changes: [] }
  if (listed === null || !listed.has(userId)) return { ...base, action: 'create', changes: [] }

  const read = state.profiles.get(userId)
  const declared = PROFILE_FIELD_NAMES.filter(field => entry.profile[field] !== undefined)
  if (!read || !read.ok) {
    const why = read && !read.ok ? (read.code === null ? read.info : `code ${read.code}`) : 'no answer for it'
    if (read && !read.ok && read.code !== null && describeCode(read.code).noProfile) {
      // The profile APIs do not serve this robot: portrait_set would fail the same way.
      return { ...base, action: 'create', changes: [], note: `its profile could not be read (${why}), so create_robot is sent again with the manifest's fields: the vendor makes no second robot, and whether it updates the profile is not documented` }
    }
    // Unknown current values: send every declared field, so the robot converges anyway.
    const changes = declared.map(field => ({ field, from: null, to: entry.profile[field] as string }))
    return { ...base, action: changes.length > 0 ? 'update' : 'unchanged', changes, note: `its profile could not be read (${why}); all declared fields are sent` }
  }
  const changes = diffProfile(read.profile, entry.profile)
  return { ...base, action: changes.length > 0 ? 'update' : 'unchanged', changes }
}

/** A field left out of the manifest is not managed: only declared fields are compared. */
export function diffProfile(current: Profile, wanted: Profile): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of PROFILE_FIELD_NAMES) {
    const to = wanted[field]
    if (to === undefined) continue
    const from = current[field] ?? ''
    if (from !== to) changes.push({ field, from: current[field] ?? null, to })
  }
  return changes
}

/** The vendor's 20-robot limit counts the robots the app keeps plus the new ones. */
function limitProblems(manifest: Manifest, items: PlanItem[], state: VendorState | null, options: PlanOptions): ManifestProblem[] {
  if (!state?.robots) return []
  const existing = new Set(state.robots)
  // A create for a robot the app already has (re-confirmed) adds nothing.
  const creates = items.filter(item => item.action === 'create' && !existing.has(item.userId as string))
  const deletes = items.filter(item => item.action === 'delete').length
  const kept = state.robots.length - deletes
  const total = kept + creates.length
  if (total <= MAX_ROBOTS_PER_APP || creates.length === 0) return []
  const inManifest = new Set(manifest.entries.map(entry => entry.UserID))
  const unlisted = options.prune ? 0 : state.robots.filter(id => !inManifest.has(id)).length
  const excess = total - MAX_ROBOTS_PER_APP
  const entries = `${excess} new entr${excess === 1 ? 'y' : 'ies'}`
  const firstOver = creates[Math.max(0, MAX_ROBOTS_PER_APP - kept)]?.entry ?? creates[0].entry
  const wayOut = unlisted > 0
    ? `Remove ${entries}, or set prune: true to delete the ${unlisted} robot${unlisted === 1 ? '' : 's'} the manifest does not list.`
    : `Remove ${entries} from the manifest.`
  return [{
    severity: 'error',
    file: manifest.file,
    line: firstOver?.position.line ?? 1,
    column: firstOver?.position.column ?? 1,
    message: `The app would have ${total} robots; the vendor allows ${MAX_ROBOTS_PER_APP}. It keeps ${kept} existing robot${kept === 1 ? '' : 's'}${unlisted > 0 ? ` (${unlisted} of them not in the manifest)` : ''} and the manifest adds ${creates.length} new ones. ${wayOut}`
  }]
}

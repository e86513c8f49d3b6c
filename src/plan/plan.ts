import { isValid, type Manifest, type ManifestEntry, type ManifestProblem, type RetiredEntry } from '../manifest/types.js'
import type { FieldChange, NotCompared, Plan, PlanItem, PlanOptions, VendorState } from './types.js'
import { describeCode } from '../vendor/codes.js'
import { MAX_ROBOTS_PER_APP, PROFILE_FIELD_NAMES, USER_ID_PREFIX, type Profile } from '../manifest/fields.js'

/**
 * Plan: what each robot needs, decided before anything is written. The plan is
 * pure — it compares the manifest with what the app has — so a dry run and an
 * apply show the same thing, and the apply only carries it out.
 */

export function planRobots(manifest: Manifest, state: VendorState | null, options: PlanOptions): Plan {
  const notCompared: NotCompared | null =
    state === null ? (options.unread ?? 'no-credentials') : state.stopped ? 'stopped' : state.robots === null ? 'list-failed' : null
  // With no list at all, nothing can be compared; a failed list still lets creates go out (safe to repeat).
  const app = notCompared === null || notCompared === 'list-failed' ? state : null
  const listed = app?.robots ? new Set(app.robots) : null
  const notes = [...(state?.notes ?? [])]
  if (notCompared === 'list-failed') {
    notes.push(
      'Every entry is planned as create, which the vendor makes safe to repeat; a changed profile of an existing robot is not detected, and the 20-robot limit is checked against the manifest only.'
    )
  }
  const items: PlanItem[] = manifest.entries.map(entry => planEntry(entry, listed, app))
  items.push(...manifest.retired.map(retired => planRetired(retired, listed, notCompared)))

  const inManifest = new Set([...manifest.entries, ...manifest.retired].map(entry => entry.UserID).filter((id): id is string => id !== null))
  const others = listed ? [...listed].filter(id => !inManifest.has(id)) : []
  let unmanaged: string[]
  if (options.prune && listed) {
    // Only what is shaped like a chatbot is pruned: a listing that names anything else is odd, and a deletion is for ever.
    const notRobots = others.filter(userId => !userId.startsWith(USER_ID_PREFIX))
    for (const userId of others) if (userId.startsWith(USER_ID_PREFIX)) items.push({ userId, entry: null, action: 'delete', changes: [] })
    unmanaged = notRobots
    if (notRobots.length > 0)
      notes.push(
        `The app's listing named ${notRobots.length} account${notRobots.length === 1 ? '' : 's'} that ${notRobots.length === 1 ? 'is not a chatbot UserID' : 'are not chatbot UserIDs'} (not starting with "${USER_ID_PREFIX}"); prune does not delete ${notRobots.length === 1 ? 'it' : 'them'}.`
      )
  } else {
    unmanaged = others
    if (options.prune && notCompared === 'list-failed')
      notes.push("prune was skipped: the app's robots could not be listed, so the action cannot tell which to delete.")
    if (options.prune && (notCompared === 'no-credentials' || notCompared === 'fork'))
      notes.push("prune is not planned in a dry run without credentials: the app's robots are not known.")
  }

  const problems = limitProblems(manifest, items, listed, options)
  const errors = manifest.problems.filter(p => p.severity === 'error').length + problems.length
  if (errors > 0) {
    const reason = `not applied: ${errors} problem${errors === 1 ? '' : 's'} in the manifest to fix first`
    for (const item of items) if (item.action !== 'invalid') item.blocked = reason
  }
  return { notCompared, items, unmanaged, problems, notes }
}

function planEntry(entry: ManifestEntry, listed: Set<string> | null, state: VendorState | null): PlanItem {
  const base = { userId: entry.UserID, entry }
  if (!isValid(entry)) return { ...base, action: 'invalid', changes: [] }
  const userId = entry.UserID as string
  if (state === null) return { ...base, action: 'not-compared', changes: [] }
  if (listed === null || !listed.has(userId)) return { ...base, action: 'create', changes: [] }

  const read = state.profiles.get(userId)
  const declared = PROFILE_FIELD_NAMES.filter(field => entry.profile[field] !== undefined)
  if (read?.ok) {
    const changes = diffProfile(read.profile, entry.profile)
    return { ...base, action: changes.length > 0 ? 'update' : 'unchanged', changes }
  }
  // The profile could not be read: nothing declared means nothing to compare.
  if (declared.length === 0) return { ...base, action: 'unchanged', changes: [] }
  const unknown = declared.map((field): FieldChange => ({ field, from: null, to: entry.profile[field] as string, unread: true }))
  if (read && read.code !== null && describeCode(read.code).noProfile) {
    // The profile APIs do not serve this robot: its fields can be neither compared nor
    // written, so a declared field is a change that cannot be made.
    return { ...base, action: 'update', changes: unknown, refused: { code: read.code, info: read.info } }
  }
  // Unknown current values for another reason: send every declared field, so the robot converges anyway.
  const why = read ? (read.code === null ? read.info : `code ${read.code}`) : 'no answer for it'
  return { ...base, action: 'update', changes: unknown, note: `its profile could not be read (${why}); all declared fields are sent` }
}

/** A retired UserID is deleted when the app still has it; when it does not, there is nothing to do. */
function planRetired(retired: RetiredEntry, listed: Set<string> | null, notCompared: NotCompared | null): PlanItem {
  const base = { userId: retired.UserID, entry: null, retired, changes: [] }
  if (!isValid(retired)) return { ...base, action: 'invalid' }
  if (listed === null) {
    const item: PlanItem = { ...base, action: 'not-compared' }
    // Without the list a delete cannot be told from a robot long gone: nothing is sent.
    if (notCompared === 'list-failed')
      item.blocked = "not deleted: the app's robots could not be listed, so the action cannot tell whether it still has this robot; run again"
    return item
  }
  return { ...base, action: listed.has(retired.UserID as string) ? 'delete' : 'unchanged' }
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
function limitProblems(manifest: Manifest, items: PlanItem[], listed: Set<string> | null, options: PlanOptions): ManifestProblem[] {
  if (!listed) return []
  const creates = items.filter(item => item.action === 'create')
  const deletes = items.filter(item => item.action === 'delete').length
  const kept = listed.size - deletes
  const total = kept + creates.length
  if (total <= MAX_ROBOTS_PER_APP || creates.length === 0) return []
  const inManifest = new Set([...manifest.entries, ...manifest.retired].map(entry => entry.UserID))
  const unlisted = options.prune ? 0 : [...listed].filter(id => !inManifest.has(id)).length
  const excess = total - MAX_ROBOTS_PER_APP
  const firstOver = creates[Math.max(0, MAX_ROBOTS_PER_APP - kept)]?.entry ?? creates[0].entry
  return [
    {
      severity: 'error',
      file: manifest.file,
      line: firstOver?.position.line ?? 1,
      column: firstOver?.position.column ?? 1,
      message: `The app would have ${total} robots; the vendor allows ${MAX_ROBOTS_PER_APP}. It keeps ${kept} existing robot${kept === 1 ? '' : 's'}${unlisted > 0 ? ` (${unlisted} of them not in the manifest)` : ''} and the manifest adds ${creates.length} new one${creates.length === 1 ? '' : 's'}. ${wayOut(excess, unlisted)}`
    }
  ]
}

/** The way under the limit, with the numbers that get there exactly. */
export function wayOut(excess: number, unlisted: number): string {
  const entries = (n: number): string => `${n} new entr${n === 1 ? 'y' : 'ies'}`
  const robots = (n: number): string => `${n} robot${n === 1 ? '' : 's'}`
  if (unlisted === 0) return `Remove ${entries(excess)} from the manifest.`
  const retire =
    unlisted >= excess
      ? `retire ${excess === unlisted ? `the ${robots(unlisted)}` : `${excess} of the ${robots(unlisted)}`} the manifest does not list by adding ${excess === 1 ? 'its UserID' : 'their UserIDs'} under retired:`
      : `retire the ${robots(unlisted)} the manifest does not list (under retired:) and remove ${entries(excess - unlisted)}`
  const prune = unlisted > excess ? ` (prune: true would delete all ${unlisted})` : unlisted === excess ? ' (or set prune: true)' : ''
  return `Remove ${entries(excess)}, or ${retire}${prune}.`
}

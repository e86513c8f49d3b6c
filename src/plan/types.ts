/**
 * The plan: what each robot needs, decided before anything is written, and
 * what became of each item once the apply stage carried it out.
 */
import type { ManifestEntry, ManifestProblem, RetiredEntry } from '../manifest/types.js'
import type { ProfileField } from '../manifest/fields.js'
import type { Attempt, ProfileRead } from '../vendor/types.js'

/**
 * `not-compared`: the entry is valid, but the app was not read, so what it needs
 * (create, update, unchanged — or, for a retired UserID, delete) is not known.
 */
export type Action = 'create' | 'update' | 'unchanged' | 'delete' | 'invalid' | 'not-compared'

export interface FieldChange {
  field: ProfileField
  /** null when the field is not set, or when its value could not be read (then `unread`). */
  from: string | null
  to: string
  unread?: true
}

export interface PlanItem {
  userId: string | null
  /** The manifest entry; null for a retired UserID or a robot that only the app has (prune). */
  entry: ManifestEntry | null
  /** The item of the retired list this comes from, if any. */
  retired?: RetiredEntry
  action: Action
  /** For update: only the fields that differ. */
  changes: FieldChange[]
  /** Why this item will not be carried out, though it is valid itself. */
  blocked?: string
  /** Something the user should know about how this item was planned. */
  note?: string
  /** The change cannot be made: the vendor's answer that says so (the profile APIs refuse this robot). */
  refused?: { code: number | null; info: string }
}

/** What the app has now, as read by the client; null values mean "could not be read". */
export interface VendorState {
  /** The app's robots, or null when get_all_robots could not be read. */
  robots: string[] | null
  /** Profiles of the listed robots that the manifest names. */
  profiles: Map<string, ProfileRead>
  /** Why robots or a profile could not be read. */
  notes: string[]
  /** A reading call stopped the run (credentials, region, admin): nothing read can be trusted or used. */
  stopped?: boolean
}

/**
 * Why the plan was not compared with the app:
 * - no-credentials: a dry run without sdkappid and a key (or UserSig);
 * - fork: the same, on a pull request from a fork, which gets no secrets;
 * - invalid-manifest: the manifest has problems, so no call was made;
 * - inputs: an input is wrong, so no call was made;
 * - stopped: the first calls were refused in a way that stops the run (credentials, region);
 * - list-failed: get_all_robots failed, so every entry is planned as create (safe to repeat).
 */
export type NotCompared = 'no-credentials' | 'fork' | 'invalid-manifest' | 'inputs' | 'stopped' | 'list-failed'

export interface Plan {
  /** Null when the plan was compared with the app. */
  notCompared: NotCompared | null
  items: PlanItem[]
  /** Robots the app has that the manifest does not list, left alone (prune is off). */
  unmanaged: string[]
  /** Errors of the plan as a whole, such as the 20-robot limit. */
  problems: ManifestProblem[]
  notes: string[]
}

export interface PlanOptions {
  prune: boolean
  /** Why there is no vendor state to compare with (default: no credentials). */
  unread?: NotCompared
}

export type Status = 'ok' | 'failed' | 'skipped' | 'invalid'

export interface Outcome {
  userId: string | null
  entry: ManifestEntry | null
  retired?: RetiredEntry
  action: Action
  status: Status
  /** The vendor's ErrorCode of the last attempt; 0 for success, null when there was no vendor answer. */
  code: number | null
  info: string
  attempts: Attempt[]
  changes: FieldChange[]
  /** True when the action was planned but not carried out (dry run). */
  planned: boolean
}

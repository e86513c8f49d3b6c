/**
 * The plan: what each robot needs, decided before anything is written, and
 * what became of each item once the apply stage carried it out.
 */
import type { ManifestEntry, ManifestProblem } from '../manifest/types.js'
import type { ProfileField } from '../manifest/fields.js'
import type { Attempt, ProfileRead } from '../vendor/types.js'

export type Action = 'create' | 'update' | 'unchanged' | 'delete' | 'invalid'

export interface FieldChange {
  field: ProfileField
  /** null when the current value is not known (or the field is not set). */
  from: string | null
  to: string
}

export interface PlanItem {
  userId: string | null
  /** The manifest entry; null for a robot that only the app has (prune). */
  entry: ManifestEntry | null
  action: Action
  /** For update: only the fields that differ. */
  changes: FieldChange[]
  /** Why this item will not be carried out, though it is valid itself. */
  blocked?: string
  /** Something the user should know about how this item was planned. */
  note?: string
}

/** What the app has now, as read by the client; null values mean "could not be read". */
export interface VendorState {
  /** The app's robots, or null when get_all_robots could not be read. */
  robots: string[] | null
  /** Profiles of the listed robots that the manifest names. */
  profiles: Map<string, ProfileRead>
  /** Why robots or a profile could not be read. */
  notes: string[]
}

export interface Plan {
  /** Compared with the app (true), or only with the manifest (offline dry run). */
  live: boolean
  items: PlanItem[]
  /** Robots the app has that the manifest does not list, left alone (prune is off). */
  unmanaged: string[]
  /** Errors of the plan as a whole, such as the 20-robot limit. */
  problems: ManifestProblem[]
  notes: string[]
}

export interface PlanOptions {
  prune: boolean
}

export type Status = 'ok' | 'failed' | 'skipped' | 'invalid'

export interface Outcome {
  userId: string | null
  entry: ManifestEntry | null
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

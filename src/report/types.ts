/** What the report stage is handed: what each stage of the run returned. */
import type { ExportedManifest } from '../export/types.js'
import type { Manifest } from '../manifest/types.js'
import type { Outcome, Plan, Status } from '../plan/types.js'
import type { Halt } from '../vendor/types.js'

export type Mode = 'apply' | 'plan' | 'offline'

export interface RunReport {
  mode: Mode
  manifestFile: string
  manifest: Manifest | null
  plan: Plan | null
  outcomes: Outcome[]
  /** The answer that stopped the run early, if any. */
  halt: Halt | null
  /** Where the calls went, for the summary (never the URL with its query). */
  target: string | null
  /** A failure of the run as a whole (bad input, unreadable manifest, a bug). */
  runError: string | null
  /** The run error is the job's cancellation. */
  cancelled?: boolean
  /** Where in the manifest the run error is, when it has a line (the first invalid UTF-8 byte). */
  runErrorAt?: { file: string; line: number }
  /** Why this run wrote nothing whatever dry-run said (a pull request event), or null. */
  planOnly: string | null
  /** A drift check (expect-no-changes): any write the plan needs fails the step. */
  expectNoChanges?: boolean
  /** The manifest an export wrote; the run then plans it against the app. */
  exported?: ExportedManifest
  /** Things the user should know that belong to no robot (e.g. the PR comment could not be posted). */
  notes: string[]
}

export interface ResultEntry {
  UserID: string | null
  status: Status
  action: string
  ErrorCode: number | null
  ErrorInfo: string
  attempts: number
  changes?: Array<{ field: string; from: string | null; to: string }>
  /** The UserID comes from the manifest's retired list. */
  retired?: true
  line?: number
}

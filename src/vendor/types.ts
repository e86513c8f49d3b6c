/**
 * What the other stages need to know of the vendor: the shapes of answers and
 * the client's reading and writing calls. They import these types, not the client.
 */
import type { Profile } from '../manifest/fields.js'
import type { ErrorClass } from './codes.js'

export interface Credentials {
  sdkappid: string
  identifier: string
  /** The action signs its own short-lived UserSig from this. */
  secretKey?: string
  /** Or a ready UserSig. */
  usersig?: string
}

export interface ClientLog {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

export interface ClientOptions {
  baseUrl: URL
  /** The proxy the calls to baseUrl go through, null for none: decided from the run's env (src/proxy.ts), never read here. */
  proxy: URL | null
  credentials: Credentials
  /** Dry run: only the reading commands may be called. */
  readOnly: boolean
  maxAttempts: number
  log: ClientLog
  /** Registers a secret with the runner's log masking (core.setSecret). */
  mask: (secret: string) => void
  timeoutMs?: number
  maxCallsPerSecond?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  /** Aborted when the job is cancelled: no new call or retry starts, and calls in flight are cut after cancelGraceMs. */
  stop?: AbortSignal
  /** Aborted on a second signal: calls in flight are cut at once. */
  cut?: AbortSignal
  cancelGraceMs?: number
  /** For tests. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** One try of one call, as the summary reports it. */
export interface Attempt {
  /** The vendor's ErrorCode; null for a network fault (no vendor answer). */
  code: number | null
  info: string
  ms: number
}

export type CallOutcome<T> =
  | { kind: 'ok'; value: T; attempts: Attempt[] }
  | { kind: 'failed'; code: number | null; info: string; class: ErrorClass; attempts: Attempt[] }
  /** Not (or no longer) tried because an earlier answer halted the run. */
  | { kind: 'skipped'; reason: string; attempts: Attempt[] }

export interface Halt {
  code: number | null
  info: string
  command: string
}

/** The profile of one account as portrait_get returned it, or why it could not. */
export type ProfileRead = { ok: true; profile: Profile } | { ok: false; code: number | null; info: string }

/** The calls the plan and apply stages make; VendorClient is the one implementation. */
export interface RobotApi {
  readonly halt: Halt | null
  readonly credentialsProven: boolean
  /** `writesToFollow`: how many writes may follow at once (connections are opened for them while the listing is in flight). */
  listRobots(writesToFollow?: number): Promise<CallOutcome<string[]>>
  readProfiles(userIds: string[]): Promise<CallOutcome<Map<string, ProfileRead>>>
  createRobot(userId: string, profile: Profile): Promise<CallOutcome<null>>
  setProfile(userId: string, changes: Profile): Promise<CallOutcome<null>>
  deleteRobot(userId: string): Promise<CallOutcome<null>>
  haltReason(): string
  /** Removes every secret the client knows from a text, in every encoding. */
  redact(text: string): string
}

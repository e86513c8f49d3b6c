import type { Profile } from '../../src/manifest/fields.js'
import { describeCode, provesSignature } from '../../src/vendor/codes.js'
import type { Attempt, CallOutcome, Halt, ProfileRead, RobotApi } from '../../src/vendor/types.js'
import { settle } from './fake-clock.js'

/**
 * A stand-in for the vendor client (src/vendor/types.ts RobotApi) with the
 * vendor's and the client's semantics, in memory: an app of robots with the
 * 20-robot limit and reserved UserIDs of deleted robots, answers classed by the
 * codes table (transient ones retried up to maxAttempts, permanent ones failing
 * the call, run-fatal ones halting every later call), the credentials proven by
 * the first answer that shows the signature was checked. Each call yields to the
 * event loop, so concurrent calls overlap as they would over the network.
 */

export type Command = 'get_all_robots' | 'portrait_get' | 'create_robot' | 'portrait_set' | 'delete_robot'

/**
 * What one attempt gets instead of the app's own answer: a vendor code; `lost`, the
 * command takes effect but its answer never comes; `unreachable`, no answer and no
 * effect; `throw`, the client itself throws (a bug) with this message.
 */
export type Scripted = number | 'lost' | 'unreachable' | { throw: string }

export interface CallRecord {
  command: Command
  userId?: string
  /** The profile fields sent (create_robot, portrait_set). */
  fields?: Profile
  /** Calls of the client under way when this one started, this one included. */
  concurrent: number
}

export const ROBOT_LIMIT = 20
export const FAKE_SECRET = 'fake-secret-key-0123456789abcdef'

export class FakeRobotApi implements RobotApi {
  /** The app's live robots and their profiles. */
  readonly robots = new Map<string, Profile>()
  /** UserIDs of deleted robots: reserved, a create with one fails. */
  readonly deleted = new Set<string>()
  /** Every call made (each attempt of a retried call is one call). */
  readonly calls: CallRecord[] = []
  private readonly script: Array<{ command: Command; userId?: string; answer: Scripted; times: number }> = []
  readonly maxAttempts: number
  private haltedBy: Halt | null = null
  private proven: boolean
  private inFlight = 0

  constructor(options: { robots?: Record<string, Profile>; maxAttempts?: number; proven?: boolean } = {}) {
    for (const [id, profile] of Object.entries(options.robots ?? {})) this.robots.set(id, { ...profile })
    this.maxAttempts = options.maxAttempts ?? 3
    this.proven = options.proven ?? false
  }

  /** The next `times` attempts of `command` (for `userId`, when given) get `answer`. */
  answer(command: Command, answer: Scripted, options: { userId?: string; times?: number } = {}): this {
    this.script.push({ command, userId: options.userId, answer, times: options.times ?? 1 })
    return this
  }

  get halt(): Halt | null {
    return this.haltedBy
  }

  get credentialsProven(): boolean {
    return this.proven
  }

  /** The most calls that were under way at once. */
  get maxConcurrent(): number {
    return Math.max(0, ...this.calls.map(call => call.concurrent))
  }

  haltReason(): string {
    const halt = this.haltedBy!
    const code = halt.code === null ? 'a network answer' : `code ${halt.code} (${describeCode(halt.code).meaning})`
    return `not tried: the run stopped after ${code} from ${halt.command.split('/')[1]}`
  }

  redact(text: string): string {
    return text.split(FAKE_SECRET).join('***')
  }

  listRobots(): Promise<CallOutcome<string[]>> {
    return this.call('get_all_robots', undefined, undefined, () => ({ ok: [...this.robots.keys()] }))
  }

  readProfiles(userIds: string[]): Promise<CallOutcome<Map<string, ProfileRead>>> {
    return this.call('portrait_get', undefined, undefined, () => ({
      ok: new Map(
        userIds.map((id): [string, ProfileRead] => {
          const profile = this.robots.get(id)
          return [id, profile ? { ok: true, profile: { ...profile } } : { ok: false, code: 40003, info: `account ${id} does not exist` }]
        })
      )
    }))
  }

  createRobot(userId: string, profile: Profile): Promise<CallOutcome<null>> {
    return this.call<null>('create_robot', userId, profile, () => {
      if (this.robots.has(userId)) return { ok: null }
      if (this.deleted.has(userId)) return { code: 10004, info: `UserID ${userId} belonged to a deleted chatbot and stays reserved` }
      if (this.robots.size >= ROBOT_LIMIT) return { code: 10008, info: `the app already has ${ROBOT_LIMIT} chatbots, the limit` }
      this.robots.set(userId, { ...profile })
      return { ok: null }
    })
  }

  setProfile(userId: string, changes: Profile): Promise<CallOutcome<null>> {
    return this.call<null>('portrait_set', userId, changes, () => {
      const profile = this.robots.get(userId)
      if (!profile) return { code: 40003, info: `account ${userId} does not exist` }
      Object.assign(profile, changes)
      return { ok: null }
    })
  }

  deleteRobot(userId: string): Promise<CallOutcome<null>> {
    return this.call<null>('delete_robot', userId, undefined, () => {
      if (!this.robots.delete(userId)) return { code: 10004, info: `${userId} is not a chatbot of this app` }
      this.deleted.add(userId)
      return { ok: null }
    })
  }

  /** One call with the client's retry loop around the app's own answer. */
  private async call<T>(
    command: Command,
    userId: string | undefined,
    fields: Profile | undefined,
    act: () => { ok: T } | { code: number; info: string }
  ): Promise<CallOutcome<T>> {
    const attempts: Attempt[] = []
    for (let attempt = 1; ; attempt++) {
      if (this.haltedBy) return { kind: 'skipped', reason: this.haltReason(), attempts }
      this.inFlight++
      this.calls.push({ command, userId, fields, concurrent: this.inFlight })
      try {
        await settle()
        const scripted = this.take(command, userId)
        if (typeof scripted === 'object') throw new Error(scripted.throw)
        let answer: { ok: T } | { code: number | null; info: string }
        if (scripted === 'lost') {
          act()
          answer = { code: null, info: 'no answer within 10 s' }
        } else if (scripted === 'unreachable') {
          answer = { code: null, info: 'the connection was reset before an answer (ECONNRESET)' }
        } else if (typeof scripted === 'number') {
          answer = { code: scripted, info: `error ${scripted}` }
        } else {
          answer = act()
        }
        if ('ok' in answer) {
          this.proven = true
          attempts.push({ code: 0, info: 'OK', ms: 1 })
          return { kind: 'ok', value: answer.ok, attempts }
        }
        attempts.push({ code: answer.code, info: answer.info, ms: 1 })
        if (answer.code !== null && provesSignature(answer.code)) this.proven = true
        const known = answer.code === null ? { class: 'transient' as const } : describeCode(answer.code)
        if (known.class === 'run-fatal') {
          this.haltedBy ??= { code: answer.code, info: answer.info, command: `svc/${command}` }
          return { kind: 'failed', code: answer.code, info: answer.info, class: known.class, attempts }
        }
        if (known.class === 'permanent' || attempt >= this.maxAttempts) {
          return { kind: 'failed', code: answer.code, info: answer.info, class: known.class, attempts }
        }
      } finally {
        this.inFlight--
      }
    }
  }

  private take(command: Command, userId: string | undefined): Scripted | undefined {
    const entry = this.script.find(s => s.command === command && (s.userId === undefined || s.userId === userId))
    if (!entry) return undefined
    if (--entry.times <= 0) this.script.splice(this.script.indexOf(entry), 1)
    return entry.answer
  }
}

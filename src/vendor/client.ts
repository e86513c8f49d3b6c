import { setMaxListeners } from 'node:events'
import { describeCode, provesSignature, type ErrorClass } from './codes.js'
import { ATTEMPT_TIMEOUT_MS, CANCEL_GRACE_MS, MAX_CALLS_PER_SECOND, PORTRAIT_GET_BATCH, USERSIG_VALIDITY_SECONDS } from '../constants.js'
import { HttpFault, HttpPoster, describeProxy, type HttpAnswer } from './http.js'
import { proxyCredentials } from '../proxy-credentials.js'
import { RateLimiter } from './rate-limiter.js'
import { MAX_ROBOTS_PER_APP, PROFILE_FIELDS, PROFILE_FIELD_NAMES, type Profile, type ProfileField } from '../manifest/fields.js'
import type { Attempt, CallOutcome, ClientOptions, Halt, ProfileRead, RobotApi } from './types.js'
import { signUserSig } from './usersig.js'
import { encodedWhole, Redactor } from '../redact.js'

/**
 * The only door to the vendor. Every request the action makes goes through
 * `call()`, so this is where the guarantees live: no write in read-only mode,
 * no secret in any message, no redirect followed, the vendor's rate limit kept,
 * retries for what retrying can fix, and a halt after an answer that dooms every
 * later call.
 */

type Command =
  | 'openim_robot_http_svc/create_robot'
  | 'openim_robot_http_svc/get_all_robots'
  | 'openim_robot_http_svc/delete_robot'
  | 'profile/portrait_get'
  | 'profile/portrait_set'

const READING_COMMANDS: ReadonlySet<Command> = new Set(['openim_robot_http_svc/get_all_robots', 'profile/portrait_get'])

/** What one attempt came back with. */
type Answer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: number | null; info: string; class: ErrorClass; slowDown?: boolean; expired?: boolean; minWaitMs?: number; cutInFlight?: boolean }

const MAX_ANSWER_BYTES = 1024 * 1024

export class VendorClient implements RobotApi {
  private readonly limiter: RateLimiter
  private readonly http: HttpPoster
  private readonly secrets = new Set<string>()
  private readonly redactor = new Redactor()
  private usersig = ''
  private usersigGeneration = 0
  private resigned = false
  private signedAt = 0
  private validitySeconds = USERSIG_VALIDITY_SECONDS
  private haltedBy: Halt | null = null
  private proven = false
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  /** Aborted to cut every call in flight: a grace after the job is cancelled, or a second signal. */
  private readonly inFlight = new AbortController()
  private graceTimer: NodeJS.Timeout | undefined
  /** Resolves when the job is cancelled, to end a backoff early. */
  private readonly stopped: Promise<void>

  constructor(private readonly options: ClientOptions) {
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)))
    this.random = options.random ?? Math.random
    // Only https:// is proxied: an http:// endpoint is loopback (inputs.ts), which never is.
    const proxy = options.baseUrl.protocol === 'https:' ? options.proxy : null
    this.http = new HttpPoster(MAX_ANSWER_BYTES, proxy)
    this.limiter = new RateLimiter(options.maxCallsPerSecond ?? MAX_CALLS_PER_SECOND, this.now, this.sleep)
    // Every call in flight listens to this signal until it ends: a wave of 20 is not a leak, and
    // Node's warning past 10 listeners would land in the job's log.
    setMaxListeners(0, this.inFlight.signal)
    const { stop, cut } = options
    this.stopped = new Promise(resolve => {
      const onStop = (): void => {
        this.graceTimer = setTimeout(() => this.inFlight.abort(), options.cancelGraceMs ?? CANCEL_GRACE_MS)
        resolve()
      }
      if (stop?.aborted) onStop()
      else stop?.addEventListener('abort', onStop, { once: true })
    })
    if (cut?.aborted) this.inFlight.abort()
    else cut?.addEventListener('abort', () => this.inFlight.abort(), { once: true })
    const { secretKey, usersig } = options.credentials
    if (secretKey) this.addSecret(secretKey)
    if (usersig) {
      this.addSecret(usersig)
      this.usersig = usersig
    } else {
      this.sign()
    }
    if (proxy) {
      // The proxy URL may carry a password: masked as written and decoded, and only its host and port are ever shown.
      if (proxy.password) this.addSecret(proxy.password)
      const password = proxyCredentials(proxy)?.password
      if (password) this.addSecret(password)
      options.log.info(`Calls to the vendor go through the proxy ${describeProxy(proxy)} (from HTTPS_PROXY; NO_PROXY lists the hosts that bypass it).`)
    }
  }

  /** Closes kept-alive connections so the process can end. */
  close(): void {
    clearTimeout(this.graceTimer)
    this.http.close()
  }

  /** The answer that stopped the run, if one did. */
  get halt(): Halt | null {
    return this.haltedBy
  }

  /** True once the vendor has accepted our signature. */
  get credentialsProven(): boolean {
    return this.proven
  }

  /** Replaces every secret the client knows, and every piece of one, with ***, in any encoding, in any text that may be shown. */
  redact(text: string): string {
    return this.redactor.redact(text)
  }

  /**
   * `writesToFollow`: how many writes may follow the listing at once. While the
   * listing is in flight, the client opens the connections they will need, so
   * the wave of writes does not wait for a handshake each (none in a dry run).
   */
  async listRobots(writesToFollow = 0): Promise<CallOutcome<string[]>> {
    // The listing's own connection serves one of them when it is answered.
    const ahead = this.options.readOnly ? 0 : Math.min(writesToFollow, MAX_ROBOTS_PER_APP) - 1
    const outcome = await this.call('openim_robot_http_svc/get_all_robots', {}, ahead)
    if (outcome.kind !== 'ok') return outcome
    const ids = outcome.value.Robot_Account
    // An answer without the list is not an empty app: taking it as one would plan wrongly.
    if (!Array.isArray(ids) || !ids.every(id => typeof id === 'string')) {
      const what = ids === undefined ? 'it is missing' : !Array.isArray(ids) ? `it is ${ids === null ? 'null' : typeof ids}` : 'an item of it is not a string'
      return { kind: 'failed', code: null, class: 'permanent', info: `the answer has no Robot_Account list of UserIDs: ${what}`, attempts: outcome.attempts }
    }
    // A UserID that carries a secret can be neither shown nor replaced by *** (a prune would then delete another account).
    if ((ids as string[]).some(id => this.redact(id) !== id)) {
      return {
        kind: 'failed',
        code: null,
        class: 'permanent',
        info: 'the answer lists a UserID that holds a credential of this run',
        attempts: outcome.attempts
      }
    }
    return { ...outcome, value: ids as string[] }
  }

  /** Reads the managed profile fields of the given accounts, 100 a call. */
  async readProfiles(userIds: string[]): Promise<CallOutcome<Map<string, ProfileRead>>> {
    const profiles = new Map<string, ProfileRead>()
    const attempts: Attempt[] = []
    const batches: string[][] = []
    for (let i = 0; i < userIds.length; i += PORTRAIT_GET_BATCH) batches.push(userIds.slice(i, i + PORTRAIT_GET_BATCH))
    const outcomes = await Promise.all(
      batches.map(batch =>
        this.call('profile/portrait_get', {
          To_Account: batch,
          TagList: PROFILE_FIELD_NAMES.map(field => PROFILE_FIELDS[field].tag)
        })
      )
    )
    for (const outcome of outcomes) {
      attempts.push(...outcome.attempts)
      if (outcome.kind !== 'ok') return { ...outcome, attempts }
      for (const item of asArray(outcome.value.UserProfileItem)) {
        const account = typeof item.To_Account === 'string' ? item.To_Account : null
        if (account === null) continue
        const resultCode = typeof item.ResultCode === 'number' ? item.ResultCode : 0
        if (resultCode !== 0) {
          profiles.set(account, { ok: false, code: resultCode, info: this.redact(String(item.ResultInfo ?? '')) })
          continue
        }
        const profile: Profile = {}
        for (const tagItem of asArray(item.ProfileItem)) {
          const field = fieldOfTag(tagItem.Tag)
          // Shown in the plan and compared only: a secret in it is shown, and compared, as ***.
          if (field && typeof tagItem.Value === 'string') profile[field] = this.redact(tagItem.Value)
        }
        profiles.set(account, { ok: true, profile })
      }
    }
    return { kind: 'ok', value: profiles, attempts }
  }

  async createRobot(userId: string, profile: Profile): Promise<CallOutcome<null>> {
    return this.write('openim_robot_http_svc/create_robot', { UserID: userId, ...profile })
  }

  async setProfile(userId: string, changes: Profile): Promise<CallOutcome<null>> {
    const items = (Object.keys(changes) as ProfileField[]).map(field => ({
      Tag: PROFILE_FIELDS[field].tag,
      Value: changes[field]
    }))
    return this.write('profile/portrait_set', { From_Account: userId, ProfileItem: items })
  }

  async deleteRobot(userId: string): Promise<CallOutcome<null>> {
    return this.write('openim_robot_http_svc/delete_robot', { Robot_Account: userId })
  }

  private async write(command: Command, body: object): Promise<CallOutcome<null>> {
    const outcome = await this.call(command, body)
    return outcome.kind === 'ok' ? { ...outcome, value: null } : outcome
  }

  /** `connectionsAhead`: connections to open for later calls while this one is in flight. */
  private async call(command: Command, body: object, connectionsAhead = 0): Promise<CallOutcome<Record<string, unknown>>> {
    if (this.options.readOnly && !READING_COMMANDS.has(command)) {
      // The dry-run guarantee: a bug upstream must not turn into a write.
      throw new Error(`dry run: refusing to call ${command}`)
    }
    const attempts: Attempt[] = []
    for (let attempt = 1; ; attempt++) {
      if (this.haltedBy) return { kind: 'skipped', reason: this.haltReason(), attempts }
      if (this.options.stop?.aborted) return { kind: 'skipped', reason: notStarted(attempts), attempts }
      const answered = await this.limiter.take()
      if (this.haltedBy) {
        answered()
        return { kind: 'skipped', reason: this.haltReason(), attempts }
      }
      if (this.options.stop?.aborted) {
        answered()
        return { kind: 'skipped', reason: notStarted(attempts), attempts }
      }
      const generation = this.usersigGeneration
      const started = this.now()
      const answer = await this.attempt(command, body, connectionsAhead)
      answered()
      const ms = this.now() - started
      if (answer.ok) {
        this.proven = true
        attempts.push({ code: 0, info: 'OK', ms })
        return { kind: 'ok', value: answer.body, attempts }
      }
      attempts.push({ code: answer.code, info: answer.info, ms })
      if (answer.cutInFlight) {
        return { kind: 'skipped', reason: 'cancelled while the call was in flight: it may have taken effect at the vendor; run again to see', attempts }
      }
      this.options.log.debug(`${command}: attempt ${attempt} → ${answer.code ?? 'network'}: ${answer.info}`)
      if (answer.code !== null && provesSignature(answer.code)) this.proven = true

      if (answer.expired && this.options.credentials.secretKey && this.refreshUserSig(generation)) continue
      if (answer.slowDown) this.limiter.slowDown()
      if (answer.class === 'run-fatal') {
        this.haltedBy ??= { code: answer.code, info: answer.info, command }
        return { kind: 'failed', code: answer.code, info: answer.info, class: answer.class, attempts }
      }
      if (answer.class === 'permanent' || attempt >= this.options.maxAttempts) {
        return { kind: 'failed', code: answer.code, info: answer.info, class: answer.class, attempts }
      }
      await this.pause(this.backoff(attempt, answer))
      if (this.usersigAgeSeconds() > this.validitySeconds / 2 && this.options.credentials.secretKey) this.sign(this.validitySeconds)
    }
  }

  /**
   * The wait before a retry. A cancelled job ends it, and its timer with it (a
   * backoff can be a minute, and a pending timer would keep the process alive);
   * the loop then starts no retry.
   */
  private pause(ms: number): Promise<void> {
    if (this.options.sleep) return Promise.race([this.options.sleep(ms), this.stopped])
    let timer: NodeJS.Timeout | undefined
    return Promise.race([new Promise<void>(resolve => (timer = setTimeout(resolve, ms))), this.stopped]).finally(() => clearTimeout(timer))
  }

  /** Full jitter: a random wait between 0 and an exponentially growing cap. */
  private backoff(attempt: number, answer: { slowDown?: boolean; minWaitMs?: number }): number {
    const base = (this.options.backoffBaseMs ?? 250) * (answer.slowDown ? 4 : 1)
    const cap = this.options.backoffCapMs ?? 8000
    const ceiling = Math.min(cap, base * 2 ** (attempt - 1))
    return Math.max(answer.minWaitMs ?? 0, Math.round(this.random() * ceiling))
  }

  private async attempt(command: Command, body: object, connectionsAhead: number): Promise<Answer> {
    const url = new URL(`v4/${command}`, this.options.baseUrl)
    url.searchParams.set('sdkappid', this.options.credentials.sdkappid)
    url.searchParams.set('identifier', this.options.credentials.identifier)
    url.searchParams.set('usersig', this.usersig)
    url.searchParams.set('random', String(Math.floor(this.random() * 0x1_0000_0000) >>> 0))
    url.searchParams.set('contenttype', 'json')
    const timeoutMs = this.options.timeoutMs ?? ATTEMPT_TIMEOUT_MS
    let answer: HttpAnswer
    try {
      const posted = this.http.post(url, JSON.stringify(body), timeoutMs, this.inFlight.signal)
      // Once this request has its connection: the others are opened as the agent opened it.
      if (connectionsAhead > 0) this.http.prepare(url, connectionsAhead)
      answer = await posted
    } catch (error) {
      const info = error instanceof HttpFault ? error.detail : 'network error'
      if (error instanceof HttpFault && error.kind === 'cancelled') return { ok: false, code: null, class: 'transient', info, cutInFlight: true }
      if (error instanceof HttpFault && error.kind === 'unresolved') {
        // Every later call would go to the same name: stop after the first.
        return {
          ok: false,
          code: null,
          class: 'run-fatal',
          info: this.redact(
            `${info}. Check the region input (it picks the vendor's domain) or the host in the endpoint input; a runner that reaches the internet only through a proxy needs HTTPS_PROXY set for the job (README: Behind a proxy).`
          )
        }
      }
      return { ok: false, code: null, class: 'transient', info: this.redact(info) }
    }
    if (answer.status >= 300 && answer.status < 400) {
      return {
        ok: false,
        code: null,
        class: 'run-fatal',
        // The URL carries the UserSig: a redirect would hand it to another host.
        info: this.redact(
          `the endpoint answered HTTP ${answer.status}, a redirect${describeLocation(answer.location)}; the action never follows redirects because the request URL carries the UserSig. Point endpoint (or region) at the final address.`
        )
      }
    }
    if (answer.status !== 200) {
      const transient = answer.status >= 500 || answer.status === 429 || answer.status === 408
      return {
        ok: false,
        code: null,
        class: transient ? 'transient' : 'permanent',
        // The status text is the server's: it may echo the request.
        info: this.redact(`HTTP ${answer.status}${answer.statusText ? ' ' + answer.statusText : ''} instead of the vendor's answer`)
      }
    }
    return this.readEnvelope(answer.body.toString('utf8'))
  }

  private readEnvelope(text: string): Answer {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return { ok: false, code: null, class: 'transient', info: `HTTP 200 but the body is not JSON (${this.redact(describeBody(this.redact(text)))})` }
    }
    if (!isRecord(parsed) || typeof parsed.ErrorCode !== 'number' || typeof parsed.ActionStatus !== 'string') {
      return { ok: false, code: null, class: 'transient', info: `HTTP 200 but not the vendor's envelope (${this.redact(describeBody(this.redact(text)))})` }
    }
    const code = parsed.ErrorCode
    const info = this.redact(String(parsed.ErrorInfo ?? '')).slice(0, 500)
    if (parsed.ActionStatus === 'OK' && code === 0) return { ok: true, body: parsed }
    if (parsed.ActionStatus !== 'FAIL' || code === 0) {
      // Neither a success nor a failure: whether a write took effect is unknown, and
      // every write is safe to retry (a delete is checked against the list).
      const status = JSON.stringify(parsed.ActionStatus.slice(0, 20))
      return {
        ok: false,
        code: null,
        class: 'transient',
        info: `an inconsistent answer: ActionStatus ${status} with ErrorCode ${code}${info ? ` (ErrorInfo: ${JSON.stringify(info.slice(0, 200))})` : ''}`
      }
    }
    const known = describeCode(code)
    return { ok: false, code, info, class: known.class, slowDown: known.slowDown, expired: known.expired, minWaitMs: known.minWaitMs }
  }

  haltReason(): string {
    const halt = this.haltedBy!
    const code = halt.code === null ? 'a network answer' : `code ${halt.code} (${describeCode(halt.code).meaning})`
    return `not tried: the run stopped after ${code} from ${halt.command.split('/')[1]}`
  }

  /** A fresh UserSig, once per run, when the vendor says ours expired. */
  private refreshUserSig(usedGeneration: number): boolean {
    if (usedGeneration !== this.usersigGeneration) return true
    if (this.resigned) return false
    this.resigned = true
    this.options.log.info('The vendor says the UserSig expired: signing a fresh one and trying again.')
    // Ours was signed minutes ago at most, so "expired" hints at a runner clock behind the
    // vendor's: the fresh one is valid longer to absorb that.
    this.sign(USERSIG_VALIDITY_SECONDS * 6)
    return true
  }

  private sign(validitySeconds = USERSIG_VALIDITY_SECONDS): void {
    const { sdkappid, identifier, secretKey } = this.options.credentials
    if (!secretKey) return
    const time = Math.floor(this.now() / 1000)
    const usersig = signUserSig(secretKey, { sdkappid: Number(sdkappid), identifier, time, expire: validitySeconds })
    this.addSecret(usersig)
    this.usersig = usersig
    this.usersigGeneration++
    this.signedAt = time
    this.validitySeconds = validitySeconds
  }

  private usersigAgeSeconds(): number {
    return Math.floor(this.now() / 1000) - this.signedAt
  }

  private addSecret(secret: string): void {
    if (!secret || this.secrets.has(secret)) return
    // Redacted as itself, encoded whole or among other bytes, and by the piece (redact.ts); the runner masks base64 at each offset itself.
    this.redactor.add(secret)
    const encoded = encodedWhole(secret)
    // The runner masks what it is told, as it is told: the forms a URL carries it in, and those encodings.
    const rfc3986 = encodeURIComponent(secret).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), rfc3986, ...encoded])) {
      if (form && !this.secrets.has(form)) {
        this.secrets.add(form)
        this.options.mask(form)
      }
    }
  }
}

/** Why a call was not (or no longer) tried after the job was cancelled. */
function notStarted(attempts: Attempt[]): string {
  if (attempts.length === 0) return 'cancelled: the job was cancelled before this call started'
  const last = attempts[attempts.length - 1]
  return `cancelled: not retried after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'} (the last: ${last.code ?? 'no answer'})`
}

function fieldOfTag(tag: unknown): ProfileField | undefined {
  return PROFILE_FIELD_NAMES.find(field => PROFILE_FIELDS[field].tag === tag)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asArray(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isRecord) : []
}

function describeLocation(location: string | null): string {
  if (!location) return ''
  try {
    return ` to ${new URL(location, 'http://unknown.invalid').host}`
  } catch {
    return ''
  }
}

function describeBody(text: string): string {
  if (text.length === 0) return 'empty'
  const start = text.slice(0, 60).replace(/\s+/g, ' ')
  return `${text.length} characters starting "${start}"`
}

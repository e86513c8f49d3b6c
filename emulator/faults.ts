/**
 * Faults a test can inject: vendor error codes and the network failures that
 * sit between a client and the vendor (gateways, resets, hangs, redirects).
 *
 * A code's info, an http body and a redirect's location may echo the request, as
 * a careless server does: `{{usersig}}` is the request's usersig parameter, and
 * `{{usersig:0:80}}` a cut of it (from and to as String.prototype.slice takes them,
 * negative from the end); any query parameter of the vendor's URL may be named.
 */

export type FaultAction =
  /** The vendor's envelope with this code; no state changes. `info` may echo the request (above). */
  | { kind: 'code'; code: number; info?: string }
  /** A non-200 answer, as a gateway in front of the vendor gives. Body defaults to an HTML page; it may echo the request. */
  | { kind: 'http'; status: number; body?: string }
  /** HTTP 200 whose Content-Length promises more than is sent before the socket ends. */
  | { kind: 'truncated' }
  /** HTTP 200 with an HTML body. */
  | { kind: 'non-json' }
  /** The socket is destroyed without an answer. */
  | { kind: 'reset' }
  /** No answer until the emulator stops. */
  | { kind: 'hang' }
  /** The normal answer, `ms` later. The command takes effect on arrival. */
  | { kind: 'delay'; ms: number }
  /** A 3xx to `location` (default the emulator's /__redirected, which counts followers); it may echo the request. */
  | { kind: 'redirect'; location?: string; status?: number }
  /**
   * HTTP 200 with `json` as the body instead of the vendor's answer, for answers the
   * vendor's documentation does not foresee (ErrorCode 0 with ActionStatus FAIL, a
   * listing without Robot_Account). The command does not take effect.
   */
  | { kind: 'answer'; json: Record<string, unknown> }

export type FaultKind = FaultAction['kind']

export interface FaultMatch {
  /** Only requests for this command (e.g. "create_robot"). */
  command?: string
  /** Only requests about this account: UserID, Robot_Account, From_Account, or one of To_Account. */
  userId?: string
}

export type Fault = FaultAction &
  FaultMatch & {
    /** How many matching requests it affects; default 1, Infinity for all. Over HTTP send "Infinity". */
    times?: number
  }

const KINDS: readonly FaultKind[] = ['code', 'http', 'truncated', 'non-json', 'reset', 'hang', 'delay', 'redirect', 'answer']

/** The keys each kind allows besides kind, command, userId and times. */
const KIND_KEYS: Readonly<Record<FaultKind, readonly string[]>> = {
  code: ['code', 'info'],
  http: ['status', 'body'],
  truncated: [],
  'non-json': [],
  reset: [],
  hang: [],
  delay: ['ms'],
  redirect: ['location', 'status'],
  answer: ['json']
}

/** The query parameters of the vendor's URL, which an echo may name. */
const ECHOED = ['sdkappid', 'identifier', 'usersig', 'random', 'contenttype']
const ECHO = /\{\{(\w+)(?::(-?\d+))?(?::(-?\d+))?\}\}/g

/** The text with each {{parameter}} or {{parameter:from:to}} replaced by (a cut of) the request's parameter. */
export function echoRequest(text: string, query: Record<string, string>): string {
  return text.replace(ECHO, (_echo, name: string, from?: string, to?: string) =>
    (query[name] ?? '').slice(from === undefined ? 0 : Number(from), to === undefined ? undefined : Number(to))
  )
}

function checkEchoes(fault: Record<string, unknown>, key: string): void {
  const text = fault[key]
  if (typeof text !== 'string') return
  for (const [, name] of text.matchAll(ECHO)) {
    if (!ECHOED.includes(name)) throw new Error(`fault.${key} echoes {{${name}}}, which is not one of ${ECHOED.join(', ')}`)
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function optionalString(fault: Record<string, unknown>, key: string): void {
  if (fault[key] !== undefined && typeof fault[key] !== 'string') throw new Error(`fault.${key} must be a string`)
}

function integerIn(value: unknown, key: string, low: number, high: number): void {
  if (!Number.isInteger(value) || (value as number) < low || (value as number) > high) {
    throw new Error(`fault.${key} must be an integer from ${low} to ${high}, got ${JSON.stringify(value)}`)
  }
}

/**
 * Check a fault description (from a test or from the control API) and return it
 * normalised. Unknown keys are refused: a misspelt matcher would otherwise make a
 * fault meant for one robot hit every request.
 */
export function parseFault(input: unknown): Fault {
  if (!isObject(input)) throw new Error('a fault must be an object')
  const kind = input.kind as FaultKind
  if (!KINDS.includes(kind)) throw new Error(`fault.kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(input.kind)}`)
  const allowed = new Set(['kind', 'command', 'userId', 'times', ...KIND_KEYS[kind]])
  const unknown = Object.keys(input).filter(key => !allowed.has(key))
  if (unknown.length > 0) throw new Error(`fault of kind ${kind} does not take ${unknown.join(', ')}`)

  optionalString(input, 'command')
  optionalString(input, 'userId')
  const fault = { ...input } as Record<string, unknown>
  // JSON cannot carry Infinity, so the control API accepts the string.
  if (fault.times === 'Infinity') fault.times = Infinity
  if (fault.times !== undefined && fault.times !== Infinity) integerIn(fault.times, 'times', 1, Number.MAX_SAFE_INTEGER)

  switch (kind) {
    case 'code':
      integerIn(fault.code, 'code', 0, Number.MAX_SAFE_INTEGER)
      optionalString(fault, 'info')
      checkEchoes(fault, 'info')
      break
    case 'http':
      integerIn(fault.status, 'status', 100, 599)
      optionalString(fault, 'body')
      checkEchoes(fault, 'body')
      break
    case 'delay':
      integerIn(fault.ms, 'ms', 0, 10 * 60 * 1000)
      break
    case 'redirect':
      if (fault.status !== undefined) integerIn(fault.status, 'status', 300, 399)
      optionalString(fault, 'location')
      checkEchoes(fault, 'location')
      break
    case 'answer':
      if (!isObject(fault.json)) throw new Error('fault.json must be a JSON object (the whole answer body)')
      break
    default:
      break
  }
  return fault as unknown as Fault
}

/** The account a request body is about, for `userId` matching. */
function mentions(body: unknown, userId: string): boolean {
  if (!isObject(body)) return false
  if (body.UserID === userId || body.Robot_Account === userId || body.From_Account === userId) return true
  return Array.isArray(body.To_Account) && body.To_Account.includes(userId)
}

export function faultMatches(fault: Fault, command: string, body: unknown): boolean {
  if (fault.command !== undefined && fault.command !== command) return false
  if (fault.userId !== undefined && !mentions(body, fault.userId)) return false
  return true
}

/** Pending faults in injection order; the first that matches a request is used once. */
export class FaultQueue {
  private pending: Array<{ fault: Fault; remaining: number }> = []

  add(fault: Fault): void {
    this.pending.push({ fault, remaining: fault.times ?? 1 })
  }

  take(command: string, body: unknown): Fault | undefined {
    const index = this.pending.findIndex(entry => faultMatches(entry.fault, command, body))
    if (index < 0) return undefined
    const entry = this.pending[index]
    entry.remaining -= 1
    if (entry.remaining <= 0) this.pending.splice(index, 1)
    return entry.fault
  }

  get size(): number {
    return this.pending.length
  }

  clear(): void {
    this.pending = []
  }
}

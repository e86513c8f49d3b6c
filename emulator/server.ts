/**
 * A loopback stand-in for the Tencent Cloud Chat REST API, strict where the
 * vendor's documentation is, so the action can be tested end to end without an
 * account and with failures the real service produces only on a bad day.
 *
 * Shape of a request's life: record it → maybe apply an injected fault →
 * route → rate limit → URL checks (SDKAppID, UserSig, admin, contenttype,
 * random) → body → command. Every vendor answer is HTTP 200 with the envelope.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { Socket } from 'node:net'
import { echoRequest, FaultQueue, parseFault, type Fault } from './faults.js'
import { maxInAnyWindow, SlidingWindowLimiter } from './rate-window.js'
import { RobotStore, type Answer, type RobotProfile, type SeedRobot } from './robot-store.js'
import { verifyUserSig } from './usersig-verify.js'

export type { Fault, FaultAction, FaultKind, FaultMatch } from './faults.js'
export type { RobotProfile, SeedRobot } from './robot-store.js'

/** Fake credentials for tests and demos; the key is the reference's first UserSig test vector's. */
export const TEST_SDKAPPID = 1400000000
export const TEST_SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const TEST_ADMIN = 'administrator'

/** A client that follows a redirect from the `redirect` fault lands here and is counted. */
export const REDIRECT_TARGET = '/__redirected'
const CONTROL_PREFIX = '/__emulator/'
const MAX_BODY_BYTES = 1024 * 1024
const MAX_RANDOM = 4294967295

export interface EmulatorOptions {
  sdkappid?: number
  secretKey?: string
  /** Identifiers that are app admins. */
  admins?: string[]
  /** Added before every vendor answer (not the control API's). */
  latencyMs?: number
  /** Per command, within any sliding 1000 ms window; 60007 past it. */
  rateLimitPerSecond?: number
  /** Live chatbots per app; 10008 past it. */
  robotLimit?: number
  /** Accounts per app, deleted chatbots included; 70398 past it. */
  accountLimit?: number
  /** Whether create_robot on an existing chatbot overwrites the profile fields it carries (unknown at the vendor). */
  createUpdatesProfile?: boolean
  /** Unix seconds, for UserSig expiry. */
  now?: () => number
  /** Milliseconds since the epoch, for the call log and the rate limit; lets tests freeze time. */
  nowMs?: () => number
  /** Serve HTTPS with this key and certificate (PEM), as the vendor does; plain HTTP without. */
  tls?: { key: string | Buffer; cert: string | Buffer }
}

export interface CallRecord {
  command: string
  service: string
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown
  query: Record<string, string>
  /** Arrival, ms since the epoch. */
  at: number
  /** When the answer was sent, ms since the epoch; undefined until then, and for a network fault. */
  answeredAt?: number
  /** The connection it came on: see VendorEmulator.connections. */
  connection: number
  /** ErrorCode answered; null when a network fault answered instead. */
  code: number | null
  /** The kind of the injected fault that handled this call, if any. */
  fault?: string
}

export interface ConnectionRecord {
  /** From 1, in opening order since the last reset. */
  id: number
  /** ms since the epoch. */
  openedAt: number
}

type Handler = (store: RobotStore, body: unknown) => Answer

/** The only resources the emulator knows; anything else is 60009 like at the vendor. */
const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  openim_robot_http_svc: {
    create_robot: (store, body) => store.createRobot(body),
    get_all_robots: (store, body) => store.getAllRobots(body),
    delete_robot: (store, body) => store.deleteRobot(body)
  },
  profile: {
    portrait_get: (store, body) => store.portraitGet(body),
    portrait_set: (store, body) => store.portraitSet(body)
  }
}

const WRITE_COMMANDS = new Set(['create_robot', 'delete_robot', 'portrait_set'])

const GATEWAY_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>stgw</center></body></html>\n'

function fail(code: number, info: string): Answer {
  return { code, info }
}

function route(pathname: string): { service: string; command: string; handler?: Handler } {
  const match = /^\/v4\/([^/]+)\/([^/]+)$/.exec(pathname)
  if (match === null) return { service: '', command: '' }
  const [, service, command] = match
  const commands = Object.hasOwn(ROUTES, service) ? ROUTES[service] : {}
  return { service, command, handler: Object.hasOwn(commands, command) ? commands[command] : undefined }
}

/** The first value of each parameter, as a server that reads `?a=1&a=2` as a=1 would. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of params) {
    if (!Object.hasOwn(query, key)) query[key] = value
  }
  return query
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    // Keep draining past the cap so the client is not left writing into a closed socket.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }
}

type ParsedBody = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid'; text: string }

function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty' }
  try {
    return { kind: 'json', value: JSON.parse(text) }
  } catch {
    return { kind: 'invalid', text }
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed) return
  const text = JSON.stringify(value)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function envelope(answer: Answer, withDisplay: boolean): Record<string, unknown> {
  return {
    ActionStatus: answer.code === 0 ? 'OK' : 'FAIL',
    ErrorInfo: answer.info,
    ErrorCode: answer.code,
    // The profile APIs add ErrorDisplay; the chatbot APIs do not.
    ...(withDisplay ? { ErrorDisplay: '' } : {}),
    ...answer.extra
  }
}

export class VendorEmulator {
  readonly sdkappid: number
  readonly secretKey: string
  readonly admins: readonly string[]
  private readonly latencyMs: number
  private readonly tls: EmulatorOptions['tls']
  private readonly now: () => number
  private readonly nowMs: () => number
  private readonly store: RobotStore
  private readonly limiter: SlidingWindowLimiter
  private readonly faults = new FaultQueue()
  private callLog: CallRecord[] = []
  private rateLimitedCount = 0
  private followedRedirectCount = 0

  private server: Server | undefined
  private baseUrl: string | undefined
  private readonly sockets = new Set<Socket>()
  /** Each connection's number and when it was opened (for TLS: when its handshake ended). */
  private readonly connectionOf = new WeakMap<object, ConnectionRecord>()
  private connectionLog: ConnectionRecord[] = []
  private readonly hanging = new Set<ServerResponse>()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(options: EmulatorOptions = {}) {
    this.sdkappid = options.sdkappid ?? TEST_SDKAPPID
    this.secretKey = options.secretKey ?? TEST_SECRET_KEY
    this.admins = [...(options.admins ?? [TEST_ADMIN])]
    this.latencyMs = options.latencyMs ?? 0
    this.tls = options.tls
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000))
    this.nowMs = options.nowMs ?? Date.now
    this.limiter = new SlidingWindowLimiter(options.rateLimitPerSecond ?? 200)
    this.store = new RobotStore({
      robotLimit: options.robotLimit ?? 20,
      accountLimit: options.accountLimit ?? 100,
      createUpdatesProfile: options.createUpdatesProfile ?? false
    })
  }

  /** Listen on 127.0.0.1 (port 0 picks a free one) and return the base URL. */
  async start(port = 0): Promise<string> {
    if (this.server !== undefined) throw new Error('the emulator is already started')
    const listener: RequestListener = (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the emulator, not vendor behaviour: make it loud, not a plausible vendor code.
        console.error('emulator error:', error)
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'Content-Type': 'text/plain' })
          res.end(`emulator error: ${error instanceof Error ? error.message : String(error)}`)
        }
      })
    }
    const server: Server = this.tls ? createTlsServer(this.tls, listener) : createServer(listener)
    server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    // A request's socket is the TLS socket for https, the TCP one for http.
    server.on(this.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      const record = { id: this.connectionLog.length + 1, openedAt: this.nowMs() }
      this.connectionLog.push(record)
      this.connectionOf.set(socket, record)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('the emulator has no TCP address')
    this.server = server
    this.baseUrl = `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`
    return this.baseUrl
  }

  /** Close the server, ending hanging and kept-alive connections so no handle outlives a test. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const res of this.hanging) res.destroy()
    this.hanging.clear()
    const closed = new Promise<void>(resolve => server.close(() => resolve()))
    server.closeAllConnections()
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  get url(): string {
    if (this.baseUrl === undefined) throw new Error('the emulator has not been started')
    return this.baseUrl
  }

  /** Live chatbots with their profiles, in creation order. */
  robots(): RobotProfile[] {
    return this.store.live()
  }

  /** UserIDs of deleted chatbots (still reserved). */
  deleted(): string[] {
    return this.store.deleted()
  }

  /** Chatbots that exist before the test; no limits apply. */
  seed(robots: readonly SeedRobot[]): void {
    this.store.seed(robots)
  }

  /** Every request to a vendor path, in arrival order. */
  get calls(): CallRecord[] {
    return this.callLog
  }

  /** Every connection opened since the start or the last reset, in opening order, whether or not a call came on it. */
  get connections(): ConnectionRecord[] {
    return this.connectionLog
  }

  /** Calls that could change the app: create_robot, delete_robot, portrait_set (whatever they answered). */
  writes(): CallRecord[] {
    return this.callLog.filter(call => WRITE_COMMANDS.has(call.command))
  }

  /** The most calls (of one command, or of all together) that arrived within any 1000 ms. */
  maxCallsInAnyWindow(command?: string): number {
    const calls = command === undefined ? this.callLog : this.callLog.filter(call => call.command === command)
    return maxInAnyWindow(calls.map(call => call.at))
  }

  /** How many calls were answered 60007 by the rate limit (injected 60007s not included). */
  get rateLimited(): number {
    return this.rateLimitedCount
  }

  /** How many requests arrived at REDIRECT_TARGET, i.e. followed a `redirect` fault. */
  get followedRedirects(): number {
    return this.followedRedirectCount
  }

  /** Queue a fault; the first pending fault that matches a request handles it. Throws on a malformed fault. */
  inject(fault: Fault): void {
    this.faults.add(parseFault(fault))
  }

  get pendingFaults(): number {
    return this.faults.size
  }

  /** Forget robots, calls, faults and counters. Hanging requests stay hanging. */
  reset(): void {
    this.store.clear()
    this.callLog = []
    this.connectionLog = []
    this.faults.clear()
    this.limiter.clear()
    this.rateLimitedCount = 0
    this.followedRedirectCount = 0
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = this.nowMs()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname.startsWith(CONTROL_PREFIX)) return this.handleControl(req, res, url.pathname)

    const raw = await readBody(req)
    if (url.pathname === REDIRECT_TARGET) {
      this.followedRedirectCount++
      await this.sleep(this.latencyMs)
      sendJson(res, 200, envelope(fail(60009, 'wrong resource'), false))
      return
    }

    const { service, command, handler } = route(url.pathname)
    const query = firstValues(url.searchParams)
    const body = parseBody(raw.text)
    const record: CallRecord = {
      command,
      service,
      body: body.kind === 'json' ? body.value : body.kind === 'invalid' ? body.text : undefined,
      query,
      at: arrivedAt,
      connection: this.connectionOf.get(req.socket)?.id ?? 0,
      code: null
    }
    this.callLog.push(record)

    const fault = this.faults.take(command, record.body)
    if (fault !== undefined) record.fault = fault.kind
    if (fault !== undefined && fault.kind !== 'code' && fault.kind !== 'delay') {
      await this.sleep(this.latencyMs)
      this.networkFault(fault, req, res, query)
      return
    }

    let answer: Answer
    if (fault?.kind === 'code') {
      answer = fail(fault.code, fault.info === undefined ? `error ${fault.code} injected by the emulator` : echoRequest(fault.info, query))
    } else if (raw.tooLarge) {
      answer = fail(60002, `request body is over ${MAX_BODY_BYTES} bytes`)
    } else {
      answer = this.answer(req.method ?? '', service, command, handler, query, body, arrivedAt)
    }
    record.code = answer.code
    // A delayed answer's command has already taken effect: the case where a client times out on a write that happened.
    await this.sleep(this.latencyMs + (fault?.kind === 'delay' ? fault.ms : 0))
    record.answeredAt = this.nowMs()
    sendJson(res, 200, envelope(answer, service === 'profile'))
  }

  private answer(
    method: string,
    service: string,
    command: string,
    handler: Handler | undefined,
    query: Record<string, string>,
    body: ParsedBody,
    arrivedAt: number
  ): Answer {
    if (handler === undefined) return fail(60009, `wrong resource: no API /v4/${service}/${command}`)
    if (method !== 'POST') return fail(60002, `HTTP method ${method} is not supported; use POST`)
    if (!this.limiter.admit(`${service}/${command}`, arrivedAt)) {
      this.rateLimitedCount++
      return fail(60007, `${command}: call frequency over the limit`)
    }
    const refused = this.checkQuery(query)
    if (refused !== undefined) return refused
    // Emulator choice between the two codes the vendor could use: empty is 60002, unparseable is 60003.
    if (body.kind === 'empty') return fail(60002, 'request body is empty; send {} when there is nothing to send')
    if (body.kind === 'invalid') return fail(60003, 'request body is not valid JSON')
    return handler(this.store, body.value)
  }

  /** The URL checks, in the order the vendor reports them. */
  private checkQuery(query: Record<string, string>): Answer | undefined {
    const sdkappid = query.sdkappid
    if (sdkappid === undefined || sdkappid === '') return fail(60012, 'SDKAppID is missing')
    if (!/^\d+$/.test(sdkappid) || Number(sdkappid) !== this.sdkappid) {
      return fail(70016, `SDKAppID ${sdkappid} not found: check the region`)
    }
    const identifier = query.identifier ?? ''
    const verdict = verifyUserSig(query.usersig ?? '', {
      sdkappid: this.sdkappid,
      identifier,
      secretKey: this.secretKey,
      now: this.now()
    })
    if (!verdict.ok) return fail(verdict.code, verdict.info)
    if (!this.admins.includes(identifier)) return fail(60010, `identifier ${identifier} is not an app admin`)
    if (query.contenttype !== 'json') return fail(60025, 'contenttype must be json')
    const random = query.random
    if (random === undefined || !/^\d{1,10}$/.test(random) || Number(random) > MAX_RANDOM) {
      return fail(60025, 'random must be an integer from 0 to 4294967295')
    }
    return undefined
  }

  private networkFault(fault: Fault, req: IncomingMessage, res: ServerResponse, query: Record<string, string>): void {
    switch (fault.kind) {
      case 'http': {
        const page = fault.body === undefined ? GATEWAY_PAGE : echoRequest(fault.body, query)
        res.writeHead(fault.status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) })
        res.end(page)
        return
      }
      case 'truncated': {
        const full = Buffer.from(JSON.stringify(envelope({ code: 0, info: '' }, false)))
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': full.length })
        // Send half of what Content-Length promised, then close: the body can never complete.
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy())
        return
      }
      case 'non-json': {
        const page = '<html><body><h1>Service temporarily unavailable</h1></body></html>\n'
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) })
        res.end(page)
        return
      }
      case 'reset':
        req.socket.resetAndDestroy()
        return
      case 'hang':
        this.hanging.add(res)
        res.on('close', () => this.hanging.delete(res))
        return
      case 'redirect':
        res.writeHead(fault.status ?? 302, {
          Location: fault.location === undefined ? `${this.url}${REDIRECT_TARGET}` : echoRequest(fault.location, query),
          'Content-Length': 0
        })
        res.end()
        return
      case 'answer':
        sendJson(res, 200, fault.json)
        return
      default:
        throw new Error(`fault kind ${fault.kind} is not a network fault`)
    }
  }

  /** The control API: plain HTTP status codes, since it is not the vendor. */
  private async handleControl(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const action = `${req.method ?? ''} ${pathname.slice(CONTROL_PREFIX.length)}`
    const raw = await readBody(req)
    const readJson = (): unknown => JSON.parse(raw.text === '' ? 'null' : raw.text)
    try {
      switch (action) {
        case 'GET state':
          sendJson(res, 200, this.state())
          return
        case 'POST faults':
          this.inject(readJson() as Fault)
          break
        case 'POST seed': {
          const robots = readJson()
          if (!Array.isArray(robots)) throw new Error('seed takes a JSON array of robots')
          this.seed(robots as SeedRobot[])
          break
        }
        case 'POST reset':
          this.reset()
          break
        default:
          sendJson(res, 404, { error: `no control action ${action}; try GET state, POST faults, POST seed, POST reset` })
          return
      }
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) })
      return
    }
    sendJson(res, 200, { ok: true })
  }

  /**
   * What GET /__emulator/state shows. UserSigs are redacted: a workflow that
   * prints this state must not print a credential, fake or not.
   */
  private state(): Record<string, unknown> {
    return {
      robots: this.robots(),
      deleted: this.deleted(),
      calls: this.callLog.map(call => ({
        ...call,
        query: call.query.usersig === undefined ? call.query : { ...call.query, usersig: '<redacted>' }
      })),
      rateLimited: this.rateLimitedCount,
      followedRedirects: this.followedRedirectCount,
      pendingFaults: this.faults.size
    }
  }
}

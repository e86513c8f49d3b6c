import http from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'
import { proxyAuthorization } from '../proxy-credentials.js'

/**
 * One POST of a JSON body, for the vendor client only. node:http rather than
 * fetch: it is already loaded by @actions/core, never follows a redirect, and
 * starts a wave of concurrent requests with far less overhead (see BENCHMARKS.md).
 *
 * The proxy is the caller's to choose (src/proxy.ts, from the run's env): this
 * module reads no environment. It is reached the way @actions/http-client
 * reaches one: a CONNECT tunnel, inside which TLS runs end to end with the
 * vendor — the proxy sees a host and a port, never the URL with its UserSig.
 */

export interface HttpAnswer {
  status: number
  statusText: string
  location: string | null
  body: Buffer
}

/** A failure with no HTTP answer; `kind` says which, never the URL (it carries the UserSig). */
export class HttpFault extends Error {
  constructor(
    readonly kind: 'timeout' | 'reset' | 'cut-off' | 'too-large' | 'unresolved' | 'network' | 'cancelled',
    readonly detail: string
  ) {
    super(detail)
    this.name = 'HttpFault'
  }
}

/** host:port of a proxy, for messages: its URL may carry a user name and password. */
export function describeProxy(proxy: URL): string {
  return `${proxy.hostname}:${proxy.port || (proxy.protocol === 'https:' ? 443 : 80)}`
}

export class HttpPoster {
  /** One agent per origin (the run has one), direct or through its proxy, keeping connections alive. */
  private readonly agents = new Map<string, http.Agent>()
  /** The connections opened ahead for each direct agent. */
  private readonly spares = new Map<http.Agent, Spares>()

  /** `proxy`: the proxy for https:// requests, or null for none (plain http:// is loopback only, never proxied). */
  constructor(
    private readonly maxAnswerBytes: number,
    private readonly proxy: URL | null
  ) {}

  private agentFor(url: URL): http.Agent {
    let agent = this.agents.get(url.origin)
    if (!agent) {
      const proxy = url.protocol === 'https:' ? this.proxy : null
      agent = proxy ? new TunnellingAgent(proxy) : new (url.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true })
      if (!proxy) this.spares.set(agent, new Spares(agent))
      this.agents.set(url.origin, agent)
    }
    return agent
  }

  /**
   * Opens connections to `url`'s origin ahead of the requests that will use them,
   * so that up to `count` requests sent at once start without a TCP and TLS
   * handshake each. Call it while a request to the same origin is in flight:
   * the connections are opened exactly as the agent opened that one. Through a
   * proxy, nothing is opened ahead (each connection is a CONNECT tunnel).
   */
  prepare(url: URL, count: number): void {
    try {
      this.spares.get(this.agentFor(url))?.open(count)
    } catch {
      // Only a head start: the request in flight must not fail for it, and each write opens its own.
    }
  }

  /** `cancel` cuts the request wherever it is (the job was cancelled). */
  post(url: URL, json: string, timeoutMs: number, cancel?: AbortSignal): Promise<HttpAnswer> {
    const transport = url.protocol === 'https:' ? https : http
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false
      const fail = (fault: HttpFault): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        cancel?.removeEventListener('abort', cut)
        request.destroy()
        reject(fault)
      }
      const cut = (): void => fail(new HttpFault('cancelled', 'cut off in flight: the job was cancelled'))
      cancel?.addEventListener('abort', cut, { once: true })
      const timer = setTimeout(() => fail(new HttpFault('timeout', `no answer within ${timeoutMs / 1000} s`)), timeoutMs)
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: this.agentFor(url),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }
        },
        response => {
          const chunks: Buffer[] = []
          let size = 0
          response.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > this.maxAnswerBytes)
              fail(new HttpFault('too-large', `an answer of more than ${this.maxAnswerBytes} bytes, too large to be the vendor's`))
            else chunks.push(chunk)
          })
          response.on('aborted', () => fail(new HttpFault('cut-off', 'the answer was cut off before its end')))
          response.on('error', () => fail(new HttpFault('cut-off', 'the answer was cut off before its end')))
          response.on('end', () => {
            if (settled) return
            if (!response.complete) return fail(new HttpFault('cut-off', 'the answer was cut off before its end'))
            settled = true
            clearTimeout(timer)
            cancel?.removeEventListener('abort', cut)
            resolve({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              location: typeof response.headers.location === 'string' ? response.headers.location : null,
              body: Buffer.concat(chunks)
            })
          })
        }
      )
      request.on('error', (error: NodeJS.ErrnoException) => fail(describeError(error)))
      request.end(json)
      if (cancel?.aborted) cut()
    })
  }

  /** Lets the process end: keep-alive sockets would otherwise hold it open. */
  close(): void {
    for (const spares of this.spares.values()) spares.close()
    for (const agent of this.agents.values()) agent.destroy()
  }
}

/**
 * The options without the first request's URL: its query carries the UserSig,
 * which a connection does not need and which is not kept for the whole run.
 */
function connectionOnly(options: ConnectionOptions): ConnectionOptions {
  const connection = { ...options }
  for (const key of ['href', 'search', 'pathname', 'hash']) delete connection[key]
  return connection
}

/** What ends a waiting connection's use. */
const WAITING_ENDS = ['error', 'close', 'end'] as const

/** What an agent passes to createConnection: the request's target and the agent's own settings. */
type ConnectionOptions = Record<string, unknown>

/**
 * Connections opened before the agent asks for them, handed to it when it
 * does. The agent makes a connection with `createConnection`; wrapped here, the
 * first call's options are kept, later connections are opened with the same
 * options (host, port, servername, the agent's TLS settings and session cache),
 * and a request that needs a connection gets an idle one if there is one. A
 * connection the server closes, or sends anything on, while it waits is
 * dropped, never handed out.
 */
class Spares {
  private template: ConnectionOptions | null = null
  /** Each waiting connection, with the listener that drops it. */
  private readonly idle = new Map<Duplex, () => void>()
  private readonly openConnection: (options: ConnectionOptions, callback?: (error: Error | null, socket: Duplex) => void) => Duplex

  constructor(agent: http.Agent) {
    const agentWithConnect = agent as unknown as { createConnection: Spares['openConnection'] }
    this.openConnection = agentWithConnect.createConnection.bind(agent)
    agentWithConnect.createConnection = (options, callback) => {
      this.template ??= connectionOnly(options)
      return this.take() ?? this.openConnection(options, callback)
    }
  }

  /** Opens connections until `count` are waiting; none before the agent has made its first. */
  open(count: number): void {
    if (this.template === null) return
    while (this.idle.size < count) {
      const socket = this.openConnection({ ...this.template })
      const drop = (): void => {
        this.idle.delete(socket)
        socket.destroy()
      }
      // An error on an idle connection is nobody's request: it is dropped, and a request opens its own.
      for (const event of WAITING_ENDS) socket.on(event, drop)
      this.idle.set(socket, drop)
    }
  }

  private take(): Duplex | undefined {
    for (const [socket, drop] of this.idle) {
      this.idle.delete(socket)
      // Only this class's listeners: Node's own (TLS handshake) stay.
      for (const event of WAITING_ENDS) socket.off(event, drop)
      // Bytes that came before any request (an answer that is not ours, a 408 sent with the
      // server's close, which also holds back 'end') would be read as the answer to the request.
      if (!socket.destroyed && !socket.readableEnded && socket.readableLength === 0) return socket
      socket.destroy()
    }
    return undefined
  }

  close(): void {
    for (const socket of this.idle.keys()) socket.destroy()
    this.idle.clear()
  }
}

/**
 * An https agent whose connections are CONNECT tunnels through a proxy; the TLS
 * session runs inside the tunnel and is checked against the vendor's host name.
 */
class TunnellingAgent extends https.Agent {
  /** CONNECTs still waiting for the proxy: closed with the agent, so none keeps the process alive. */
  private readonly pending = new Set<http.ClientRequest>()

  constructor(private readonly proxy: URL) {
    super({ keepAlive: true })
  }

  // Node's agent takes the socket from the callback when createConnection returns nothing.
  override createConnection(options: http.ClientRequestArgs & tls.ConnectionOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex {
    const host = options.host ?? 'localhost'
    const done = callback ?? (() => {})
    this.tunnel(host, Number(options.port ?? 443)).then(
      socket => done(null, tls.connect({ ...options, socket, servername: options.servername || host })),
      (error: Error) => done(error, undefined as unknown as Duplex)
    )
    return undefined as unknown as Duplex
  }

  private tunnel(host: string, port: number): Promise<Socket> {
    const proxy = this.proxy
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
    const headers: http.OutgoingHttpHeaders = { host: target }
    const authorization = proxyAuthorization(proxy)
    if (authorization) headers['proxy-authorization'] = authorization
    return new Promise<Socket>((resolve, reject) => {
      const request = (proxy.protocol === 'https:' ? https : http).request({
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: target,
        headers,
        agent: false
      })
      this.pending.add(request)
      request.once('connect', (response, socket) => {
        this.pending.delete(request)
        if (response.statusCode === 200) return resolve(socket)
        socket.destroy()
        const why = response.statusCode === 407 ? ': it wants a user name and password (http://user:password@host:port in HTTPS_PROXY)' : ''
        reject(new HttpFault('network', `the proxy ${describeProxy(proxy)} answered HTTP ${response.statusCode} to CONNECT ${target}${why}`))
      })
      request.once('error', (error: NodeJS.ErrnoException) => {
        this.pending.delete(request)
        reject(new HttpFault('network', `the proxy ${describeProxy(proxy)} could not be reached: ${describeError(error).detail}`))
      })
      request.end()
    })
  }

  override destroy(): void {
    for (const request of this.pending) request.destroy()
    this.pending.clear()
    super.destroy()
  }
}

function describeError(error: NodeJS.ErrnoException): HttpFault {
  if (error instanceof HttpFault) return error
  const code = error.code ?? ''
  if (code === 'ECONNRESET' || code === 'EPIPE') return new HttpFault('reset', `the connection was reset before an answer (${code})`)
  if (code === 'ECONNREFUSED') return new HttpFault('network', 'the connection was refused (ECONNREFUSED)')
  // ENOTFOUND is the name server's answer that the name does not exist: no retry changes it.
  if (code === 'ENOTFOUND') {
    const host = (error as { hostname?: unknown }).hostname
    return new HttpFault('unresolved', `the host name ${typeof host === 'string' ? `${host} ` : ''}did not resolve (ENOTFOUND)`)
  }
  if (code === 'EAI_AGAIN') return new HttpFault('network', `the endpoint's host name did not resolve (${code})`)
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return new HttpFault('network', `the answer was not valid HTTP (${code})`)
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return new HttpFault('network', `TLS failed (${code})`)
  return new HttpFault('network', `network error${code ? ` (${code})` : ''}`)
}

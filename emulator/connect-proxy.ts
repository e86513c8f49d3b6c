import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

/**
 * A loopback forward proxy, the kind self-hosted runners sit behind: CONNECT
 * tunnels (how https goes through a proxy) and absolute-form requests (how a
 * client may send plain http through one), with an optional Basic user name and
 * password (407 without them).
 *
 * Host names are resolved from `hosts`, never from DNS, so a test can address a
 * loopback server by a name that does not look like loopback — the only kind
 * of name a client sends through a proxy at all — and nothing leaves the machine.
 */

export interface ProxyOptions {
  /** Host name → IP address; any other name is answered 502. */
  hosts: Record<string, string>
  /** When set, every request must carry them (Proxy-Authorization: Basic). */
  credentials?: { username: string; password: string }
}

export interface ProxiedRequest {
  method: string
  /** host:port for CONNECT, the absolute URL for a forwarded request. */
  target: string
  /** The answer the proxy gave to the request (200 for an opened tunnel). */
  status: number
}

export class ConnectProxy {
  /** Every request the proxy saw, in arrival order. */
  readonly requests: ProxiedRequest[] = []
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()

  constructor(private readonly options: ProxyOptions) {}

  /** Listens on 127.0.0.1 and returns the proxy's URL (without credentials). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const target = req.url ?? ''
      const status = this.refusal(req) ?? this.forward(req, res)
      if (status !== 200) {
        res.writeHead(status, status === 407 ? { 'Proxy-Authenticate': 'Basic realm="test proxy"' } : {})
        res.end()
      }
      this.requests.push({ method: req.method ?? '', target, status })
    })
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      const target = req.url ?? ''
      this.track(client)
      const status = this.refusal(req) ?? this.tunnel(target, client, head)
      this.requests.push({ method: 'CONNECT', target, status })
      if (status !== 200)
        client.end(
          `HTTP/1.1 ${status} ${status === 407 ? 'Proxy Authentication Required' : 'Refused'}\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="test proxy"\r\n' : ''}Content-Length: 0\r\n\r\n`
        )
    })
    server.on('connection', socket => this.track(socket))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    this.server = server
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }

  /** Tunnels that were opened, as host:port. */
  get tunnels(): string[] {
    return this.requests.filter(r => r.method === 'CONNECT' && r.status === 200).map(r => r.target)
  }

  private track(socket: Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }

  /** 407 without the right credentials, when the proxy wants them. */
  private refusal(req: IncomingMessage): number | null {
    const wanted = this.options.credentials
    if (!wanted) return null
    const expected = `Basic ${Buffer.from(`${wanted.username}:${wanted.password}`).toString('base64')}`
    return req.headers['proxy-authorization'] === expected ? null : 407
  }

  private resolve(host: string): string | undefined {
    return Object.hasOwn(this.options.hosts, host.toLowerCase()) ? this.options.hosts[host.toLowerCase()] : undefined
  }

  private tunnel(target: string, client: Socket, head: Buffer): number {
    const match = /^([^:[\]]+|\[[^\]]+\]):(\d+)$/.exec(target)
    const address = match ? this.resolve(match[1]) : undefined
    if (!match || address === undefined) return 502
    const upstream = connect(Number(match[2]), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    this.track(upstream)
    upstream.on('close', () => client.destroy())
    client.on('close', () => upstream.destroy())
    return 200
  }

  private forward(req: IncomingMessage, res: ServerResponse): number {
    let url: URL
    try {
      url = new URL(req.url ?? '')
    } catch {
      return 400
    }
    const address = this.resolve(url.hostname)
    if (url.protocol !== 'http:' || address === undefined) return 502
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    const upstream = httpRequest({ host: address, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers }, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
    return 200
  }
}

import http from 'node:http'
import https from 'node:https'

/**
 * One POST of a JSON body, for the vendor client only. node:http rather than
 * fetch: it is already loaded by @actions/core, never follows a redirect, and
 * starts a wave of concurrent requests with far less overhead (see BENCHMARKS.md).
 */

export interface HttpAnswer {
  status: number
  statusText: string
  location: string | null
  body: Buffer
}

/** A failure with no HTTP answer; `kind` says which, never the URL (it carries the UserSig). */
export class HttpFault extends Error {
  constructor(readonly kind: 'timeout' | 'reset' | 'cut-off' | 'too-large' | 'network', readonly detail: string) {
    super(detail)
    this.name = 'HttpFault'
  }
}

export class HttpPoster {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true })
  }

  constructor(private readonly maxAnswerBytes: number) {}

  post(url: URL, json: string, timeoutMs: number): Promise<HttpAnswer> {
    const transport = url.protocol === 'https:' ? https : http
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false
      const fail = (fault: HttpFault): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        request.destroy()
        reject(fault)
      }
      const timer = setTimeout(() => fail(new HttpFault('timeout', `no answer within ${timeoutMs / 1000} s`)), timeoutMs)
      const request = transport.request(url, {
        method: 'POST',
        agent: this.agents[url.protocol as 'http:' | 'https:'],
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }
      }, response => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > this.maxAnswerBytes) fail(new HttpFault('too-large', `an answer of more than ${this.maxAnswerBytes} bytes, too large to be the vendor's`))
          else chunks.push(chunk)
        })
        response.on('aborted', () => fail(new HttpFault('cut-off', 'the answer was cut off before its end')))
        response.on('error', () => fail(new HttpFault('cut-off', 'the answer was cut off before its end')))
        response.on('end', () => {
          if (settled) return
          if (!response.complete) return fail(new HttpFault('cut-off', 'the answer was cut off before its end'))
          settled = true
          clearTimeout(timer)
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            location: typeof response.headers.location === 'string' ? response.headers.location : null,
            body: Buffer.concat(chunks)
          })
        })
      })
      request.on('error', (error: NodeJS.ErrnoException) => fail(describeError(error)))
      request.end(json)
    })
  }

  /** Lets the process end: keep-alive sockets would otherwise hold it open. */
  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy()
  }
}

function describeError(error: NodeJS.ErrnoException): HttpFault {
  const code = error.code ?? ''
  if (code === 'ECONNRESET' || code === 'EPIPE') return new HttpFault('reset', `the connection was reset before an answer (${code})`)
  if (code === 'ECONNREFUSED') return new HttpFault('network', 'the connection was refused (ECONNREFUSED)')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpFault('network', `the endpoint's host name did not resolve (${code})`)
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return new HttpFault('network', `the answer was not valid HTTP (${code})`)
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return new HttpFault('network', `TLS failed (${code})`)
  return new HttpFault('network', `network error${code ? ` (${code})` : ''}`)
}

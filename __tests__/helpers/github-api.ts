import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A loopback stand-in for the part of the GitHub REST API the plan comment
 * uses: list, create and update issue comments, with the token checked and
 * an optional refusal (a fork's read-only token gets 403).
 */
export interface Comment {
  id: number
  body: string
}

export class FakeGitHub {
  comments: Comment[] = []
  requests: Array<{ method: string; path: string; auth: string | undefined }> = []
  /** Answer writes with this status instead (e.g. 403). */
  refuseWritesWith: number | null = null
  private server: Server | null = null
  private nextId = 1000

  constructor(private readonly token: string, private readonly repo = 'acme/robots', private readonly pr = 7) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      })
    })
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server?.close(resolve))
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = ''
    for await (const chunk of req) text += chunk
    const path = (req.url ?? '').split('?')[0]
    this.requests.push({ method: req.method ?? '', path, auth: req.headers.authorization })
    if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { message: 'Bad credentials' } }
    }
    const list = `/repos/${this.repo}/issues/${this.pr}/comments`
    if (req.method === 'GET' && path === list) return { status: 200, body: this.comments.map(c => ({ id: c.id, body: c.body })) }
    if (req.method !== 'GET' && this.refuseWritesWith) {
      return { status: this.refuseWritesWith, body: { message: 'Resource not accessible by integration' } }
    }
    if (req.method === 'POST' && path === list) {
      const comment = { id: this.nextId++, body: (JSON.parse(text) as { body: string }).body }
      this.comments.push(comment)
      return { status: 201, body: comment }
    }
    const update = new RegExp(`^/repos/${this.repo}/issues/comments/(\\d+)$`).exec(path)
    if (req.method === 'PATCH' && update) {
      const comment = this.comments.find(c => c.id === Number(update[1]))
      if (!comment) return { status: 404, body: { message: 'Not Found' } }
      comment.body = (JSON.parse(text) as { body: string }).body
      return { status: 200, body: comment }
    }
    return { status: 404, body: { message: 'Not Found' } }
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A loopback stand-in for the part of the GitHub REST API the plan comment
 * uses, with GitHub's own rules: GET /user answers a personal token with its
 * login and refuses the job's installation token (403); comments carry their
 * author; a list comes in pages (per_page, at most 100; page; a Link header to
 * the next); a body longer than 65,536 characters is refused with 422. Faults:
 * refused writes, a hung API, a deprecation notice.
 */
export interface Comment {
  id: number
  body: string
  user: { login: string; type: 'User' | 'Bot' }
}

export const JOB_TOKEN_LOGIN = 'github-actions[bot]'
const MAX_BODY_CHARS = 65_536

export interface FakeGitHubOptions {
  /** The token's user; null (the default) for the job's token, whose comments are github-actions[bot]'s. */
  login?: string | null
  repo?: string
  pr?: number
  /** Where the API lives on the server: '' for api.github.com, '/api/v3' on GitHub Enterprise Server. */
  apiPath?: string
}

export class FakeGitHub {
  comments: Comment[] = []
  requests: Array<{ method: string; path: string; auth: string | undefined }> = []
  /** Every body the action sent in a create or an update, in order, kept or refused. */
  bodiesSent: string[] = []
  /** Answer writes with this status instead (e.g. 403), and this message. */
  refuseWritesWith: number | null = null
  refusalMessage = 'Resource not accessible by integration'
  /** Requests whose "METHOD path" matches are never answered. */
  hang: RegExp | null = null
  /** Headers added to every answer (e.g. a deprecation notice). */
  extraHeaders: Record<string, string> = {}
  private server: Server | null = null
  private nextId = 1000
  private readonly login: string | null
  private readonly repo: string
  private readonly pr: number
  private readonly apiPath: string

  constructor(
    private readonly token: string,
    options: FakeGitHubOptions = {}
  ) {
    this.login = options.login ?? null
    this.repo = options.repo ?? 'acme/robots'
    this.pr = options.pr ?? 7
    this.apiPath = options.apiPath ?? ''
  }

  /** The author of the action's comments. */
  get identity(): string {
    return this.login ?? JOB_TOKEN_LOGIN
  }

  /** A comment written by someone else (or by `login`). */
  seedComment(body: string, login: string): Comment {
    const comment: Comment = { id: this.nextId++, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } }
    this.comments.push(comment)
    return comment
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(answer => {
        if (answer === null) return
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers, ...this.extraHeaders })
        res.end(JSON.stringify(answer.body))
      })
    })
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${this.apiPath}`
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise(resolve => this.server?.close(resolve))
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> } | null> {
    let text = ''
    for await (const chunk of req) text += chunk
    const [url, query] = (req.url ?? '').split('?') as [string, string | undefined]
    const method = req.method ?? ''
    const inApi = url.startsWith(`${this.apiPath}/`)
    // Recorded as a path of the API, where it lives on the server.
    const path = inApi ? url.slice(this.apiPath.length) : url
    this.requests.push({ method, path, auth: req.headers.authorization })
    if (!inApi) return { status: 404, body: { message: 'Not Found' } }
    if (this.hang?.test(`${method} ${path}`)) return null
    if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { message: 'Bad credentials' } }
    }
    if (method === 'GET' && path === '/user') {
      return this.login === null
        ? { status: 403, body: { message: 'Resource not accessible by integration' } }
        : { status: 200, body: { login: this.login, type: 'User' } }
    }
    const list = `/repos/${this.repo}/issues/${this.pr}/comments`
    if (method === 'GET' && path === list) return this.page(req, url, new URLSearchParams(query))
    const update = new RegExp(`^/repos/${this.repo}/issues/comments/(\\d+)$`).exec(path)
    const writing = (method === 'POST' && path === list) || (method === 'PATCH' && update)
    if (!writing) return { status: 404, body: { message: 'Not Found' } }

    const body = (JSON.parse(text) as { body: string }).body
    this.bodiesSent.push(body)
    if (this.refuseWritesWith) return { status: this.refuseWritesWith, body: { message: this.refusalMessage } }
    if ([...body].length > MAX_BODY_CHARS) {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]
        }
      }
    }
    if (method === 'POST') {
      const comment: Comment = { id: this.nextId++, body, user: { login: this.identity, type: this.login === null ? 'Bot' : 'User' } }
      this.comments.push(comment)
      return { status: 201, body: comment }
    }
    const comment = this.comments.find(c => c.id === Number(update![1]))
    if (!comment) return { status: 404, body: { message: 'Not Found' } }
    // A token that may write to the pull request may edit anyone's comment on it, as on GitHub.
    comment.body = body
    return { status: 200, body: comment }
  }

  /** One page of the comments, as GitHub pages a list: the Link header names the next one, by its full URL. */
  private page(req: IncomingMessage, url: string, query: URLSearchParams): { status: number; body: unknown; headers: Record<string, string> } {
    const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, 100)
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1)
    const body = this.comments.slice((page - 1) * perPage, page * perPage)
    const more = page * perPage < this.comments.length
    const next = `http://${req.headers.host}${url}?per_page=${perPage}&page=${page + 1}`
    return { status: 200, body, headers: more ? { link: `<${next}>; rel="next"` } : {} }
  }
}

/** The event that started the run: GITHUB_EVENT_NAME and the payload the runner writes to GITHUB_EVENT_PATH. */
export interface RunnerEvent {
  name: string
  /** Written as JSON; a string is written as it is (a payload that is not JSON). */
  payload: unknown
}

export interface EventOptions {
  /** The event and its payload; a push without one. */
  event?: RunnerEvent
}

/** A runner (runAction, runAgainst…) that also takes `event`, as runInProcess does. */
export function onEvent<O extends { env?: Record<string, string> }, R>(run: (options: O) => Promise<R>): (options: O & EventOptions) => Promise<R> {
  return async ({ event, ...options }) => (event ? withEvent(event, options.env, env => run({ ...options, env } as O)) : run(options as O))
}

/**
 * Runs `run` with the event set up as the runner does it: the payload in a file
 * outside the workspace, named by GITHUB_EVENT_PATH, removed afterwards. For the
 * built action and for run() in this process alike.
 */
export async function withEvent<T>(event: RunnerEvent, env: Record<string, string> | undefined, run: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'ccr-event-'))
  const path = join(folder, 'event.json')
  await writeFile(path, typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload))
  try {
    return await run({ GITHUB_EVENT_NAME: event.name, GITHUB_EVENT_PATH: path, ...env })
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

import path from 'node:path'
import type { ActionCore } from '../action-core.js'
import { GITHUB_API_TIMEOUT_MS, MAX_COMMENT_CHARS, TEST_TIMING_ENV } from '../constants.js'
import { readEventPayload } from '../event.js'
import type { CommentInputs } from '../inputs.js'
import { proxyFor } from '../proxy.js'
import { Redactor } from '../redact.js'
import { annotation } from './annotations.js'
import { cutHtml, escapeHtml } from './escape.js'
import { logLine } from './log.js'
import { renderSummary } from './summary.js'
import type { RunReport } from './types.js'

/**
 * On a pull request, the plan goes on the PR as one comment, updated in place
 * on later pushes. The comment belongs to the action: it is found by a hidden
 * marker naming the manifest and the app AND by its author being the token's own
 * identity, so a marked comment written by anyone else is never edited. It is
 * posted on every run, a failed one too, so a stale plan never stays up.
 * Octokit (and undici) are loaded only here, so runs that do not comment do not pay for them.
 * Returns a note for the summary when the plan could not be posted.
 */
export async function postPlanComment(core: ActionCore, env: NodeJS.ProcessEnv, inputs: CommentInputs, report: RunReport): Promise<string | null> {
  const event = env.GITHUB_EVENT_NAME ?? ''
  if (!inputs.enabled || (event !== 'pull_request' && event !== 'pull_request_target')) return null
  if (!inputs.githubToken) return 'The plan was not posted on the pull request: no github-token.'
  try {
    return await post(core, env, inputs, report)
  } catch (error) {
    // A bug here (an unreadable event payload…) must not cost the summary and the outputs.
    const why = new Redactor([inputs.githubToken]).redact(error instanceof Error ? error.message : String(error))
    annotation(core, 'warning', `The plan was not posted on the pull request: ${why}. The plan is in the job summary.`)
    return `The plan was not posted on the pull request: ${why}.`
  }
}

async function post(core: ActionCore, env: NodeJS.ProcessEnv, inputs: CommentInputs, report: RunReport): Promise<string | null> {
  const pr = pullRequestOf(env)
  if (!pr) return null
  const { owner, repo, number } = pr
  const run = runLinks(pr.serverUrl, `${owner}/${repo}`, pr.runId, pr.sha)
  const marker = commentMarker(inputs)
  const body = commentBody(marker, renderSummary(report), run)
  const { Octokit, githubTransport } = await import('./github-transport.js')
  const transport = githubTransport(core, proxyFor(new URL(pr.apiUrl), env))
  const octokit = new Octokit({ auth: inputs.githubToken, baseUrl: pr.apiUrl, userAgent: userAgent(env), request: { fetch: transport.fetch } })
  const timeoutMs = githubTimeoutMs(env)
  // Octokit's own lines quote GitHub's headers (a deprecation's sunset and link): a piece of the token in them is not masked by the runner.
  const redactor = new Redactor([inputs.githubToken])
  const log = {
    debug: (m: string) => core.debug(redactor.redact(m)),
    info: (m: string) => core.debug(redactor.redact(m)),
    warn: (m: string) => logLine(core, redactor.redact(m)),
    error: (m: string) => logLine(core, redactor.redact(m))
  }
  // Every call has its own deadline: a hung API costs a warning, not the job's time.
  octokit.hook.wrap('request', async (request, options) => {
    const signal = AbortSignal.timeout(timeoutMs)
    // In place: the hooks inside this one (the token's) were bound to this very object.
    options.request = { ...options.request, signal, log }
    try {
      return await request(options)
    } catch (error) {
      if (signal.aborted) throw new GitHubTimeout(`the GitHub API did not answer within ${timeoutMs / 1000} s`)
      throw error
    }
  })

  try {
    const identity = await tokenIdentity(octokit)
    const comments = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, per_page: 100 })
    const own = comments.filter(c => c.user?.login?.toLowerCase() === identity.toLowerCase())
    const firstLine = (text: string | undefined) => (text ?? '').split('\n', 1)[0]
    const mine = own.find(c => firstLine(c.body) === marker) ?? own.find(c => firstLine(c.body) === legacyMarker(inputs))
    if (mine && (await updated(octokit, owner, repo, mine.id, body))) {
      logLine(core, `Updated the plan comment on pull request #${number}.`)
    } else {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, body })
      logLine(core, `Posted the plan as a comment on pull request #${number}.`)
    }
    return null
  } catch (error) {
    const status = (error as { status?: number }).status
    const why = redactor.redact(
      error instanceof GitHubTimeout
        ? error.message
        : status === 403 || status === 404
          ? `the token cannot write to this pull request (HTTP ${status}); pull requests from forks get a read-only token — see the README's workflow_run pattern`
          : `${status ? `HTTP ${status}: ` : ''}${error instanceof Error ? error.message : String(error)}`
    )
    annotation(core, 'warning', `The plan was not posted on pull request #${number}: ${why}. The plan is in the job summary.`)
    return `The plan was not posted on the pull request: ${why}.`
  } finally {
    transport.close()
  }
}

/** The pull request and the run, as the runner describes them to the step. */
interface PullRequestContext {
  owner: string
  repo: string
  number: number
  /** The head commit planned: the payload's, else GITHUB_SHA. */
  sha: unknown
  serverUrl: string
  runId: number
  /** The REST API's root: GitHub Enterprise Server has its own. */
  apiUrl: string
}

/**
 * The runner's orchestration ID, when it gives one, in the user agent as
 * @actions/github puts it there: GitHub ties the calls to the job with it.
 */
function userAgent(env: NodeJS.ProcessEnv): string {
  const id = env.ACTIONS_ORCHESTRATION_ID?.trim()
  return id ? `create-chat-robots actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}` : 'create-chat-robots'
}

/**
 * Read from the step's environment as @actions/github's `context` reads it, but
 * from the `env` the run was given rather than once from process.env at load:
 * the same answers in the runner, and a test can run many events in one process.
 * Null when the event is not about a pull request.
 */
function pullRequestOf(env: NodeJS.ProcessEnv): PullRequestContext | null {
  const payload = readEventPayload(env.GITHUB_EVENT_PATH)
  const pr = asRecord(payload.pull_request)
  if (typeof pr.number !== 'number') return null
  const { owner, repo } = repositoryOf(env, payload)
  return {
    owner,
    repo,
    number: pr.number,
    sha: asRecord(pr.head).sha ?? env.GITHUB_SHA,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: parseInt(env.GITHUB_RUN_ID ?? '', 10),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com'
  }
}

/** GITHUB_REPOSITORY (owner/repo), else the payload's repository. */
function repositoryOf(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): { owner: string; repo: string } {
  const [owner, repo] = env.GITHUB_REPOSITORY
    ? env.GITHUB_REPOSITORY.split('/')
    : [asRecord(asRecord(payload.repository).owner).login, asRecord(payload.repository).name]
  if (typeof owner !== 'string' || typeof repo !== 'string' || !owner || !repo) {
    throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'")
  }
  return { owner, repo }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

type Octokit = InstanceType<typeof import('./github-transport.js').Octokit>

class GitHubTimeout extends Error {}

/**
 * Whose comments are ours. The job's token is an app installation token, which
 * GET /user refuses (403): its comments are github-actions[bot]'s. Any other
 * token says who it is.
 */
async function tokenIdentity(octokit: Octokit): Promise<string> {
  try {
    return (await octokit.request('GET /user')).data.login
  } catch (error) {
    if ((error as { status?: number }).status === 403) return 'github-actions[bot]'
    throw error
  }
}

/** False when the comment was deleted in the meantime: a new one is written instead. */
async function updated(octokit: Octokit, owner: string, repo: string, commentId: number, body: string): Promise<boolean> {
  try {
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: commentId, body })
    return true
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false
    throw error
  }
}

/**
 * One comment per manifest and app: the same manifest planned against two apps
 * gets two comments. The marker holds only characters that cannot end an HTML
 * comment or break its line.
 */
export function commentMarker(inputs: Pick<CommentInputs, 'manifestPath' | 'sdkappid'>): string {
  const safe = (text: string) => encodeURIComponent(text).replace(/-/g, '%2D')
  return `<!-- create-chat-robots plan: manifest=${safe(manifestKey(inputs.manifestPath))} sdkappid=${safe(inputs.sdkappid)} -->`
}

/** The marker of releases before the app was part of it; such a comment of ours is taken over. */
function legacyMarker(inputs: Pick<CommentInputs, 'manifestPath'>): string {
  return `<!-- create-chat-robots plan: ${manifestKey(inputs.manifestPath).replace(/--/g, '')} -->`
}

/** The manifest input as a path from the workspace root, the same whether the run could read it or not. */
function manifestKey(manifestPath: string): string {
  const normalised = path.posix.normalize(manifestPath.replace(/\\/g, '/')).replace(/\/+$/, '')
  return normalised === '.' ? '' : normalised
}

interface RunLinks {
  /** The workflow run, whose page holds the job summary. */
  runUrl: string | null
  sha: string | null
  commitUrl: string | null
}

function runLinks(serverUrl: string, repository: string, runId: number, sha: unknown): RunLinks {
  const server = /^https?:\/\/[^\s"'<>]+$/.test(serverUrl) ? serverUrl.replace(/\/+$/, '') : 'https://github.com'
  const repo = /^[\w.-]+\/[\w.-]+$/.test(repository) ? repository : null
  const commit = typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha.toLowerCase() : null
  return {
    runUrl: repo && Number.isSafeInteger(runId) && runId > 0 ? `${server}/${repo}/actions/runs/${runId}` : null,
    sha: commit,
    commitUrl: repo && commit ? `${server}/${repo}/commit/${commit}` : null
  }
}

/**
 * The marker, the plan and a footer naming the commit planned and the run. A plan
 * longer than GitHub takes for a comment keeps its beginning (the counts, the first
 * rows) and says where the whole plan is.
 */
export function commentBody(marker: string, summary: string, run: RunLinks): string {
  const runLink = run.runUrl ? `<a href="${escapeHtml(run.runUrl)}">the workflow run</a>` : 'the workflow run'
  const commit = run.sha ? `<code>${run.sha.slice(0, 7)}</code>` : null
  const footer = `<p><sub>Planned ${commit ? `at ${run.commitUrl ? `<a href="${escapeHtml(run.commitUrl)}">${commit}</a>` : commit}` : ''} by ${runLink}.</sub></p>\n`
  const whole = `${marker}\n${summary}${footer}`
  if (whole.length <= MAX_COMMENT_CHARS) return whole
  const note = `<p>✂️ The plan is cut here: it is longer than a pull request comment can be. The full plan is in the job summary of ${runLink}.</p>\n`
  const room = MAX_COMMENT_CHARS - marker.length - 1 - note.length - footer.length
  return `${marker}\n${cutHtml(summary, room)}\n${note}${footer}`
}

/** The test suite shortens the deadline (TEST_TIMING_ENV); it can never be made longer than the default. */
export function githubTimeoutMs(env: NodeJS.ProcessEnv): number {
  let asked: unknown
  try {
    asked = (JSON.parse(env[TEST_TIMING_ENV] || '{}') as { githubTimeoutMs?: unknown }).githubTimeoutMs
  } catch {
    asked = undefined
  }
  return typeof asked === 'number' && Number.isFinite(asked) && asked > 0 ? Math.min(asked, GITHUB_API_TIMEOUT_MS) : GITHUB_API_TIMEOUT_MS
}

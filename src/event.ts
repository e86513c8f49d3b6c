/**
 * The event that started the run, read once: its name (GITHUB_EVENT_NAME) and
 * what the payload (GITHUB_EVENT_PATH) says about a pull request. It offers:
 *
 * - `planOnly`: why this run must write nothing, whatever `dry-run` says — every
 *   pull request event (pull_request, pull_request_target, pull_request_review,
 *   pull_request_review_comment, merge_group) except a pull request closed by a
 *   merge — or null when the run may write;
 * - `mergedClose`: a pull_request or pull_request_target `closed` event with
 *   `merged: true` (the "apply when merged" pattern);
 * - `isFork`: the pull request's head repository differs from its base (a fork
 *   gets no secrets and a read-only token), for messages that explain why
 *   credentials or the comment are missing;
 * - `pullRequestNumber`.
 *
 * The payload is read with node:fs, not a GitHub library: loading one costs
 * start-up time on every run. A payload that cannot be read leaves every
 * fact false, which on a pull request event means: write nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { RunEvent } from './types.js'

/** Events a pull request's author can start, or that run before a merge: they plan, never write. */
export const PLAN_ONLY_EVENTS: readonly string[] = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'merge_group']

/** Of those, the events whose `closed` action with `merged: true` may write. */
const MERGE_EVENTS: readonly string[] = ['pull_request', 'pull_request_target']

export function readEvent(env: NodeJS.ProcessEnv = process.env): RunEvent {
  const name = env.GITHUB_EVENT_NAME ?? ''
  const payload = readPayload(env.GITHUB_EVENT_PATH)
  const pullRequest = record(payload.pull_request)
  const action = typeof payload.action === 'string' ? payload.action : null
  const mergedClose = MERGE_EVENTS.includes(name) && action === 'closed' && pullRequest.merged === true
  const number = pullRequest.number
  return {
    name,
    action,
    pullRequestNumber: typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : null,
    mergedClose,
    isFork: isFork(pullRequest),
    planOnly:
      PLAN_ONLY_EVENTS.includes(name) && !mergedClose
        ? `This run was started by a ${name} event: on pull request events the action plans and writes nothing to the app, whatever dry-run says. It writes when the pull request is merged (a closed event with merged: true) or on a push.`
        : null
  }
}

/** The head repository is another than the base, or gone (a deleted fork). */
function isFork(pullRequest: Record<string, unknown>): boolean {
  if (Object.keys(pullRequest).length === 0) return false
  const head = record(record(pullRequest.head).repo)
  const base = record(record(pullRequest.base).repo)
  const headName = head.full_name
  const baseName = base.full_name
  if (typeof baseName !== 'string') return false
  if (typeof headName !== 'string') return true
  return headName.toLowerCase() !== baseName.toLowerCase()
}

function readPayload(path: string | undefined): Record<string, unknown> {
  try {
    return readEventPayload(path)
  } catch {
    return {}
  }
}

/**
 * The payload as @actions/github's context reads it: none without a file, and
 * an error when the file is not JSON. For the plan comment, which says why it
 * could not be posted; the run's safety reads it with readEvent, which never throws.
 */
export function readEventPayload(path: string | undefined): Record<string, unknown> {
  if (!path || !existsSync(path)) return {}
  return record(JSON.parse(readFileSync(path, 'utf8')))
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

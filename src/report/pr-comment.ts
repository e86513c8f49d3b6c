import type { ActionCore } from '../action-core.js'
import { renderSummary } from './summary.js'
import type { RunReport } from './types.js'

/**
 * On a pull request, the plan goes on the PR as one comment, updated in place
 * on later pushes (found by a hidden marker). @actions/github is loaded only
 * here, so runs that do not comment do not pay for it at start-up.
 * Returns a note for the summary when the plan could not be posted.
 */
export async function postPlanComment(core: ActionCore, env: NodeJS.ProcessEnv, token: string, report: RunReport): Promise<string | null> {
  const event = env.GITHUB_EVENT_NAME ?? ''
  if (event !== 'pull_request' && event !== 'pull_request_target') return null
  if (!token) return 'The plan was not posted on the pull request: no github-token.'
  const { getOctokit, context } = await import('@actions/github')
  const number = context.payload.pull_request?.number
  if (typeof number !== 'number') return null
  const marker = `<!-- create-chat-robots plan: ${report.manifestFile.replace(/--/g, '')} -->`
  const body = `${marker}\n${renderSummary(report)}`
  const octokit = getOctokit(token)
  const { owner, repo } = context.repo
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 })
    const mine = comments.find(comment => comment.body?.startsWith(marker))
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body })
      core.info(`Updated the plan comment on pull request #${number}.`)
    } else {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
      core.info(`Posted the plan as a comment on pull request #${number}.`)
    }
    return null
  } catch (error) {
    const status = (error as { status?: number }).status
    const why = status === 403 || status === 404
      ? `the token cannot write to this pull request (HTTP ${status}); pull requests from forks get a read-only token — see the README's workflow_run pattern`
      : `${status ? `HTTP ${status}: ` : ''}${error instanceof Error ? error.message : String(error)}`
    core.warning(`The plan was not posted on pull request #${number}: ${why}. The plan is in the job summary.`)
    return `The plan was not posted on the pull request: ${why}.`
  }
}

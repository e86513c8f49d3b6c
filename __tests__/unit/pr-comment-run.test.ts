import { runInProcess } from '../helpers/in-process.js'
import { prCommentSpec } from '../helpers/pr-comment-spec.js'

/**
 * The plan comment on a pull request, in-process: every case of
 * __tests__/helpers/pr-comment-spec.ts with run() and the fake core against a
 * FakeGitHub. The pieces (marker, body, deadline) are in pr-comment.test.ts.
 */
prCommentSpec(runInProcess, { e2eOnly: false, githubTimeoutMs: 250 })

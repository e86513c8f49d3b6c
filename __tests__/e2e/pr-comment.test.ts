import { runAction } from '../../emulator/runner.js'
import { onEvent } from '../helpers/github-api.js'
import { prCommentSpec } from '../helpers/pr-comment-spec.js'

/**
 * The plan comment on a pull request, on the built action with @actions/github
 * loaded the way the runner runs it: the cases marked `e2e` in
 * __tests__/helpers/pr-comment-spec.ts (posting with the marker, editing on the
 * next push, GitHub's hostile error text read with the runner's parser, a hang).
 * Every case of the specification also runs in-process in
 * __tests__/unit/pr-comment-run.test.ts.
 */
prCommentSpec(onEvent(runAction), { e2eOnly: true, githubTimeoutMs: 400 })

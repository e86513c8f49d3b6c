import { runAction } from '../../emulator/runner.js'
import { onEvent } from '../helpers/github-api.js'
import { manifestPathSpec } from '../helpers/manifest-path-spec.js'

/**
 * The manifest path on the built action, a pull request run with a token that
 * can comment: the cases marked `e2e` in __tests__/helpers/manifest-path-spec.ts
 * (robots.yaml as a symlink to .git/config, and a long unknown key quoted no
 * further than a short excerpt). Every case of the specification, the other
 * symlinks, the paths under .git/ and the long excerpts, runs in-process in
 * __tests__/unit/manifest-path.test.ts.
 */
manifestPathSpec(onEvent(runAction), { e2eOnly: true })

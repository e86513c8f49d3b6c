import { runInProcess } from '../helpers/in-process.js'
import { manifestPathSpec } from '../helpers/manifest-path-spec.js'

/**
 * A manifest path that is a symlink or lies under .git/ is refused before it
 * is read, and no message quotes more than a short excerpt of the file,
 * in-process: every case of __tests__/helpers/manifest-path-spec.ts, each a
 * pull request run whose comment goes to a FakeGitHub.
 */
manifestPathSpec(runInProcess, { e2eOnly: false })

import { oddAnswersSpec } from '../helpers/odd-answers-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Odd vendor answers, on the built action run the way the runner runs it: the
 * cases marked `e2e` in __tests__/helpers/odd-answers-spec.ts, whose every
 * case also runs in-process in __tests__/unit/specs-in-process.test.ts.
 */
oddAnswersSpec(runAgainst, { e2eOnly: true })

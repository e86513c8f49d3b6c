import { runInProcessAgainst } from '../helpers/in-process.js'
import { oddAnswersSpec } from '../helpers/odd-answers-spec.js'

/**
 * Odd vendor answers, in-process: every case of __tests__/helpers/odd-answers-spec.ts with run()
 * and the fake core.
 */
oddAnswersSpec(runInProcessAgainst, { e2eOnly: false })

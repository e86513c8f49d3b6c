import { validationSpec } from '../helpers/validation-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Validation on the built action, run the way the runner runs it: the cases
 * marked for it in __tests__/helpers/validation-spec.ts, whose every case also
 * runs in-process in __tests__/unit/validation.test.ts.
 */
validationSpec(runAgainst, { e2eOnly: true })

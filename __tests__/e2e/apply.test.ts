import { applySpec } from '../helpers/apply-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Applying a manifest, on the built action run the way the runner runs it: the
 * cases marked `e2e` in __tests__/helpers/apply-spec.ts, whose every case also
 * runs in-process in __tests__/unit/specs-in-process.test.ts.
 */
applySpec(runAgainst, { e2eOnly: true })

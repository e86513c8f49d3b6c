import { exportSpec } from '../helpers/export-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Export, on the built action run the way the runner runs it: the cases marked
 * `e2e` in __tests__/helpers/export-spec.ts, whose every case also runs
 * in-process in __tests__/unit/specs-in-process.test.ts.
 */
exportSpec(runAgainst, { e2eOnly: true })

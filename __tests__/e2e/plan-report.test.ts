import { planReportSpec } from '../helpers/plan-report-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Plans a reviewer can trust, on the built action run the way the runner runs
 * it: the cases marked `e2e` in __tests__/helpers/plan-report-spec.ts, whose
 * every case also runs in-process in __tests__/unit/specs-in-process.test.ts.
 */
planReportSpec(runAgainst, { e2eOnly: true })

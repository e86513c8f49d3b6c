import { runInProcessAgainst } from '../helpers/in-process.js'
import { planReportSpec } from '../helpers/plan-report-spec.js'

/**
 * Plans a reviewer can trust, in-process: every case of __tests__/helpers/plan-report-spec.ts with run()
 * and the fake core.
 */
planReportSpec(runInProcessAgainst, { e2eOnly: false })

import { runInProcessAgainst } from '../helpers/in-process.js'
import { exportSpec } from '../helpers/export-spec.js'

/**
 * Export, in-process: every case of __tests__/helpers/export-spec.ts with run()
 * and the fake core.
 */
exportSpec(runInProcessAgainst, { e2eOnly: false })

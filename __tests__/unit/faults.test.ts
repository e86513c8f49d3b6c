import { runInProcessAgainst } from '../helpers/in-process.js'
import { faultMatrix } from '../helpers/fault-matrix.js'

/**
 * The whole fault matrix in-process: src/main.ts with the fake core against
 * the loopback emulator. The built action runs the representative rows in
 * __tests__/e2e/faults.test.ts.
 */
faultMatrix(runInProcessAgainst, { e2eOnly: false, hangTimeoutMs: 400 })

import { driftSpec } from '../helpers/drift-spec.js'
import { runInProcessAgainst } from '../helpers/in-process.js'

/**
 * The drift check and the changes output, in-process: every case of
 * __tests__/helpers/drift-spec.ts with run() and the fake core.
 */
driftSpec(runInProcessAgainst, { e2eOnly: false })

import { runInProcessAgainst } from '../helpers/in-process.js'
import { pruneGuardSpec } from '../helpers/prune-guard-spec.js'

/**
 * Prune cannot wipe an app by accident, in-process: every case of __tests__/helpers/prune-guard-spec.ts with run()
 * and the fake core.
 */
pruneGuardSpec(runInProcessAgainst, { e2eOnly: false })

import { pruneGuardSpec } from '../helpers/prune-guard-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Prune cannot wipe an app by accident, on the built action run the way the
 * runner runs it: the cases marked `e2e` in
 * __tests__/helpers/prune-guard-spec.ts, whose every case also runs in-process
 * in __tests__/unit/specs-in-process.test.ts.
 */
pruneGuardSpec(runAgainst, { e2eOnly: true })

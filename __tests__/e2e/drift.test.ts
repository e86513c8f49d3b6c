import { driftSpec } from '../helpers/drift-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * The drift check and the changes output on the built action: the cases marked
 * `e2e` in __tests__/helpers/drift-spec.ts (a drifted app fails a dry run, a
 * matching app passes an apply, the changes output of an apply). Every case of
 * the specification, prune, retired robots, missing or wrong credentials and
 * the other counts, runs in-process in __tests__/unit/drift.test.ts.
 */
driftSpec(runAgainst, { e2eOnly: true })

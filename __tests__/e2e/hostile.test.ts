import { hostileSpec } from '../helpers/hostile-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/** On the built action, run the way the runner runs it: the cases of __tests__/helpers/hostile-spec.ts marked for it. */
hostileSpec(runAgainst, { e2eOnly: true })

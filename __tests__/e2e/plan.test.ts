import { planSpec } from '../helpers/plan-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/** On the built action, run the way the runner runs it: the cases of __tests__/helpers/plan-spec.ts marked for it. */
planSpec(runAgainst, { e2eOnly: true })

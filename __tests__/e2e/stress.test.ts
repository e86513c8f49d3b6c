import { stressSpec } from '../helpers/stress-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/** On the built action, run the way the runner runs it: the cases of __tests__/helpers/stress-spec.ts marked for it. */
stressSpec(runAgainst, { e2eOnly: true })

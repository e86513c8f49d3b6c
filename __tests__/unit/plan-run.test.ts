import { runInProcessAgainst } from '../helpers/in-process.js'
import { planSpec } from '../helpers/plan-spec.js'

/** In-process: every case of __tests__/helpers/plan-spec.ts, with run() and the fake core. */
planSpec(runInProcessAgainst, { e2eOnly: false })

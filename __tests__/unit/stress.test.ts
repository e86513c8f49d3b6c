import { runInProcessAgainst } from '../helpers/in-process.js'
import { stressSpec } from '../helpers/stress-spec.js'

/** In-process: every case of __tests__/helpers/stress-spec.ts, with run() and the fake core. */
stressSpec(runInProcessAgainst, { e2eOnly: false })

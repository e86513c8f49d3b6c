import { runInProcessAgainst } from '../helpers/in-process.js'
import { hostileSpec } from '../helpers/hostile-spec.js'

/** In-process: every case of __tests__/helpers/hostile-spec.ts, with run() and the fake core. */
hostileSpec(runInProcessAgainst, { e2eOnly: false })

import { secretsSpec } from '../helpers/secrets-spec.js'
import { runInProcessAgainst } from '../helpers/in-process.js'

/**
 * No secret shows, in-process: every case of __tests__/helpers/secrets-spec.ts
 * with run() and the fake core, which writes to stdout what core writes.
 */
secretsSpec(runInProcessAgainst, { e2eOnly: false })

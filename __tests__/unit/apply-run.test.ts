import { runInProcessAgainst } from '../helpers/in-process.js'
import { applySpec } from '../helpers/apply-spec.js'

/**
 * Applying a manifest, in-process: every case of __tests__/helpers/apply-spec.ts with run()
 * and the fake core.
 */
applySpec(runInProcessAgainst, { e2eOnly: false })

import { secretsSpec } from '../helpers/secrets-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * No secret shows, on the built action run the way the runner runs it: the
 * cases marked for it in the specification (__tests__/helpers/secrets-spec.ts),
 * whose every case also runs in-process in __tests__/unit/secrets.test.ts.
 */
secretsSpec(runAgainst, { e2eOnly: true })

import { runInProcessAgainst } from '../helpers/in-process.js'
import { validationSpec } from '../helpers/validation-spec.js'

/** Validation, in-process: every case of __tests__/helpers/validation-spec.ts with run() and the fake core. */
validationSpec(runInProcessAgainst, { e2eOnly: false })

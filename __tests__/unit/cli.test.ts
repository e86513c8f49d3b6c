import { runCliInProcess } from '../helpers/cli-in-process.js'
import { cliSpec } from '../helpers/cli-spec.js'

/**
 * The command line in-process: every case of __tests__/helpers/cli-spec.ts,
 * src/cli/run.ts with recording streams (a terminal is streams that say isTTY;
 * Ctrl-C is the cancellation the bin's signal handler receives).
 */
cliSpec(runCliInProcess, { e2eOnly: false })

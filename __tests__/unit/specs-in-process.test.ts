import { describe } from '@jest/globals'
import type { RunOptions } from '../../emulator/runner.js'
import { applySpec } from '../helpers/apply-spec.js'
import { runCliInProcess } from '../helpers/cli-in-process.js'
import { cliSpec } from '../helpers/cli-spec.js'
import { exportSpec } from '../helpers/export-spec.js'
import { runInProcess, runInProcessAgainst } from '../helpers/in-process.js'
import { oddAnswersSpec } from '../helpers/odd-answers-spec.js'
import { planReportSpec } from '../helpers/plan-report-spec.js'
import { proxySpec } from '../helpers/proxy-spec.js'
import { pruneGuardSpec } from '../helpers/prune-guard-spec.js'

/**
 * Every case of the specifications that __tests__/e2e/{apply,cli,export,
 * odd-answers,plan-report,prune-guard,proxy}.test.ts run in part on the built
 * dist/, here in-process: run() with the fake core against the emulator, and
 * the command line's runCli with recording streams (a terminal is streams that
 * say isTTY; Ctrl-C is the cancellation the bin's signal handler receives).
 * One file, so the action's modules load once for all of them; each
 * specification in its own describe, so its hooks stay its own.
 */

describe('applying a manifest', () => applySpec(runInProcessAgainst, { e2eOnly: false }))
describe('the command line', () => cliSpec(runCliInProcess, { e2eOnly: false }))
describe('export', () => exportSpec(runInProcessAgainst, { e2eOnly: false }))
describe('odd answers from the vendor', () => oddAnswersSpec(runInProcessAgainst, { e2eOnly: false }))
describe('plans a reviewer can trust', () => planReportSpec(runInProcessAgainst, { e2eOnly: false }))
describe('prune cannot wipe an app by accident', () => pruneGuardSpec(runInProcessAgainst, { e2eOnly: false }))

/** The client reads the proxy from process.env, as @actions/http-client does: set for the run, then put back. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

async function runWithProxyEnv(options: RunOptions) {
  const before = PROXY_VARIABLES.map(name => [name, process.env[name]] as const)
  for (const name of PROXY_VARIABLES) {
    const value = options.env?.[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  try {
    return await runInProcess(options)
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

// Only the cases with no TLS session through the tunnel: see proxy-spec.ts.
describe('behind a proxy', () => proxySpec(runWithProxyEnv, { e2eOnly: false }))

import { describe } from '@jest/globals'
import { applySpec } from '../helpers/apply-spec.js'
import { runCliInProcess } from '../helpers/cli-in-process.js'
import { cliSpec } from '../helpers/cli-spec.js'
import { driftSpec } from '../helpers/drift-spec.js'
import { exportSpec } from '../helpers/export-spec.js'
import { faultMatrix } from '../helpers/fault-matrix.js'
import { hostileSpec } from '../helpers/hostile-spec.js'
import { manifestPathSpec } from '../helpers/manifest-path-spec.js'
import { runInProcess, runInProcessAgainst } from '../helpers/in-process.js'
import { oddAnswersSpec } from '../helpers/odd-answers-spec.js'
import { planReportSpec } from '../helpers/plan-report-spec.js'
import { planSpec } from '../helpers/plan-spec.js'
import { prCommentSpec } from '../helpers/pr-comment-spec.js'
import { proxySpec } from '../helpers/proxy-spec.js'
import { pruneGuardSpec } from '../helpers/prune-guard-spec.js'
import { pullRequestEventsSpec } from '../helpers/pull-request-events-spec.js'
import { secretsSpec } from '../helpers/secrets-spec.js'
import { stressSpec } from '../helpers/stress-spec.js'
import { validationSpec } from '../helpers/validation-spec.js'

/**
 * Every case of every specification in __tests__/helpers/*-spec.ts, in-process:
 * run() with the fake core against the emulator, and the command line's runCli
 * with recording streams (a terminal is streams that say isTTY; Ctrl-C is the
 * cancellation the bin's signal handler receives). The cases marked `e2e` also
 * run on the built dist/ in __tests__/e2e/specs-on-dist.test.ts (the command
 * line's in __tests__/e2e/cli.test.ts, the fault matrix's in
 * __tests__/e2e/faults.test.ts). One file, so the action's modules load once
 * for all of them; each specification in its own describe, so its hooks stay
 * its own.
 */

describe('applying a manifest', () => applySpec(runInProcessAgainst, { e2eOnly: false }))
describe('the command line', () => cliSpec(runCliInProcess, { e2eOnly: false }))
describe('export', () => exportSpec(runInProcessAgainst, { e2eOnly: false }))
describe('odd answers from the vendor', () => oddAnswersSpec(runInProcessAgainst, { e2eOnly: false }))
describe('plans a reviewer can trust', () => planReportSpec(runInProcessAgainst, { e2eOnly: false }))
describe('prune cannot wipe an app by accident', () => pruneGuardSpec(runInProcessAgainst, { e2eOnly: false }))
describe('the drift check and the changes output', () => driftSpec(runInProcessAgainst, { e2eOnly: false }))
describe('the fault matrix', () => faultMatrix(runInProcessAgainst, { e2eOnly: false, hangTimeoutMs: 200 }))
describe('hostile input', () => hostileSpec(runInProcessAgainst, { e2eOnly: false }))
describe('the manifest path', () => manifestPathSpec(runInProcess, { e2eOnly: false }))
describe('planning against the app', () => planSpec(runInProcessAgainst, { e2eOnly: false }))
describe('the plan comment on a pull request', () => prCommentSpec(runInProcess, { e2eOnly: false, githubTimeoutMs: 150 }))
describe('pull request events never write', () => pullRequestEventsSpec(runInProcessAgainst, { e2eOnly: false }))
describe('no secret shows', () => secretsSpec(runInProcessAgainst, { e2eOnly: false }))
describe('limits under stress', () => stressSpec(runInProcessAgainst, { e2eOnly: false }))
describe('validation', () => validationSpec(runInProcessAgainst, { e2eOnly: false }))

// Only the cases with no TLS session through the tunnel: see proxy-spec.ts. The env given to run()
// names the proxy; the cases that must, set process.env against it themselves.
describe('behind a proxy', () => proxySpec(runInProcess, { e2eOnly: false }))

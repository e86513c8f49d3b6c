import { describe } from '@jest/globals'
import { runAction, type RunOptions } from '../../emulator/runner.js'
import { applySpec } from '../helpers/apply-spec.js'
import { driftSpec } from '../helpers/drift-spec.js'
import { exportSpec } from '../helpers/export-spec.js'
import { onEvent } from '../helpers/github-api.js'
import { hostileSpec } from '../helpers/hostile-spec.js'
import { manifestPathSpec } from '../helpers/manifest-path-spec.js'
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
import { runAgainst } from '../helpers/vendor.js'

/**
 * The specifications of __tests__/helpers/*-spec.ts on the built action, run the
 * way the runner runs it (dist/index.js in its own process, INPUT_* variables,
 * the summary and outputs as files, the log read by the runner's parser): the
 * cases marked `e2e` in each. Every case of every specification also runs
 * in-process in __tests__/unit/specs-in-process.test.ts. One file, so the
 * harness loads once; each specification in its own describe, so its hooks
 * stay its own.
 *
 * What stays here is what only the built action shows: the bundle's HTTP and
 * signing, Octokit loaded, the event file read by dist/, the proxy
 * through a real CONNECT tunnel with the test CA trusted from the start, and
 * output as the runner reads it.
 */

describe('applying a manifest', () => applySpec(runAgainst, { e2eOnly: true }))
describe('the drift check and the changes output', () => driftSpec(runAgainst, { e2eOnly: true }))
describe('export', () => exportSpec(runAgainst, { e2eOnly: true }))
describe('hostile input', () => hostileSpec(runAgainst, { e2eOnly: true }))
describe('the manifest path, on a pull request with a token that can comment', () => manifestPathSpec(onEvent(runAction), { e2eOnly: true }))
describe('odd answers from the vendor', () => oddAnswersSpec(runAgainst, { e2eOnly: true }))
describe('plans a reviewer can trust', () => planReportSpec(runAgainst, { e2eOnly: true }))
describe('planning against the app', () => planSpec(runAgainst, { e2eOnly: true }))
describe('the plan comment on a pull request', () => prCommentSpec(onEvent(runAction), { e2eOnly: true, githubTimeoutMs: 400 }))
describe('behind a proxy', () => proxySpec(runAction, { e2eOnly: true }))
describe('prune cannot wipe an app by accident', () => pruneGuardSpec(runAgainst, { e2eOnly: true }))
describe('pull request events never write', () =>
  pullRequestEventsSpec((vendor, options) => onEvent((run: RunOptions) => runAgainst(vendor, run))(options), { e2eOnly: true }))
describe('no secret shows', () => secretsSpec(runAgainst, { e2eOnly: true }))
describe('limits under stress', () => stressSpec(runAgainst, { e2eOnly: true }))
describe('validation', () => validationSpec(runAgainst, { e2eOnly: true }))

import type { RunOptions } from '../../emulator/runner.js'
import { onEvent } from '../helpers/github-api.js'
import { pullRequestEventsSpec } from '../helpers/pull-request-events-spec.js'
import { runAgainst } from '../helpers/vendor.js'

/**
 * Pull request events never write, on the built action: the cases marked `e2e`
 * in __tests__/helpers/pull-request-events-spec.ts (pull_request_target with
 * dry-run: false, a missing payload, a merged pull request that applies).
 * Every case of the specification, each plan-only event, forged and half merges,
 * the fork and the push, runs in-process in __tests__/unit/pull-request-events.test.ts.
 */
pullRequestEventsSpec((vendor, options) => onEvent((run: RunOptions) => runAgainst(vendor, run))(options), { e2eOnly: true })

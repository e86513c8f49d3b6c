import { runInProcessAgainst } from '../helpers/in-process.js'
import { pullRequestEventsSpec } from '../helpers/pull-request-events-spec.js'

/**
 * Pull request events never write, in-process: every case of
 * __tests__/helpers/pull-request-events-spec.ts with run() and the fake core,
 * the event written to GITHUB_EVENT_PATH as the runner does.
 */
pullRequestEventsSpec(runInProcessAgainst, { e2eOnly: false })

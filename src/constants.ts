/** Input and output names: the action's contract with workflows (action.yml). */
export const Input = {
  manifest: 'manifest',
  sdkappid: 'sdkappid',
  secretKey: 'secret-key',
  usersig: 'usersig',
  identifier: 'identifier',
  region: 'region',
  endpoint: 'endpoint',
  dryRun: 'dry-run',
  maxAttempts: 'max-attempts',
  prune: 'prune',
  comment: 'comment',
  githubToken: 'github-token',
  expectNoChanges: 'expect-no-changes',
  export: 'export'
} as const

export const Output = {
  results: 'results',
  created: 'created',
  failed: 'failed',
  changes: 'changes'
} as const

/** The vendor's data centres: the SDKAppID's region decides the domain. */
export const REGION_DOMAINS = {
  china: 'console.tim.qq.com',
  singapore: 'adminapisgp.im.qcloud.com',
  seoul: 'adminapikr.im.qcloud.com',
  tokyo: 'adminapijpn.im.qcloud.com',
  frankfurt: 'adminapiger.im.qcloud.com',
  mumbai: 'adminapiind.im.qcloud.com',
  'silicon-valley': 'adminapiusa.im.qcloud.com',
  jakarta: 'adminapiidn.im.qcloud.com'
} as const

export type Region = keyof typeof REGION_DOMAINS

/** The vendor gives up after 3 s on its side; ours must be longer. */
export const ATTEMPT_TIMEOUT_MS = 10_000
/**
 * Test-only: the test harnesses shorten the vendor client's waits through this
 * environment variable, so no test waits out a real timeout or backoff. JSON of
 * the client's timing options, e.g. {"timeoutMs":2000,"backoffBaseMs":1}. Unset
 * in production, where the client's defaults apply. Read in inputs.ts only.
 */
export const TEST_TIMING_ENV = 'CREATE_CHAT_ROBOTS_TEST_TIMING'
/**
 * After the job is cancelled (the runner's SIGINT, then SIGTERM), how long calls
 * already in flight may still answer before they are cut. The runner kills the
 * process 2.5 s after SIGTERM, and the summary must be written before that.
 */
export const CANCEL_GRACE_MS = 2000
/** Long enough for a run with retries, short enough that a leaked one is soon useless. */
export const USERSIG_VALIDITY_SECONDS = 600
/** The vendor's limit per API is 200 calls/s; we stay a little under it. */
export const MAX_CALLS_PER_SECOND = 180
/** portrait_get takes at most 100 accounts a call. */
export const PORTRAIT_GET_BATCH = 100
/** GitHub shows at most 10 error and 10 warning annotations per step. */
export const MAX_ANNOTATIONS = 10
/** Each GitHub API call of the plan comment gives up after this (a hung API costs a warning). */
export const GITHUB_API_TIMEOUT_MS = 20_000
/** GitHub refuses a comment body longer than this (HTTP 422). */
export const MAX_COMMENT_CHARS = 65_536

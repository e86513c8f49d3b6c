import type { ActionCore } from './action-core.js'
import type { ClientOptions, Credentials } from './vendor/types.js'
import { Input, REGION_DOMAINS, TEST_TIMING_ENV, type Region } from './constants.js'
import { nearest } from './nearest.js'
import { ProxyVariableError, proxyFor } from './proxy.js'

/** Everything the run needs, read and checked once. */
export interface Settings {
  workspace: string
  manifestPath: string
  /** True when the dry-run input is, on every plan-only event (see event.ts), in a drift check and in an export. */
  dryRun: boolean
  /** A drift check: read-only, and the step fails when the plan has any write. */
  expectNoChanges: boolean
  /** Write the app's robots as a manifest to this path in the workspace (read-only); null when not exporting. */
  exportPath: string | null
  prune: boolean
  maxAttempts: number
  /** Post the plan on the pull request. */
  comment: boolean
  githubToken: string
  /** Null when there are no credentials: a dry run then validates offline. */
  vendor: VendorSettings | null
  /** Shortened waits for tests (TEST_TIMING_ENV); empty in production. */
  timing: ClientTiming
  /** Offline because this is a pull request from a fork, which gets no secrets. */
  fork: boolean
}

export type ClientTiming = Pick<ClientOptions, 'timeoutMs' | 'backoffBaseMs' | 'backoffCapMs' | 'cancelGraceMs'>

export interface VendorSettings {
  credentials: Credentials
  baseUrl: URL
  /** The proxy the calls go through, from the run's env (HTTPS_PROXY, NO_PROXY…); null to go direct. */
  proxy: URL | null
  /** What the summary says the calls went to. */
  target: string
}

export class InputError extends Error {
  override name = 'InputError'
}

export const MAX_ATTEMPTS_LIMIT = 10

/**
 * Reads the inputs into Settings. The secrets are masked before anything else
 * happens, so no later line of the log can show them. `planOnly` (from the
 * event) makes the run a dry run whatever the dry-run input says.
 */
export function readSettings(core: ActionCore, env: NodeJS.ProcessEnv = process.env, planOnly: string | null = null, isFork = false): Settings {
  const secretKey = core.getInput(Input.secretKey)
  const usersig = core.getInput(Input.usersig)
  const githubToken = core.getInput(Input.githubToken)
  for (const secret of [secretKey, usersig, githubToken]) if (secret) core.setSecret(secret)

  const dryRunInput = readBoolean(core, Input.dryRun, false)
  if (planOnly) {
    if (dryRunInput) core.info(planOnly)
    else core.warning(`${planOnly} ${Input.dryRun} is false, but this run only plans.`, { title: 'robots: nothing written' })
  }
  const expectNoChanges = readBoolean(core, Input.expectNoChanges, false)
  const exportPath = core.getInput(Input.export).trim() || null
  const dryRun = dryRunInput || planOnly !== null || expectNoChanges || exportPath !== null
  const sdkappid = core.getInput(Input.sdkappid)
  const hasCredentials = sdkappid !== '' && (secretKey !== '' || usersig !== '')
  // Offline, every entry would look like a create: a drift check or an export that cannot see the app must not guess.
  const readsTheApp =
    exportPath !== null
      ? `Input ${Input.export} reads the app's robots`
      : expectNoChanges
        ? `Input ${Input.expectNoChanges} compares the manifest with the app`
        : null
  if (readsTheApp && !hasCredentials) {
    throw new InputError(
      `${readsTheApp}, so it needs ${Input.sdkappid} and ${Input.secretKey} (or ${Input.usersig}); ${sdkappid ? `${Input.secretKey} and ${Input.usersig} are` : `${Input.sdkappid} is`} empty. Pass them from the repository's variables and secrets.`
    )
  }

  // Half a set of credentials is a mistake — usually a secret or variable the job cannot see —
  // except on a pull request from a fork, which GitHub gives no secrets.
  const halfSet = !hasCredentials && (sdkappid !== '' || secretKey !== '' || usersig !== '')
  const fork = dryRun && !hasCredentials && isFork
  if (fork) {
    core.info(
      "This pull request comes from a fork, and GitHub gives a fork's workflows no secrets: the manifest is checked offline, not compared with the app."
    )
  } else if (halfSet) {
    const missing = sdkappid
      ? `${Input.sdkappid} is set but neither ${Input.secretKey} nor ${Input.usersig} is`
      : `${secretKey ? Input.secretKey : Input.usersig} is set but ${Input.sdkappid} is empty`
    throw new InputError(
      `Half a set of credentials: ${missing}. This is usually a secret or variable the job cannot see: check its name, and that it is available to this repository (or environment). Set ${Input.sdkappid} and ${Input.secretKey} (or ${Input.usersig}) together, or neither for an offline dry run.`
    )
  }

  let vendor: VendorSettings | null = null
  if (!dryRun || hasCredentials) {
    if (!sdkappid)
      throw new InputError(
        `Input ${Input.sdkappid} is required unless ${Input.dryRun} is true. Set it to the app's SDKAppID (Chat console → app → basic info).`
      )
    if (!/^[1-9][0-9]{0,11}$/.test(sdkappid))
      throw new InputError(`Input ${Input.sdkappid} "${sdkappid}" is not an SDKAppID: expected a number such as 1400000000.`)
    if (secretKey && usersig)
      throw new InputError(
        `Inputs ${Input.secretKey} and ${Input.usersig} are both set; set exactly one (${Input.secretKey} is better: the action then signs a short-lived UserSig itself).`
      )
    if (!secretKey && !usersig)
      throw new InputError(
        `Input ${Input.secretKey} (or ${Input.usersig}) is required unless ${Input.dryRun} is true. Pass it from a secret: secret-key: \${{ secrets.TENCENT_CHAT_SECRET_KEY }}.`
      )
    const identifier = core.getInput(Input.identifier) || 'administrator'
    const { baseUrl, target } = readEndpoint(core)
    vendor = {
      credentials: { sdkappid, identifier, ...(secretKey ? { secretKey } : { usersig }) },
      baseUrl,
      proxy: vendorProxy(baseUrl, env),
      target
    }
  }

  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    manifestPath: core.getInput(Input.manifest) || 'robots.yaml',
    dryRun,
    expectNoChanges,
    exportPath,
    prune: readBoolean(core, Input.prune, false),
    maxAttempts: readMaxAttempts(core),
    // An export has no plan of the manifest to comment with.
    comment: readBoolean(core, Input.comment, true) && exportPath === null,
    githubToken,
    vendor,
    timing: readTestTiming(env),
    fork
  }
}

/** The client's waits, and the plan comment's GitHub API deadline (read in report/pr-comment.ts). */
const TIMING_KEYS: readonly string[] = ['timeoutMs', 'backoffBaseMs', 'backoffCapMs', 'cancelGraceMs', 'githubTimeoutMs']

/** Test-only (see TEST_TIMING_ENV): a JSON object of positive milliseconds for the client's waits. */
function readTestTiming(env: NodeJS.ProcessEnv): ClientTiming {
  const raw = env[TEST_TIMING_ENV]
  if (!raw) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    parsed = null
  }
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.entries(parsed).every(([key, value]) => TIMING_KEYS.includes(key) && typeof value === 'number' && Number.isFinite(value) && value > 0)
  if (!valid) {
    throw new InputError(
      `${TEST_TIMING_ENV} is for the action's own tests: expected a JSON object of positive milliseconds with keys ${TIMING_KEYS.join(', ')}, such as {"timeoutMs":2000}. Unset it.`
    )
  }
  // The comment's deadline is not the client's.
  const client: Record<string, number> = { ...(parsed as Record<string, number>) }
  delete client.githubTimeoutMs
  return client as ClientTiming
}

function readBoolean(core: ActionCore, name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim()
  if (raw === '') return fallback
  if (/^(true|yes|on|1)$/i.test(raw)) return true
  if (/^(false|no|off|0)$/i.test(raw)) return false
  throw new InputError(`Input ${name} "${raw}" is not a boolean: use true or false.`)
}

function readMaxAttempts(core: ActionCore): number {
  const raw = core.getInput(Input.maxAttempts).trim() || '5'
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new InputError(`Input ${Input.maxAttempts} "${raw}" must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}.`)
  }
  return value
}

function readEndpoint(core: ActionCore): { baseUrl: URL; target: string } {
  const endpoint = core.getInput(Input.endpoint).trim()
  if (endpoint) {
    const baseUrl = parseEndpoint(endpoint)
    // Scheme and host only: a proxy's path is its own business and may carry a token.
    return { baseUrl, target: `endpoint ${baseUrl.protocol}//${baseUrl.host}` }
  }
  const region = (core.getInput(Input.region).trim() || 'china').toLowerCase()
  if (!(region in REGION_DOMAINS)) {
    const suggestion = nearest(region, Object.keys(REGION_DOMAINS))
    throw new InputError(
      `Input ${Input.region} "${region}" is not a region: ${suggestion ? `did you mean ${suggestion}? ` : ''}Use one of ${Object.keys(REGION_DOMAINS).join(', ')}.`
    )
  }
  const domain = REGION_DOMAINS[region as Region]
  return { baseUrl: new URL(`https://${domain}/`), target: `region ${region} (${domain})` }
}

/**
 * From the env the run was given, as @actions/http-client reads process.env (see
 * proxy.ts). Only https:// is proxied: an http:// endpoint is loopback, which never is.
 */
function vendorProxy(baseUrl: URL, env: NodeJS.ProcessEnv): URL | null {
  if (baseUrl.protocol !== 'https:') return null
  try {
    return proxyFor(baseUrl, env)
  } catch (error) {
    if (error instanceof ProxyVariableError) throw new InputError(`${error.message} Fix the variable in the job's env, or unset it.`)
    throw error
  }
}

/**
 * The endpoint receives the UserSig in its query string, so it must be
 * HTTPS — plain HTTP only to this machine, where the emulator runs — and must
 * not carry credentials, a query or a fragment of its own.
 */
export function parseEndpoint(endpoint: string): URL {
  // The endpoint is never repeated as written: whatever its syntax, it may hold a password.
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new InputError(`Input ${Input.endpoint} is not a URL: expected e.g. https://proxy.example.com.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // "user:password@host" without a scheme parses with "user:" as its scheme: name none.
    throw new InputError(`Input ${Input.endpoint} is not an https:// URL; only https:// is allowed (http:// only for loopback hosts).`)
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      `Input ${Input.endpoint} "${url.origin}" is plain http:// to a host that is not loopback; the request URL carries the UserSig, so use https://.`
    )
  }
  if (url.username || url.password) {
    throw new InputError(`Input ${Input.endpoint} must not contain a user name or password; remove them from the URL.`)
  }
  if (url.search || url.hash) {
    throw new InputError(`Input ${Input.endpoint} must not contain a query or fragment; give the base URL only, e.g. ${url.origin}.`)
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** What the plan comment needs. */
export interface CommentInputs {
  enabled: boolean
  githubToken: string
  manifestPath: string
  sdkappid: string
}

/**
 * Read leniently, never throwing: when the other inputs are wrong the comment
 * still says the plan failed and why, so a stale plan does not stay up.
 */
export function readCommentInputs(core: ActionCore): CommentInputs {
  return {
    enabled: !/^(false|no|off|0)$/i.test(core.getInput(Input.comment).trim()),
    githubToken: core.getInput(Input.githubToken),
    manifestPath: core.getInput(Input.manifest) || 'robots.yaml',
    sdkappid: core.getInput(Input.sdkappid).trim()
  }
}

/**
 * Every vendor error code the action knows, as data: what it means, what the
 * action does about it, and what the user should do. Logic asks this table;
 * nothing else in the code base names a code number.
 *
 * - transient: retrying can fix it (backoff with full jitter, up to max-attempts);
 * - permanent: only this robot fails, the others go on;
 * - run-fatal: every later call would fail the same way (credentials, app, region,
 *   admin, quota), so no new call starts and the robots not yet tried are skipped.
 */
export type ErrorClass = 'transient' | 'permanent' | 'run-fatal'

export interface CodeInfo {
  meaning: string
  class: ErrorClass
  hint: string
  /** The vendor says: too many calls. Slow the whole run down, not just this call. */
  slowDown?: boolean
  /** An expired UserSig: when the action signs it, one fresh signature is worth a try. */
  expired?: boolean
  /** The vendor asks for at least this long before the next try. */
  minWaitMs?: number
  /**
   * Said by the profile APIs when they do not serve this account (or are not there):
   * the vendor does not say whether they serve chatbots, so the plan then falls back
   * to create_robot, which is safe to repeat.
   */
  noProfile?: boolean
}

const retry = 'The action retried it; if it persists, check the vendor status page and run again.'
const slow =
  'The action slowed down and retried; other systems calling the same app share its rate limit. Run again later, or when fewer calls are made to the app.'
const checkKey = 'Check the sdkappid, secret-key (or usersig) and identifier inputs: they must belong to the same app.'
const expiredHint =
  'With secret-key the action signed a fresh UserSig and tried once more, so a second "expired" means the runner\'s clock is far off. With usersig, generate a new one, or use secret-key instead.'
const checkRegion = 'Set the region input to the data centre of this SDKAppID (Chat console → app → basic info).'

const TABLE: Record<number, CodeInfo> = {
  // create_robot and friends
  10002: { meaning: 'internal error', class: 'transient', hint: retry },
  10004: {
    meaning: 'invalid parameter',
    class: 'permanent',
    hint: "Check this robot's fields against the manifest reference (UserID format, field types). A deleted robot's UserID stays reserved by the vendor: pick a new one."
  },
  10008: {
    meaning: 'not an app admin, or the app already has 20 chatbots',
    class: 'permanent',
    hint: 'Make identifier an app admin, or make room: list the UserIDs of robots to delete under retired: in the manifest.'
  },
  // profiles
  40001: { meaning: 'invalid profile parameter', class: 'permanent', hint: 'Check the profile fields of this robot.' },
  40003: {
    meaning: 'account does not exist',
    class: 'permanent',
    noProfile: true,
    hint: 'The robot is not in the app (deleted since the plan was made?). Run again to re-plan.'
  },
  40004: { meaning: 'profile call needs an app admin', class: 'run-fatal', hint: 'Set identifier to an app admin account.' },
  40005: { meaning: 'a profile field contains sensitive words', class: 'permanent', hint: 'Change the wording of Nick or SelfSignature.' },
  40006: { meaning: 'internal error while setting the profile', class: 'transient', hint: retry },
  40008: { meaning: 'no permission to write this profile field', class: 'permanent', hint: 'Check the profile field permissions in the Chat console.' },
  40009: { meaning: 'no such profile tag', class: 'permanent', hint: 'This is a bug in the action: please report it.' },
  40601: { meaning: 'a profile field is over 500 bytes', class: 'permanent', hint: 'Shorten Nick, FaceUrl or SelfSignature to at most 500 bytes (UTF-8).' },
  40605: { meaning: 'invalid profile field value', class: 'permanent', hint: 'Check the value of the profile fields.' },
  40610: { meaning: 'invalid profile field value', class: 'permanent', hint: 'Check the value of the profile fields.' },
  // public: transient
  60007: { meaning: 'call frequency over the limit', class: 'transient', slowDown: true, hint: slow },
  60008: { meaning: 'request timed out on the vendor side', class: 'transient', hint: retry },
  60011: { meaning: 'call frequency over the limit', class: 'transient', slowDown: true, hint: slow },
  60014: { meaning: 'account check timed out', class: 'transient', hint: retry },
  60018: { meaning: 'call frequency over the limit', class: 'transient', slowDown: true, hint: slow },
  60019: { meaning: 'call frequency over the limit', class: 'transient', slowDown: true, hint: slow },
  70050: {
    meaning: 'too many failed signature checks',
    class: 'transient',
    minWaitMs: 60_000,
    hint: 'Wait a minute; if it recurs, the signature is wrong: ' + checkKey
  },
  70114: { meaning: 'too many calls for one user', class: 'transient', slowDown: true, hint: slow },
  70169: { meaning: 'server timeout', class: 'transient', hint: retry },
  70202: { meaning: 'server timeout', class: 'transient', hint: retry },
  70500: { meaning: 'internal server error', class: 'transient', hint: retry },
  72010: { meaning: 'too many calls for one user', class: 'transient', slowDown: true, hint: slow },
  // public: run-fatal (every later call would fail the same way)
  60004: { meaning: 'account or signature in the URL is wrong', class: 'run-fatal', hint: checkKey },
  60005: { meaning: 'account or signature in the URL is wrong', class: 'run-fatal', hint: checkKey },
  60006: { meaning: 'invalid SDKAppID', class: 'run-fatal', hint: 'Check the sdkappid input (Chat console → app → SDKAppID).' },
  60010: {
    meaning: 'identifier is not an app admin',
    class: 'run-fatal',
    hint: "Set identifier to an app admin account (the console's default is administrator)."
  },
  60012: { meaning: 'SDKAppID missing', class: 'run-fatal', hint: 'Set the sdkappid input.' },
  60016: { meaning: 'SDKAppID disabled', class: 'run-fatal', hint: 'Enable the app in the Chat console.' },
  60017: { meaning: 'request disabled', class: 'run-fatal', hint: 'Enable the API for this app in the Chat console.' },
  60020: { meaning: 'edition expired or service not bought', class: 'run-fatal', hint: 'Renew or buy the Chat service for this app.' },
  60021: {
    meaning: 'caller IP not allowed',
    class: 'run-fatal',
    hint: "Allow the runner's IP in the console's IP allowlist, or use a self-hosted runner with a fixed IP."
  },
  60025: { meaning: 'SDKAppID, identifier, UserSig or contenttype wrong in the URL', class: 'run-fatal', hint: checkKey },
  60026: { meaning: "domain does not match the SDKAppID's data centre", class: 'run-fatal', hint: checkRegion },
  60028: { meaning: 'trial edition daily request quota used up', class: 'run-fatal', hint: 'Wait for the quota to reset or upgrade the edition.' },
  70001: { meaning: 'UserSig expired', class: 'run-fatal', expired: true, hint: expiredHint },
  70002: { meaning: 'UserSig empty', class: 'run-fatal', hint: checkKey },
  70003: { meaning: 'UserSig malformed', class: 'run-fatal', hint: checkKey },
  70005: { meaning: 'UserSig malformed', class: 'run-fatal', hint: checkKey },
  70009: { meaning: "UserSig signed with another app's key", class: 'run-fatal', hint: checkKey },
  70013: { meaning: 'identifier differs from the one in the UserSig', class: 'run-fatal', hint: checkKey },
  70014: { meaning: 'SDKAppID differs from the one in the UserSig', class: 'run-fatal', hint: checkKey },
  70016: { meaning: 'key or SDKAppID not found in this data centre', class: 'run-fatal', hint: checkRegion },
  70020: { meaning: 'key or SDKAppID not found in this data centre', class: 'run-fatal', hint: checkRegion },
  70052: { meaning: 'UserSig expired', class: 'run-fatal', expired: true, hint: expiredHint },
  72000: { meaning: 'trial edition DAU/MAU quota exceeded', class: 'run-fatal', hint: 'Upgrade the edition.' },
  72001: { meaning: 'feature not enabled in the console', class: 'run-fatal', hint: 'Enable chatbots for this app in the Chat console.' },
  72002: { meaning: 'trial edition DAU/MAU quota exceeded', class: 'run-fatal', hint: 'Upgrade the edition.' },
  72011: { meaning: 'feature not enabled in the console', class: 'run-fatal', hint: 'Enable chatbots for this app in the Chat console.' },
  72012: { meaning: 'feature not enabled in the console', class: 'run-fatal', hint: 'Enable chatbots for this app in the Chat console.' },
  // public: permanent
  60002: { meaning: 'HTTP request could not be parsed', class: 'permanent', hint: 'This is a bug in the action or a proxy in between: please report it.' },
  60003: { meaning: 'request JSON could not be parsed', class: 'permanent', hint: 'This is a bug in the action or a proxy in between: please report it.' },
  60009: {
    meaning: 'wrong resource (URL)',
    class: 'permanent',
    noProfile: true,
    hint: "Check the endpoint input: it must be the vendor's base URL without a path."
  },
  60015: { meaning: 'UserID is not a string', class: 'permanent', hint: 'Quote the UserID in the manifest.' },
  70051: { meaning: 'account blocklisted', class: 'permanent', hint: 'Remove the account from the blocklist in the Chat console.' },
  70398: {
    meaning: "too many accounts for the app's edition",
    class: 'permanent',
    hint: 'Upgrade the edition (the free one allows 100 accounts) or delete unused accounts.'
  },
  70402: { meaning: 'invalid parameter', class: 'permanent', hint: "Check this robot's fields." },
  70403: { meaning: 'needs an app admin', class: 'run-fatal', hint: 'Set identifier to an app admin account.' }
}

/**
 * The API's own codes (below the public range 60000–79999) come only after the
 * vendor has checked the signature; a public code may come before that check.
 */
export function provesSignature(code: number): boolean {
  return code < 60000
}

export function describeCode(code: number): CodeInfo {
  return (
    TABLE[code] ?? {
      meaning: `unknown error code ${code}`,
      class: 'permanent',
      hint: "The action does not know this code and treated it as permanent (no retry). Look it up in the vendor's error code list."
    }
  )
}

/** For the README's table and its test. */
export function allCodes(): Array<[number, CodeInfo]> {
  return Object.entries(TABLE).map(([code, info]) => [Number(code), info])
}

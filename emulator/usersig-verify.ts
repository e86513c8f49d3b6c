/**
 * UserSig (TLSSigAPIv2) verification, the vendor's side of the handshake.
 *
 * Written from the algorithm in shared/reference/tencent-chat-api.md, not shared
 * with src/: if the action's signer and this verifier came from one module, a
 * mistake in it would pass every test.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { inflateSync } from 'node:zlib'

/** The fields of a decoded UserSig that the HMAC covers. */
export interface UserSigContent {
  identifier: string
  sdkappid: number
  /** Unix seconds when it was signed. */
  time: number
  /** Seconds it stays valid after `time`. */
  expire: number
  /** Only TRTC room keys carry one; the official verifiers sign it when present. */
  userbuf?: string
}

export interface DecodedUserSig extends UserSigContent {
  sig: string
}

export interface VerifyExpectation {
  sdkappid: number
  identifier: string
  secretKey: string
  /** Unix seconds. */
  now: number
}

export type VerifyResult = { ok: true; userSig: DecodedUserSig } | { ok: false; code: number; info: string }

/** A real UserSig inflates to ~200 bytes; the cap stops a zip bomb in a query string. */
const MAX_INFLATED_BYTES = 64 * 1024

/** base64 after the vendor's `+`→`*`, `/`→`-`, `=`→`_` substitutions are undone. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** The four (or five) LF-terminated lines that TLS.sig is the HMAC-SHA256 of, base64. */
export function userSigHmac(content: UserSigContent, secretKey: string): string {
  let text = `TLS.identifier:${content.identifier}\n` + `TLS.sdkappid:${content.sdkappid}\n` + `TLS.time:${content.time}\n` + `TLS.expire:${content.expire}\n`
  if (content.userbuf !== undefined) text += `TLS.userbuf:${content.userbuf}\n`
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(text, 'utf8').digest('base64')
}

/** Undo the URL-safe alphabet, base64-decode, inflate and parse. Null when any step fails. */
export function decodeUserSig(userSig: string): DecodedUserSig | null {
  const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  // Buffer.from(…, 'base64') silently skips characters it does not know, so check first.
  if (!BASE64.test(base64)) return null
  let json: string
  try {
    json = inflateSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8')
  } catch {
    return null
  }
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null
  const fields = doc as Record<string, unknown>
  const identifier = fields['TLS.identifier']
  const sdkappid = fields['TLS.sdkappid']
  const time = fields['TLS.time']
  const expire = fields['TLS.expire']
  const sig = fields['TLS.sig']
  const userbuf = fields['TLS.userbuf']
  if (typeof identifier !== 'string' || typeof sig !== 'string') return null
  if (!Number.isSafeInteger(sdkappid) || !Number.isSafeInteger(time) || !Number.isSafeInteger(expire)) return null
  if (userbuf !== undefined && typeof userbuf !== 'string') return null
  const decoded: DecodedUserSig = {
    identifier,
    sdkappid: sdkappid as number,
    time: time as number,
    expire: expire as number,
    sig
  }
  if (userbuf !== undefined) decoded.userbuf = userbuf
  return decoded
}

/**
 * Check a UserSig the way the vendor does, in the vendor's order, and name the
 * code it would answer: 70002 empty, 70003 malformed, 70014 other SDKAppID,
 * 70013 other identifier, 70009 wrong key, 70001 expired.
 */
export function verifyUserSig(userSig: string, expected: VerifyExpectation): VerifyResult {
  if (userSig === '') return { ok: false, code: 70002, info: 'UserSig is empty' }
  const decoded = decodeUserSig(userSig)
  if (decoded === null) {
    return { ok: false, code: 70003, info: 'UserSig is malformed: base64, zlib or JSON decoding failed' }
  }
  if (decoded.sdkappid !== expected.sdkappid) {
    return { ok: false, code: 70014, info: `the SDKAppID in the UserSig (${decoded.sdkappid}) differs from the request's (${expected.sdkappid})` }
  }
  if (decoded.identifier !== expected.identifier) {
    return { ok: false, code: 70013, info: "the identifier in the UserSig differs from the request's identifier" }
  }
  const wanted = Buffer.from(userSigHmac(decoded, expected.secretKey), 'utf8')
  const given = Buffer.from(decoded.sig, 'utf8')
  // timingSafeEqual throws on unequal lengths; a length difference is a mismatch anyway.
  if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) {
    return { ok: false, code: 70009, info: 'UserSig verification failed: it was signed with another key' }
  }
  if (expected.now > decoded.time + decoded.expire) {
    return { ok: false, code: 70001, info: `UserSig expired at ${decoded.time + decoded.expire} (now ${expected.now})` }
  }
  return { ok: true, userSig: decoded }
}

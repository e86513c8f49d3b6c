import { createHmac } from 'node:crypto'
import { deflateSync } from 'node:zlib'

/**
 * TLSSigAPIv2, the vendor's UserSig: an HMAC-SHA256 over four fixed lines,
 * wrapped in JSON, deflated and base64'd with URL-safe substitutions.
 * Checked against the vendor's test vectors and its npm package in __tests__/unit/usersig.test.ts.
 */
export interface UserSigClaims {
  sdkappid: number
  identifier: string
  /** Unix seconds when it was signed. */
  time: number
  /** Seconds it stays valid after `time`. */
  expire: number
}

export function signatureOf(secretKey: string, claims: UserSigClaims): string {
  const content = `TLS.identifier:${claims.identifier}\n` + `TLS.sdkappid:${claims.sdkappid}\n` + `TLS.time:${claims.time}\n` + `TLS.expire:${claims.expire}\n`
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(content).digest('base64')
}

export function signUserSig(secretKey: string, claims: UserSigClaims): string {
  const json = JSON.stringify({
    'TLS.ver': '2.0',
    'TLS.identifier': claims.identifier,
    'TLS.sdkappid': claims.sdkappid,
    'TLS.time': claims.time,
    'TLS.expire': claims.expire,
    'TLS.sig': signatureOf(secretKey, claims)
  })
  return deflateSync(Buffer.from(json, 'utf8')).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_')
}

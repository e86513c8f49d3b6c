import { describe, expect, it, jest } from '@jest/globals'
import { inflateSync } from 'node:zlib'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import { signUserSig, signatureOf } from '../../src/vendor/usersig.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'

function decode(usersig: string): Record<string, unknown> {
  const base64 = usersig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  return JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8')) as Record<string, unknown>
}

describe('UserSig (TLSSigAPIv2)', () => {
  it.each([
    ['xiaojun', 15552000, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4='],
    ['administrator', 86400, 'yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=']
  ])('signs %s for %i seconds with the vendor test vector TLS.sig', (identifier, expire, sig) => {
    expect(signatureOf(KEY, { sdkappid: 1400000000, identifier, time: 1700000000, expire })).toBe(sig)
  })

  it("produces the official package's whole UserSig for the first test vector", () => {
    expect(signUserSig(KEY, { sdkappid: 1400000000, identifier: 'xiaojun', time: 1700000000, expire: 15552000 })).toBe(
      'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__'
    )
  })

  it("agrees with the vendor's npm package at the current time", () => {
    const now = 1764000000
    jest.useFakeTimers({ now: now * 1000 })
    try {
      const theirs = new TLSSigAPIv2.Api(1400012345, KEY).genSig('administrator', 600)
      const ours = signUserSig(KEY, { sdkappid: 1400012345, identifier: 'administrator', time: now, expire: 600 })
      expect(ours).toBe(theirs)
      expect(decode(ours)).toEqual({
        'TLS.ver': '2.0',
        'TLS.identifier': 'administrator',
        'TLS.sdkappid': 1400012345,
        'TLS.time': now,
        'TLS.expire': 600,
        'TLS.sig': expect.any(String)
      })
    } finally {
      jest.useRealTimers()
    }
  })

  it('uses only characters that survive a URL query unescaped', () => {
    const usersig = signUserSig(KEY, { sdkappid: 1400000000, identifier: 'administrator', time: 1700000000, expire: 600 })
    expect(usersig).toMatch(/^[A-Za-z0-9*\-_]+$/)
  })
})

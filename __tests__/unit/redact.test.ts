import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { redactWith, secretPattern } from '../../src/redact.js'

const redact = (secret: string, text: string) => redactWith([secretPattern(secret)], text)

const percentAll = (text: string, upper: boolean) =>
  [...Buffer.from(text)].map(b => `%${upper ? b.toString(16).toUpperCase() : b.toString(16)}`.replace(/^%(.)$/, '%0$1')).join('')

describe('redaction in every encoding', () => {
  const USERSIG = 'eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb_'

  it.each([
    ['as sent', USERSIG],
    ['encodeURIComponent', encodeURIComponent(USERSIG)],
    ['RFC 3986 (%2A)', USERSIG.replace(/\*/g, '%2A')],
    ['lower-case %2a', USERSIG.replace(/\*/g, '%2a')],
    ['every byte, upper case', percentAll(USERSIG, true)],
    ['every byte, lower case', percentAll(USERSIG, false)],
    ['twice (%252A)', encodeURIComponent(USERSIG.replace(/\*/g, '%2A'))],
    ['three times', encodeURIComponent(encodeURIComponent(USERSIG.replace(/\*/g, '%2A')))],
    ['JSON \\u escapes', USERSIG.replace(/\*/g, '\\u002A').replace(/-/g, '\\u002d')],
    ['HTML references', USERSIG.replace(/\*/g, '&#42;').replace(/-/g, '&#x2D;')]
  ])('%s', (_name, form) => {
    expect(redact(USERSIG, `before ${form} after`)).toBe('before *** after')
  })

  it('a secret with spaces, symbols and non-ASCII characters, in form encoding too', () => {
    const secret = 'pa ss+wörd/中*'
    for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), percentAll(secret, false)]) {
      expect(redact(secret, `[${form}]`)).toBe('[***]')
    }
  })

  it('any mix of raw and percent-encoded characters is redacted', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (secret, encodeIt) => {
        const form = [...secret].map((c, i) => (encodeIt[i] ? percentAll(c, i % 2 === 0) : c)).join('')
        expect(redact(secret, `<${form}>`)).toBe('<***>')
      }),
      { numRuns: 500 }
    )
  })

  it('leaves other text alone', () => {
    expect(redact(USERSIG, 'eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb (cut) and %2A')).toBe('eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb (cut) and %2A')
  })
})

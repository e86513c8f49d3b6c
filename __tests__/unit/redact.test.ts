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
      { numRuns: 300 }
    )
  })

  it('a long secret in a long text costs no more than a quick look per character', () => {
    const secret = 'eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb_'.repeat(8)
    const text = `${'e%25&#\\+'.repeat(20_000)}[${encodeURIComponent(secret)}]`
    expect(redact(secret, text)).toBe(`${'e%25&#\\+'.repeat(20_000)}[***]`)
  })

  // A cut copy is not the whole secret: its pieces are redact-pieces.ts's (redact-partial.test.ts).
  it('leaves other text alone, a cut copy included', () => {
    expect(redact(USERSIG, 'eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb (cut) and %2A')).toBe('eJw1ikELgjAYhv-Ldw7ZzJwOOkQH0y*kRdanb (cut) and %2A')
  })
})

/**
 * The judge: the one regular expression per secret that the matcher replaced
 * (it cost V8 about 120 ms to compile for a key and a UserSig). The matcher must
 * find exactly what it finds, in the same places, on texts made to confuse both.
 */
function oracle(secret: string): RegExp {
  const hex = (value: number, width: number) =>
    value
      .toString(16)
      .padStart(width, '0')
      .replace(/[a-f]/g, digit => `[${digit}${digit.toUpperCase()}]`)
  const character = (c: string) => {
    const code = c.codePointAt(0) as number
    const alternatives = [[...Buffer.from(c, 'utf8')].map(byte => `%(?:25)*${hex(byte, 2)}`).join(''), `&#0*${code};`, `&#[xX]0*${hex(code, 1)};`]
    if (code <= 0xffff) alternatives.push(`\\\\u${hex(code, 4)}`)
    if (c === ' ') alternatives.push('\\+')
    alternatives.push(c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    return `(?:${alternatives.join('|')})`
  }
  return new RegExp([...secret].map(character).join(''), 'g')
}

describe('the matcher finds what the regular expression finds', () => {
  // Few symbols, chosen so that forms overlap: % 2 5 make nested escapes, & # x 0 ; references, \ u escapes.
  const symbol = fc.constantFrom('%', '2', '5', 'a', 'A', '&', '#', 'x', '0', ';', '\\', 'u', '+', ' ', 'é', '中', '😀', '\ud800')
  const encode = (c: string, how: number): string => {
    const code = c.codePointAt(0) as number
    switch (how) {
      case 0:
        return [...Buffer.from(c)].map(b => `%${'25'.repeat(code % 3)}${b.toString(16).padStart(2, '0')}`).join('')
      case 1:
        return `&#${'0'.repeat(code % 2)}${code};`
      case 2:
        return `&#X${code.toString(16).toUpperCase()};`
      case 3:
        return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : c
      case 4:
        return c === ' ' ? '+' : c
      default:
        return c
    }
  }

  it('on secrets and texts of overlapping symbols, encoded in mixed forms', () => {
    fc.assert(
      fc.property(
        fc.array(symbol, { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(symbol, fc.nat(5), fc.constant('SECRET')), { maxLength: 30 }),
        fc.array(fc.nat(6), { minLength: 30, maxLength: 30 }),
        (secretChars, pieces, hows) => {
          const secret = secretChars.join('')
          const text = pieces
            .map((piece, i) =>
              piece === 'SECRET'
                ? [...secret].map((c, j) => encode(c, hows[(i + j) % hows.length])).join('')
                : typeof piece === 'number'
                  ? encode(secretChars[piece % secretChars.length], hows[i])
                  : piece
            )
            .join('')
          expect(redact(secret, text)).toBe(text.replace(oracle(secret), '***'))
        }
      ),
      { numRuns: 500 }
    )
  })
})

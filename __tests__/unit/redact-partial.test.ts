import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import { TEST_SECRET_KEY } from '../../emulator/server.js'
import { PIECE_LENGTH, Redactor } from '../../src/redact.js'
import { Terminal } from '../../src/cli/terminal.js'

/**
 * A server, a proxy or GitHub may echo a secret cut short: `usersig=eJw…` stopped
 * at 80 characters, the last 40 characters of a key, a URL cut in the middle.
 * Any run of PIECE_LENGTH characters of a secret is redacted wherever it shows,
 * at any offset of the secret, literally and in the encodings a cut copy comes in.
 */

const KEY = TEST_SECRET_KEY
const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB'
/** A UserSig as the action signs it, with the `*` and `-` that percent-encoding tells apart. */
const USERSIG = (() => {
  for (let expire = 600; ; expire++) {
    const usersig = new TLSSigAPIv2.Api(1400000000, KEY).genSig('administrator', expire)
    if (usersig.includes('*') && usersig.includes('-')) return usersig
  }
})()
const K = PIECE_LENGTH

function redactorOf(...secrets: string[]): Redactor {
  const redactor = new Redactor()
  for (const secret of secrets) redactor.add(secret)
  return redactor
}

const redactor = redactorOf(KEY, USERSIG, TOKEN)

/** The first run of K characters of `secret` still in `text`, or null. */
function pieceLeft(secret: string, text: string): string | null {
  for (let i = 0; i + K <= secret.length; i++) if (text.includes(secret.slice(i, i + K))) return secret.slice(i, i + K)
  return null
}

/** The text with each run of percent escapes decoded, where it decodes. */
const decoded = (text: string) =>
  text.replace(/(?:%[0-9a-fA-F]{2})+/g, run => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })

const percentAll = (text: string, upper: boolean) =>
  [...Buffer.from(text)]
    .map(b => `%${b.toString(16).padStart(2, '0')}`)
    .map(e => (upper ? e.toUpperCase() : e))
    .join('')

describe('a piece of a secret is redacted', () => {
  const SECRETS: Array<[string, string]> = [
    ['the secret key', KEY],
    ['a UserSig', USERSIG],
    ['a GitHub token', TOKEN]
  ]
  const cuts = (secret: string): Array<[string, string]> => [
    ['its first 20 characters', secret.slice(0, 20)],
    ['its last 20 characters', secret.slice(-20)],
    ['20 characters from its middle', secret.slice(10, 30)],
    ['all but its last character', secret.slice(0, -1)],
    ['all but its first character', secret.slice(1)]
  ]
  const CASES = SECRETS.flatMap(([name, secret]) => cuts(secret).map(([cut, piece]) => ({ name, cut, piece })))

  it.each(CASES)('$name, $cut', ({ piece }) => {
    expect(redactor.redact(`before ${piece} after`)).toBe('before *** after')
  })

  it('a UserSig in a URL cut 80 characters into it, as an error page quotes it', () => {
    const url = `https://adminapisgp.im.qcloud.com/v4/openim/x?sdkappid=1400000000&usersig=${USERSIG}&random=1`
    const usersigAt = url.indexOf('usersig=') + 'usersig='.length
    expect(redactor.redact(`GET ${url.slice(0, usersigAt + 80)}… failed`)).toBe(`GET ${url.slice(0, usersigAt)}***… failed`)
  })

  it(`a run of ${K - 1} characters is left, a run of ${K} is redacted`, () => {
    for (const [, secret] of SECRETS) {
      for (const at of [0, 5, secret.length - K]) {
        expect(redactor.redact(`<${secret.slice(at, at + K - 1)}>`)).toBe(`<${secret.slice(at, at + K - 1)}>`)
        expect(redactor.redact(`<${secret.slice(at, at + K)}>`)).toBe('<***>')
      }
    }
  })

  it('a piece next to the whole secret is redacted with it', () => {
    const text = `[${USERSIG.slice(0, 50)}${USERSIG}${USERSIG.slice(-30)}]`
    const shown = redactor.redact(text)
    expect(shown).toMatch(/^\[(\*\*\*)+\]$/)
  })

  it('two secrets cut and run together are redacted as one', () => {
    expect(redactor.redact(`k=${KEY.slice(30)}${TOKEN.slice(0, 15)};`)).toBe('k=***;')
  })
})

describe('a short secret does not cut a longer one into pieces too short to find', () => {
  /** A proxy password of two characters that the UserSig happens to hold. */
  const at = [...USERSIG].findIndex((_, i) => i >= 20 && /^[A-Za-z0-9]{2}$/.test(USERSIG.slice(i, i + 2)))
  const password = USERSIG.slice(at, at + 2)
  const piece = USERSIG.slice(at - 8, at + 12)

  it('a piece of a UserSig that holds a short proxy password', () => {
    expect(redactorOf(USERSIG, password).redact(`[${piece}]`)).toBe('[***]')
  })

  it('the same, in the command line terminal', () => {
    const terminal = new Terminal({ write: () => true }, { write: () => true }, { out: false, err: false })
    terminal.mask(USERSIG)
    terminal.mask(password)
    expect(terminal.redact(`[${piece}]`)).toBe('[***]')
  })
})

describe('a piece in the encodings a cut copy comes in', () => {
  const piece = USERSIG.slice(17, 97)
  const FORMS: Array<[string, string]> = [
    ['encodeURIComponent', encodeURIComponent(piece)],
    ['RFC 3986 (%2A), upper case', piece.replace(/\*/g, '%2A')],
    ['lower-case %2a', piece.replace(/\*/g, '%2a')],
    ['every byte, upper case', percentAll(piece, true)],
    ['every byte, lower case', percentAll(piece, false)],
    ['twice (%252A)', encodeURIComponent(piece.replace(/\*/g, '%2A'))],
    ['three times', encodeURIComponent(encodeURIComponent(percentAll(piece, false)))],
    ['JSON \\u escapes', piece.replace(/[*-]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['HTML references', piece.replace(/\*/g, '&#42;').replace(/-/g, '&#x2D;').replace(/_/g, '&#00095;')]
  ]

  it.each(FORMS)('%s', (_name, form) => {
    expect(redactor.redact(`before ${form} after`)).toBe('before *** after')
  })

  const key = Buffer.from(KEY, 'utf8')
  const ENCODED: Array<[string, string]> = [
    ['base64 of the key, cut', key.toString('base64').slice(5, 45)],
    ['base64url of a UserSig, cut', Buffer.from(USERSIG).toString('base64url').slice(-40)],
    ['hex of the key, cut', key.toString('hex').slice(40, 80)],
    ['upper-case hex of the token, cut', Buffer.from(TOKEN).toString('hex').toUpperCase().slice(0, 30)]
  ]
  it.each(ENCODED)('%s', (_name, form) => {
    expect(redactor.redact(`before ${form} after`)).toBe('before *** after')
  })

  it('base64 of a piece of the key, at each of the three offsets', () => {
    for (const at of [3, 4, 5]) {
      const encoded = Buffer.from(`key=${KEY.slice(at, at + 40)}`).toString('base64')
      const shown = redactor.redact(`x ${encoded} y`)
      // At most the characters that mix in "key=" or end the last group are left.
      expect(shown).toMatch(/^x \S{0,8}\*\*\*\S{0,4} y$/)
      expect(pieceLeft(encoded.slice(8, -4), shown)).toBeNull()
    }
  })
})

describe('text that holds no piece of a secret is left alone', () => {
  it.each([
    ['a log line', 'Created @RBT#support (Nick "Support") in 132 ms; 2 robots planned, 0 failed.'],
    ['commit SHAs', '5bd2850f 5bd2850fff3 3f9a6c1d2e4b5a697887766554433221100ffeed a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'],
    ['a UUID and a timestamp', '123e4567-e89b-12d3-a456-426614174000 at 2025-01-02T03:04:05.678Z'],
    ['base64 of other bytes', Buffer.from('an ordinary message, nothing secret in it at all').toString('base64')],
    ['the SDKAppID and other digits', 'sdkappid=1400000000&random=4294967295&contenttype=json'],
    ['escapes that spell nothing secret', '%25%2A%41 &#42; &#x2D; \\u0041 + &amp;'],
    [`${K - 1} characters of each secret`, `${KEY.slice(0, K - 1)} ${USERSIG.slice(0, K - 1)} ${TOKEN.slice(0, K - 1)}`]
  ])('%s', (_name, text) => {
    expect(redactor.redact(text)).toBe(text)
  })
})

describe('properties', () => {
  const hexSecret = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
  const sigSecret = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_'), minLength: 40, maxLength: 220 })
  const secret = fc.oneof(hexSecret, sigSecret)
  /** Cuts of the secret: offset and length as fractions of what is left. */
  const cut = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
  const place = (s: string, [from, size, encode]: [number, number, boolean]) => {
    const at = Math.floor(from * (s.length - K))
    const piece = s.slice(at, at + K + Math.floor(size * (s.length - K - at)))
    return encode ? encodeURIComponent(piece).replace(/\*/g, '%2A') : piece
  }

  it('no run of K characters of a secret survives, whatever surrounds it', () => {
    fc.assert(
      fc.property(secret, fc.array(fc.tuple(fc.string({ maxLength: 30 }), cut), { minLength: 1, maxLength: 4 }), (s, parts) => {
        const text = parts.map(([around, where]) => around + place(s, where)).join('')
        const shown = redactorOf(s).redact(text)
        expect(pieceLeft(s, shown)).toBeNull()
        expect(pieceLeft(s, decoded(shown))).toBeNull()
      }),
      { numRuns: 300 }
    )
  })

  it('text that does not touch a secret is unchanged, and each piece becomes one ***', () => {
    // Letters and marks none of the secrets' alphabets above holds.
    const other = fc.string({ unit: fc.constantFrom(...' .,:;!?()[]{}<>~^|ßøé中'), minLength: 1, maxLength: 30 })
    fc.assert(
      fc.property(secret, fc.array(fc.tuple(other, cut), { minLength: 1, maxLength: 4 }), other, (s, parts, last) => {
        const text = parts.map(([around, where]) => around + place(s, where)).join('') + last
        expect(redactorOf(s).redact(text)).toBe(parts.map(([around]) => `${around}***`).join('') + last)
      }),
      { numRuns: 300 }
    )
  })
})

describe('cost', () => {
  /** A hostile text: escapes that start no form of a secret, and near-misses of each (one character short). */
  function hostile(length: number): string {
    const unit = `%25%252&#000&#x;\\u00\\+ ${KEY.slice(3, 3 + K - 1)}%zz${USERSIG.slice(9, 9 + K - 1)}&#${TOKEN.slice(0, K - 1)}\\${KEY.slice(0, K - 1)}x`
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
  }
  /** The least of a few timings: noise only ever adds. */
  function fastest(text: string): number {
    let best = Infinity
    for (let i = 0; i < 5; i++) {
      const start = performance.now()
      redactor.redact(text)
      best = Math.min(best, performance.now() - start)
    }
    return best
  }

  it('grows with the text, not with its square: 16 times the text costs well under 64 times the time', () => {
    const small = hostile(64 * 1024)
    const large = hostile(1024 * 1024)
    fastest(small)
    const ratio = fastest(large) / fastest(small)
    // Linear is 16; quadratic would be 256.
    expect(ratio).toBeLessThan(64)
  })

  it('a hostile text is redacted correctly', () => {
    const text = `${hostile(1024)}[${encodeURIComponent(USERSIG.slice(0, 60))}]${hostile(1024)}`
    expect(redactor.redact(text)).toBe(`${hostile(1024)}[***]${hostile(1024)}`)
  })
})

describe('the command line terminal', () => {
  it('redacts a piece of what it was told to mask, as the action redacts it', () => {
    const terminal = new Terminal({ write: () => true }, { write: () => true }, { out: false, err: false })
    terminal.mask(KEY)
    expect(terminal.redact(`key ${KEY.slice(0, 40)}… and ${percentAll(KEY.slice(-20), true)}`)).toBe('key ***… and ***')
    expect(terminal.redact(`short ${KEY.slice(0, K - 1)}`)).toBe(`short ${KEY.slice(0, K - 1)}`)
  })
})

describe('short secrets, too short for pieces', () => {
  it('one that holds another is masked whole, whichever was added first', () => {
    for (const order of [
      ['pw', 'pw12'],
      ['pw12', 'pw']
    ]) {
      expect(redactorOf(...order).redact('login pw12 now')).toBe('login *** now')
    }
  })
})

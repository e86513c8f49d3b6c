/**
 * Secrets are redacted in every encoding a server or proxy may echo them in, not
 * only the forms the action itself sends: each character of a secret may come back
 * as itself, percent-encoded (either case of hex, every byte of its UTF-8, nested
 * like %252A when a URL is quoted inside a URL, `+` for a space), as a JSON \uXXXX
 * escape or as an HTML character reference. A piece of one is redacted too
 * (redact-pieces.ts): the Redactor below is what the rest of the action uses.
 *
 * The matcher is written out by hand rather than built as one regular expression:
 * it finds exactly what that expression would (__tests__/unit/redact.test.ts keeps
 * the expression as its judge), but V8 spent about 120 ms compiling the expression
 * for a key and a UserSig, in every run, before the first line could be printed.
 * Here only the first character's forms are an expression (tiny, quick to compile):
 * it finds where a match may start in native code, so a hostile text full of % & \
 * costs no JavaScript step per character per secret.
 */
import { PIECE_LENGTH, SecretPieces } from './redact-pieces.js'

export { PIECE_LENGTH }

/**
 * Every secret of a run, as itself and encoded whole or among other bytes, each
 * redacted whole in every encoding and by the piece. A form of PIECE_LENGTH
 * characters or more is left to the pieces alone when it holds none of % & \ +
 * and space: every character of a whole copy is then in one of its pieces, in the
 * same encodings, and one pass finds them all. A shorter form, or one an escape
 * could be read into, also keeps its exact whole matcher.
 *
 * The shorter forms are redacted last: a short proxy password that a UserSig
 * happens to hold, replaced first, would cut a copy of the UserSig into runs too
 * short for the pieces to find.
 */
export class Redactor {
  private readonly known = new Set<string>()
  /** Whole matchers of forms of PIECE_LENGTH characters or more, then of shorter ones (longest first: one that holds another is masked whole). */
  private readonly long: SecretPattern[] = []
  private short: Array<{ length: number; pattern: SecretPattern }> = []
  private readonly pieces = new SecretPieces()

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret)
  }

  add(secret: string): void {
    if (!secret || this.known.has(secret)) return
    this.known.add(secret)
    for (const form of secretForms(secret)) {
      this.pieces.add(form)
      if (form.length < PIECE_LENGTH) this.short = [...this.short, { length: form.length, pattern: secretPattern(form) }].sort((a, b) => b.length - a.length)
      else if (/[%&\\+ ]/.test(form)) this.long.push(secretPattern(form))
    }
  }

  /** The text with every secret, and every piece of one, replaced by ***. */
  redact(text: string): string {
    return redactWith(
      this.short.map(short => short.pattern),
      this.pieces.redact(redactWith(this.long, text))
    )
  }
}

/** One character of a secret and the forms it may take. */
interface Forms {
  /** The character itself: one UTF-16 unit, or two for a character outside the BMP. */
  readonly literal: string
  /** Its UTF-8 bytes as two lower-case hex digits each, for %XX. */
  readonly bytes: readonly string[]
  /** Its code point in decimal, for &#NNN;. */
  readonly decimal: string
  /** Its code point in lower-case hex without leading zeros, for &#xHH;. */
  readonly hex: string
  /** Four lower-case hex digits for \uXXXX, or null outside the BMP. */
  readonly unicode: string | null
  /** A space may also come back as + (form encoding). */
  readonly space: boolean
}

const PERCENT = 0x25 // %
const AMPERSAND = 0x26 // &
const BACKSLASH = 0x5c // \
const PLUS = 0x2b // +

/** Finds one secret in any of those encodings. */
export class SecretPattern {
  private readonly forms: readonly Forms[]
  /**
   * Finds the next place the secret's first character is, in any of its forms: a
   * tiny expression, quick to compile, that skips in native code the places a
   * hostile text fills with % & \\ that start no form of it.
   */
  private readonly first: RegExp | null

  constructor(secret: string) {
    this.forms = [...secret].map(formsOf)
    this.first = this.forms.length === 0 ? null : new RegExp(characterSource(this.forms[0]), 'g')
  }

  /** The text with every occurrence replaced by ***, leftmost first, as a global replace would. */
  redact(text: string): string {
    const first = this.first
    if (first === null) return text
    // Where the secret's characters from k on end when they start at p (or -1), shared by every start.
    const memo = new Map<number, number>()
    let out = ''
    let kept = 0
    for (let p = 0; ;) {
      first.lastIndex = p
      const at = first.exec(text)?.index ?? -1
      if (at === -1) break
      const end = this.rest(text, 0, at, memo)
      if (end > at) {
        out += text.slice(kept, at) + '***'
        kept = p = end
      } else {
        p = at + 1
      }
    }
    return kept === 0 ? text : out + text.slice(kept)
  }

  /** The end of the secret's characters k… matched from position p, trying each form in turn as a regular expression would. */
  private rest(text: string, k: number, p: number, memo: Map<number, number>): number {
    // Where the text holds no encoded form, a character can only be itself: no choice, nothing to remember.
    for (;;) {
      if (k === this.forms.length) return p
      const unit = text.charCodeAt(p)
      if (unit === PERCENT || unit === AMPERSAND || unit === BACKSLASH || (unit === PLUS && this.forms[k].space)) break
      if (!text.startsWith(this.forms[k].literal, p)) return -1
      p += this.forms[k].literal.length
      k++
    }
    const forms = this.forms[k]
    const key = k * (text.length + 1) + p
    const known = memo.get(key)
    if (known !== undefined) return known
    let found = -1
    for (const end of characterEnds(text, forms, p)) {
      found = this.rest(text, k + 1, end, memo)
      if (found >= 0) break
    }
    memo.set(key, found)
    return found
  }
}

/** The forms of each character, made once: secrets share their alphabets (base64, hex). */
const FORMS = new Map<string, Forms>()

function formsOf(character: string): Forms {
  let forms = FORMS.get(character)
  if (forms === undefined) {
    const code = character.codePointAt(0) as number
    forms = {
      literal: character,
      bytes: [...Buffer.from(character, 'utf8')].map(byte => byte.toString(16).padStart(2, '0')),
      decimal: String(code),
      hex: code.toString(16),
      unicode: code <= 0xffff ? code.toString(16).padStart(4, '0') : null,
      space: character === ' '
    }
    FORMS.set(character, forms)
  }
  return forms
}

/** A matcher for the secret in any of the encodings above. */
export function secretPattern(secret: string): SecretPattern {
  return new SecretPattern(secret)
}

/**
 * A secret encoded whole, as a server may also echo it: base64 (either alphabet,
 * padded or not) and hex (either case). The runner is told to mask these too.
 */
export function encodedWhole(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  return [
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase()
  ]
}

/** The secret as itself, encoded whole, and in base64 among other bytes. */
function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  // Not for a short secret: a few characters of base64 would redact ordinary words.
  const inside = bytes.length < 8 ? [] : [...base64Inside(bytes, 'base64'), ...base64Inside(bytes, 'base64url')]
  return [...new Set([secret, ...encodedWhole(secret), ...inside])].filter(form => form.length > 0)
}

/**
 * The secret's bytes in base64 when other bytes come before or after them: 3 bytes
 * make 4 characters, so the characters that mix in a neighbour's bits differ with
 * the neighbour. For each of the 3 offsets, the characters made of its bytes alone.
 */
function base64Inside(bytes: Buffer, alphabet: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map(offset => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet)
    return encoded.slice([0, 2, 3][offset], Math.floor(((bytes.length + offset) * 4) / 3))
  })
}

/** Replaces every listed secret, in every encoding, with ***. */
export function redactWith(patterns: Iterable<SecretPattern>, text: string): string {
  let out = text
  for (const pattern of patterns) out = pattern.redact(out)
  return out
}

/**
 * Where one character of the secret can end when it starts at p, in the order a
 * regular expression tries them: percent-encoded (longest run of 25s first), &#NNN;,
 * &#xHH;, \uXXXX, + for a space, then the character itself.
 */
function characterEnds(text: string, forms: Forms, p: number): number[] {
  const ends: number[] = []
  const unit = text.charCodeAt(p)
  if (unit === PERCENT) percentEnds(text, forms.bytes, 0, p, ends)
  if (unit === AMPERSAND && text.charCodeAt(p + 1) === 0x23 /* # */) {
    const end = referenceEnd(text, p + 2, forms.decimal, false)
    if (end >= 0) ends.push(end)
    const x = text.charCodeAt(p + 2)
    if (x === 0x78 || x === 0x58) {
      const hexEnd = referenceEnd(text, p + 3, forms.hex, true)
      if (hexEnd >= 0) ends.push(hexEnd)
    }
  }
  if (unit === BACKSLASH && forms.unicode !== null && text.charCodeAt(p + 1) === 0x75 /* u */ && hexAt(text, p + 2, forms.unicode)) ends.push(p + 6)
  if (unit === PLUS && forms.space) ends.push(p + 1)
  if (text.startsWith(forms.literal, p)) ends.push(p + forms.literal.length)
  return ends
}

/** One character in any of its forms, as a regular expression's source. */
function characterSource(forms: Forms): string {
  const hexDigits = (digits: string) => digits.replace(/[a-f]/g, digit => `[${digit}${digit.toUpperCase()}]`)
  const alternatives = [forms.bytes.map(byte => `%(?:25)*${hexDigits(byte)}`).join(''), `&#0*${forms.decimal};`, `&#[xX]0*${hexDigits(forms.hex)};`]
  if (forms.unicode !== null) alternatives.push(`\\\\u${hexDigits(forms.unicode)}`)
  if (forms.space) alternatives.push('\\+')
  alternatives.push(forms.literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
  return alternatives.join('|')
}

/** %(?:25)*XX for each byte from the i-th, the most 25s first, into ends. */
function percentEnds(text: string, bytes: readonly string[], i: number, p: number, ends: number[]): void {
  if (i === bytes.length) {
    ends.push(p)
    return
  }
  if (text.charCodeAt(p) !== PERCENT) return
  let repeats = 0
  while (text.startsWith('25', p + 1 + 2 * repeats)) repeats++
  for (let j = repeats; j >= 0; j--) {
    const at = p + 1 + 2 * j
    if (hexAt(text, at, bytes[i])) percentEnds(text, bytes, i + 1, at + 2, ends)
  }
}

/** 0*DIGITS; from p (digits in either case when hex), the most zeros first: the end after ;, or -1. */
function referenceEnd(text: string, p: number, digits: string, hex: boolean): number {
  let zeros = 0
  while (text.charCodeAt(p + zeros) === 0x30 /* 0 */) zeros++
  for (let j = zeros; j >= 0; j--) {
    const at = p + j
    if ((hex ? hexAt(text, at, digits) : text.startsWith(digits, at)) && text.charCodeAt(at + digits.length) === 0x3b /* ; */) return at + digits.length + 1
  }
  return -1
}

/** Whether the lower-case hex digits appear at p, each letter in either case. */
function hexAt(text: string, p: number, digits: string): boolean {
  for (let i = 0; i < digits.length; i++) {
    const want = digits.charCodeAt(i)
    const got = text.charCodeAt(p + i)
    if (got !== want && !(want >= 0x61 && want <= 0x66 && got === want - 0x20)) return false
  }
  return true
}

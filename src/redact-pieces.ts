/**
 * A piece of a secret is a leak too: a server, a proxy or GitHub may echo a secret
 * cut short (`usersig=eJw…` stopped at 80 characters, the tail of a key, a URL cut
 * in the middle). Every run of PIECE_LENGTH characters of a secret is redacted, at
 * any offset of the secret, wherever it shows: as itself, and as the text reads
 * once percent escapes (either case, nested like %252A), JSON \uXXXX escapes, HTML
 * character references (&#NN; &#xHH;) and + for a space are decoded.
 *
 * One pass per reading, whatever the number of secrets: each window of
 * PIECE_LENGTH characters of the text is hashed as it rolls along and looked up
 * in one table of every window of every secret, and only a hash that is found is
 * compared character by character. The decoded reading remembers where each of
 * its characters came from, so a match there redacts the escapes it was read from.
 */

/**
 * 12 characters. Long enough that nothing else we print matches by chance: a window
 * of random hex (a commit SHA) equals one given window of a secret with odds
 * 16^-12 ≈ 3.6·10^-15, of base64 64^-12 ≈ 2·10^-22; against the ~2,300 windows of a
 * key, a UserSig and a token with their encodings, a million windows of random hex
 * in one run give a stray *** with odds of about 10^-5. Short enough that what is
 * left is worthless: 11 hex digits of the 64 of a key leave 212 bits unknown, and a
 * UserSig or a token is checked whole.
 */
export const PIECE_LENGTH = 12

const K = PIECE_LENGTH
const PERCENT = 0x25 // %
const AMPERSAND = 0x26 // &
const BACKSLASH = 0x5c // \
const PLUS = 0x2b // +
const SPACE = 0x20
/**
 * Hash of a window: each unit times BASE^(K-1-i), mod 2^32; BASE_K takes the unit
 * leaving the window out. BASE is below 2^21 so that every step is exact in a double
 * before | 0 wraps it: no Math.imul in the loop (in a vm context, as under Jest, it
 * is not inlined and costs a call per character).
 */
const BASE = 1_000_003
const BASE_K = power(BASE, K)
/** Only these start an escape: a text without them reads the same decoded. */
const MAY_BE_ENCODED = /[%&\\]/

/** The runs of a set of secrets: every string added, PIECE_LENGTH characters or longer. */
export class SecretPieces {
  private readonly secrets: string[] = []
  /** Made on the first redaction after a secret is added, not at startup. */
  private table: WindowTable | null = null

  add(secret: string): void {
    if (secret.length < K || this.secrets.includes(secret)) return
    this.secrets.push(secret)
    this.table = null
  }

  /** The text with each run of PIECE_LENGTH or more characters of a secret (joined runs as one) replaced by ***. */
  redact(text: string): string {
    if (this.secrets.length === 0 || text.length < K) return text
    const table = (this.table ??= new WindowTable(this.secrets))
    const raw = new Uint16Array(text.length)
    for (let i = 0; i < text.length; i++) raw[i] = text.charCodeAt(i)
    let spans = table.find(raw, text.length, null, null)
    if (MAY_BE_ENCODED.test(text)) {
      const reading = decode(text)
      spans = union(spans, table.find(reading.units, reading.length, reading.from, reading.to))
    }
    if (spans.length === 0) return text
    let out = ''
    let kept = 0
    for (let i = 0; i < spans.length; i += 2) {
      out += text.slice(kept, spans[i]) + '***'
      kept = spans[i + 1]
    }
    return out + text.slice(kept)
  }
}

/** A space and a + are one character here: form encoding turns one into the other. */
function unitOf(unit: number): number {
  return unit === SPACE ? PLUS : unit
}

/** Every window of the secrets, in an open-addressing table keyed by the window's hash. */
class WindowTable {
  /** The secrets' units, one after another. */
  private readonly units: Uint16Array
  /** Per slot: where the window starts in `units`, plus one; 0 for an empty slot. */
  private readonly slots: Int32Array
  private readonly hashes: Int32Array
  private readonly mask: number

  constructor(secrets: readonly string[]) {
    const total = secrets.reduce((sum, secret) => sum + secret.length, 0)
    let bits = 6
    while (1 << bits < total * 4) bits++
    this.units = new Uint16Array(total)
    this.slots = new Int32Array(1 << bits)
    this.hashes = new Int32Array(1 << bits)
    this.mask = (1 << bits) - 1
    let at = 0
    for (const secret of secrets) {
      let hash = 0
      for (let i = 0; i < secret.length; i++) {
        const unit = unitOf(secret.charCodeAt(i))
        this.units[at + i] = unit
        hash = (hash * BASE + unit - (i >= K ? this.units[at + i - K] * BASE_K : 0)) | 0
        if (i >= K - 1) this.insert(hash, at + i - K + 1)
      }
      at += secret.length
    }
  }

  private insert(hash: number, start: number): void {
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & this.mask) {
      if (this.slots[slot] === 0) {
        this.slots[slot] = start + 1
        this.hashes[slot] = hash
        return
      }
      if (this.hashes[slot] === hash && this.same(this.slots[slot] - 1, this.units, start)) return
    }
  }

  /** The hash's own slot: its bits folded together, so that every unit of the window counts. */
  private slotOf(hash: number): number {
    return (hash ^ (hash >>> 11) ^ (hash >>> 22)) & this.mask
  }

  private same(start: number, text: Uint16Array, at: number): boolean {
    for (let i = 0; i < K; i++) if (this.units[start + i] !== unitOf(text[at + i])) return false
    return true
  }

  /**
   * Where runs of the secrets are in the first `length` units of a reading of the text:
   * [start, end) pairs in the text, joined where they touch, in order. `from` and `to`
   * give the span of the text each unit was read from (null: the unit is the text's own).
   */
  find(text: Uint16Array, length: number, from: Int32Array | null, to: Int32Array | null): number[] {
    const spans: number[] = []
    let hash = 0
    for (let i = 0; i < length; i++) {
      hash = (hash * BASE + unitOf(text[i]) - (i >= K ? unitOf(text[i - K]) * BASE_K : 0)) | 0
      if (i < K - 1) continue
      for (let slot = this.slotOf(hash); this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
        if (this.hashes[slot] !== hash || !this.same(this.slots[slot] - 1, text, i - K + 1)) continue
        const start = from === null ? i - K + 1 : from[i - K + 1]
        const end = to === null ? i + 1 : to[i]
        if (spans.length > 0 && start <= spans[spans.length - 1]) spans[spans.length - 1] = Math.max(end, spans[spans.length - 1])
        else spans.push(start, end)
        break
      }
    }
    return spans
  }
}

/** Two ordered lists of [start, end) pairs as one, joined where they touch. */
function union(a: number[], b: number[]): number[] {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const out: number[] = []
  for (let i = 0, j = 0; i < a.length || j < b.length;) {
    const fromA = j >= b.length || (i < a.length && a[i] <= b[j])
    const start = fromA ? a[i] : b[j]
    const end = fromA ? a[i + 1] : b[j + 1]
    if (fromA) i += 2
    else j += 2
    if (out.length > 0 && start <= out[out.length - 1]) out[out.length - 1] = Math.max(end, out[out.length - 1])
    else out.push(start, end)
  }
  return out
}

/** The text decoded once through: its UTF-16 units, and the span of the text each came from. */
interface Reading {
  units: Uint16Array
  length: number
  from: Int32Array
  to: Int32Array
}

/**
 * Decodes every escape the text holds, each read from where it starts, longest
 * nesting first (a %25 before an escape is the escape quoted once more). What is
 * no escape stays itself. Linear: each escape is read once and never again.
 */
function decode(text: string): Reading {
  const n = text.length
  const units = new Uint16Array(n)
  const from = new Int32Array(n)
  const to = new Int32Array(n)
  let length = 0
  for (let p = 0; p < n;) {
    const unit = text.charCodeAt(p)
    let code = -1
    let end = p + 1
    if (unit === PERCENT) {
      const decoded = percentAt(text, p)
      if (decoded !== null) [code, end] = decoded
    } else if (unit === AMPERSAND) {
      const decoded = referenceAt(text, p)
      if (decoded !== null) [code, end] = decoded
    } else if (unit === BACKSLASH && text.charCodeAt(p + 1) === 0x75 /* u */) {
      const value = hexValue(text, p + 2, p + 6)
      if (value >= 0) [code, end] = [value, p + 6]
    }
    if (code < 0) code = unit
    if (code > 0xffff) {
      // Outside the BMP: two units, both read from the whole escape.
      units[length] = 0xd800 + ((code - 0x10000) >> 10)
      from[length] = p
      to[length++] = end
      code = 0xdc00 + ((code - 0x10000) & 0x3ff)
    }
    units[length] = code
    from[length] = p
    to[length++] = end
    p = end
  }
  return { units, length, from, to }
}

/** One byte %(25)*XX at p: [byte, end], or null. */
function byteAt(text: string, p: number): [number, number] | null {
  if (text.charCodeAt(p) !== PERCENT) return null
  let q = p + 1
  while (text.charCodeAt(q) === 0x32 /* 2 */ && text.charCodeAt(q + 1) === 0x35 /* 5 */) q += 2
  const value = hexValue(text, q, q + 2)
  if (value >= 0) return [value, q + 2]
  // %2525zz: the last 25 was the byte itself, a quoted %.
  return q > p + 1 ? [PERCENT, q] : null
}

/** A character percent-encoded at p, all the bytes of its UTF-8: [code point, end], or null. */
function percentAt(text: string, p: number): [number, number] | null {
  const first = byteAt(text, p)
  if (first === null) return null
  const [lead, afterLead] = first
  if (lead < 0x80) return first
  const more = lead >= 0xf5 ? 0 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc2 ? 1 : 0
  if (more === 0) return null
  let code = lead & (0x3f >> more)
  let end = afterLead
  for (let i = 0; i < more; i++) {
    const next = byteAt(text, end)
    if (next === null || (next[0] & 0xc0) !== 0x80) return null
    code = (code << 6) | (next[0] & 0x3f)
    end = next[1]
  }
  return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? null : [code, end]
}

/** &#NNN; or &#xHHH; at p (leading zeros allowed): [code point, end], or null. */
function referenceAt(text: string, p: number): [number, number] | null {
  if (text.charCodeAt(p + 1) !== 0x23 /* # */) return null
  const x = text.charCodeAt(p + 2)
  const hex = x === 0x78 || x === 0x58
  let q = p + (hex ? 3 : 2)
  const digitsFrom = q
  while (text.charCodeAt(q) === 0x30 /* 0 */) q++
  const significant = q
  while (hex ? hexValue(text, q, q + 1) >= 0 : isDigit(text.charCodeAt(q))) q++
  if (q === digitsFrom || q - significant > 7 || text.charCodeAt(q) !== 0x3b /* ; */) return null
  const code = significant === q ? 0 : parseInt(text.slice(significant, q), hex ? 16 : 10)
  return code > 0x10ffff ? null : [code, q + 1]
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39
}

/** The hex digits from p to end (either case) as a number, or -1. */
function hexValue(text: string, p: number, end: number): number {
  let value = 0
  for (let i = p; i < end; i++) {
    const unit = text.charCodeAt(i)
    const digit = isDigit(unit) ? unit - 0x30 : (unit | 0x20) >= 0x61 && (unit | 0x20) <= 0x66 ? (unit | 0x20) - 0x57 : -1
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

function power(base: number, exponent: number): number {
  let result = 1
  for (let i = 0; i < exponent; i++) result = Math.imul(result, base)
  return result
}

/**
 * Secrets are redacted in every encoding a server or proxy may echo them in, not
 * only the forms the action itself sends: each character of a secret may come back
 * as itself, percent-encoded (either case of hex, every byte of its UTF-8, nested
 * like %252A when a URL is quoted inside a URL, `+` for a space), as a JSON \uXXXX
 * escape or as an HTML character reference.
 */

/** A pattern that matches the secret in any of those encodings. */
export function secretPattern(secret: string): RegExp {
  return new RegExp([...secret].map(characterPattern).join(''), 'g')
}

/** Replaces every listed secret, in every encoding, with ***. */
export function redactWith(patterns: Iterable<RegExp>, text: string): string {
  let out = text
  for (const pattern of patterns) out = out.replace(pattern, '***')
  return out
}

function characterPattern(character: string): string {
  const code = character.codePointAt(0) as number
  // Encoded forms first: a secret ending in "%" must take all of a "%25", not just its "%".
  const alternatives = [
    [...Buffer.from(character, 'utf8')].map(byte => `%(?:25)*${hexPattern(byte, 2)}`).join(''),
    `&#0*${code};`,
    `&#[xX]0*${hexPattern(code, 1)};`
  ]
  if (code <= 0xffff) alternatives.push(`\\\\u${hexPattern(code, 4)}`)
  if (character === ' ') alternatives.push('\\+')
  alternatives.push(character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
  return `(?:${alternatives.join('|')})`
}

/** The number in hex, either case of each letter: 0x2a → 2[aA]. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, digit => `[${digit}${digit.toUpperCase()}]`)
}

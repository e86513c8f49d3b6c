import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { noWorkflowCommand, visible } from '../../src/report/escape.js'

/**
 * src/report/escape.ts skips its Unicode-class patterns when a quick, exact test
 * says they cannot match (they cost milliseconds of V8's time to parse at every
 * start). The shortcuts must change nothing: here the full patterns, applied
 * always, are the judge.
 */

const SKIPPED = '[\\p{M}\\p{C}\\p{Default_Ignorable_Code_Point}]'
const INVISIBLE = /(?![\t\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu
const LEGACY = new RegExp(`#${SKIPPED}*#${SKIPPED}*(?=\\[)`, 'gu')
const LINE_START = new RegExp(`^[\\s\\p{M}\\p{C}\\p{Default_Ignorable_Code_Point}]*(?=:${SKIPPED}*:)`, 'u')

function visibleAlways(text: string): string {
  return text.replace(INVISIBLE, c => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    const code = c.codePointAt(0) as number
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

function noCommandAlways(line: string): string {
  return line.replace(LEGACY, hashes => `${hashes}\\`).replace(LINE_START, lead => `${lead}\\`)
}

/** Characters that make the shortcuts' decisions hard: our own symbols, invisible ones, command characters. */
const TRICKY = [
  ...'#:[ \t\u00a0\u3000abc',
  ...'·—–…→↔µ⏭⚠⛔✂✅❌❔\ufe0f',
  '\u00ad',
  '\u034f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2028',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\u0000',
  '\u001b',
  '\u0085',
  '\ud800',
  '\udc00',
  '🔒',
  '\u{e0001}',
  '\u{1d173}'
]

describe('the shortcuts in the log and summary escapers change nothing', () => {
  it('each of the action’s own symbols is visible, as the full pattern says', () => {
    for (const c of '·—–…→↔µ⏭⚠⛔✂✅❌❔\ufe0f') {
      expect(c.match(INVISIBLE)).toBeNull()
      expect(visible(c)).toBe(c)
    }
  })

  it('visible() equals the full pattern for every character of the BMP, and every 97th beyond, among visible ones', () => {
    const differs: string[] = []
    for (let code = 0; code <= 0x10ffff; code += code < 0x10000 ? 1 : 97) {
      const text = `a·${String.fromCodePoint(code)}—b`
      if (visible(text) !== visibleAlways(text)) differs.push(`U+${code.toString(16).toUpperCase().padStart(4, '0')}`)
    }
    expect(differs).toEqual([])
  })

  it('visible() equals the full pattern on any mix of tricky and arbitrary characters', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 3 })), { maxLength: 30 }), parts => {
        const text = parts.join('')
        return visible(text) === visibleAlways(text)
      }),
      { numRuns: 300 }
    )
  })

  it('noWorkflowCommand() equals the full patterns with every character of the BMP, and every 97th beyond, before or inside a command', () => {
    const differs: string[] = []
    for (let code = 0; code <= 0x10ffff; code += code < 0x10000 ? 1 : 97) {
      const c = String.fromCodePoint(code)
      for (const line of [`${c}::error::x`, `#${c}#[error]x`]) {
        if (noWorkflowCommand(line) !== noCommandAlways(line)) differs.push(`U+${code.toString(16).toUpperCase().padStart(4, '0')} in ${JSON.stringify(line)}`)
      }
    }
    expect(differs.slice(0, 10)).toEqual([])
  })

  it('noWorkflowCommand() equals the full patterns on lines shaped like commands', () => {
    // White space, marks and invisible characters, ASCII and not, around the command's own characters.
    const filler = fc.array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\u00ad', '\u034f', '\u200b', '\u0301', '\ufeff', '\u0000', 'a', '·'), {
      maxLength: 3
    })
    fc.assert(
      fc.property(filler, fc.constantFrom(':', '#'), filler, fc.constantFrom(':', '#'), filler, fc.constantFrom('[', ':', 'x'), (a, c1, b, c2, d, end) => {
        const line = [...a, c1, ...b, c2, ...d, end, 'error]FORGED'].join('')
        return noWorkflowCommand(line) === noCommandAlways(line)
      }),
      { numRuns: 300 }
    )
  })

  it('noWorkflowCommand() equals the full patterns on any mix of tricky and arbitrary characters', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 2 })), { maxLength: 20 }), parts => {
        const line = parts.join('').replace(/[\r\n]/g, '')
        return noWorkflowCommand(line) === noCommandAlways(line)
      }),
      { numRuns: 300 }
    )
  })
})

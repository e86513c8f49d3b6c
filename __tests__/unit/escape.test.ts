import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseWorkflowCommands } from '../../emulator/workflow-commands.js'
import { cutHtml, forAnnotation, forLog, show, visible } from '../../src/report/escape.js'
import { logLine } from '../../src/report/log.js'

/** Strings made of the pieces an attacker combines: command prefixes, line breaks, characters the runner may skip. */
const PIECES = [
  '#',
  '##',
  '[',
  ']',
  '::',
  ':',
  '##[',
  'error',
  'add-mask',
  'stop-commands',
  'warning file=README.md',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u00ad',
  '\u034f',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u0000',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u3000',
  '\u0301',
  '\u3164',
  '\ud800',
  '@',
  'octocat',
  '\\',
  '<',
  '>',
  '&',
  '"',
  '`',
  '*',
  '_',
  '|',
  '-',
  'x',
  '1',
  '👨‍👩‍👧',
  '中文'
]
const hostile = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map(parts => parts.join(''))
/**
 * fast-check's 'binary' unit: any code point but a surrogate, small ones likelier. Built
 * here because fc.string({ unit: 'binary' }) maps all 1.1 million code points when it is
 * made (1 to 3 s a run) only to seed its strings with names like "__proto__".
 */
const binaryUnit = fc.nat({ max: 0x10ffff - 0x800 }).map(index => String.fromCodePoint(index < 0xd800 ? index : index + 0x800))
/**
 * A rule of a property, checked without expect(): over thousands of runs jest's
 * matchers cost more than the code under test. fast-check shows the message with
 * the smallest counterexample.
 */
function holds(rule: boolean, broken: string): void {
  if (!rule) throw new Error(broken)
}

/** A workflow command in either form, with what the runner may skip inside its prefix, after anything. */
const commandLike = fc
  .tuple(
    fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }),
    fc.constantFrom('##[', '#\u00ad#[', '#\u034f#\u200b[', '::', '\n::', '\r::', ' \u00ad::', '\u2028::'),
    fc.constantFrom('error', 'warning', 'notice', 'add-mask', 'debug', 'stop-commands', 'set-output name=x'),
    fc.constantFrom(']FORGED', '::FORGED', ' file=README.md]FORGED', ' file=README.md,line=1::FORGED')
  )
  .map(([before, start, name, end]) => `${before.join('')}${start}${name}${end}`)
const anything = fc.oneof(hostile, commandLike, fc.string({ unit: binaryUnit, maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }))

describe('forLog: a log line cannot start a workflow command', () => {
  it('whatever the text, the runner finds no command in the line (either form, after anything of ours)', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '✅ ', '   ', '·  '), anything, anything, (ours, a, b) => {
        const line = forLog(`${ours}${a} would ${b}`)
        holds(parseWorkflowCommands(line).length === 0, 'a command in the line')
        holds(parseWorkflowCommands('', line).length === 0, 'a command in the line after another')
      }),
      { numRuns: 400 }
    )
  })

  it('stays one line', () => {
    fc.assert(
      fc.property(anything, text => !/[\r\n\u2028\u2029\u0085]/.test(forLog(text))),
      { numRuns: 300 }
    )
  })

  it.each([
    ['@RBT#a##[error]forged', '@RBT#a##\\[error]forged'],
    ['x\n::error file=README.md::y', 'x\\n::error file=README.md::y'],
    ['::warning::y', '\\::warning::y'],
    ['  \u00ad::error::y', '  \\u00ad::error::y'],
    ['#\u034f#[error]y', '#\u034f#\\[error]y'],
    ['#\u00ad#[error]y', '#\\u00ad#[error]y']
  ])('%j is shown as %j', (text, shown) => {
    expect(forLog(text)).toBe(shown)
  })

  it('leaves ordinary text alone, in any script', () => {
    for (const text of ['✅ @RBT#support would create → ok', 'Nick: "客服" → "Support 👨‍👩‍👧"', 'C:\\path\\robots.yaml', 'नमस्ते', 'a # b [c] :: d']) {
      expect(forLog(text)).toBe(text)
    }
  })

  it('logLine prints through core.info, neutralised', () => {
    const printed: string[] = []
    logLine({ info: (line: string) => printed.push(line) }, '· @RBT#x##[add-mask]Support is in the app')
    expect(printed).toEqual(['· @RBT#x##\\[add-mask]Support is in the app'])
  })
})

describe('forAnnotation: one line, nothing hidden', () => {
  it('shows line breaks and invisible characters as escapes and keeps the rest', () => {
    expect(forAnnotation('a\nb\r\u202ec\u0000 ##[error]x')).toBe('a\\nb\\r\\u202ec\\u0000 ##[error]x')
    fc.assert(
      fc.property(anything, text => !/[\r\n\u2028\u2029\u0085\u202e]/.test(forAnnotation(text)) && !forAnnotation(text).includes(String.fromCharCode(0))),
      { numRuns: 300 }
    )
  })

  it('never leaves an invisible character', () => {
    fc.assert(
      fc.property(anything, text => !/(?![\t\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(visible(text))),
      { numRuns: 300 }
    )
  })
})

describe("show: text inside the summary's HTML block", () => {
  const outsideCode = (html: string) => html.replace(/<code>[^<]*<\/code>/g, '')

  it('never holds a line break, a tag of its own, a raw backslash, or an @ or # outside <code>', () => {
    fc.assert(
      fc.property(anything, text => {
        const html = show(text)
        holds(!/[\r\n]/.test(html), 'a line break')
        holds(!/[<>\\]/.test(html.replace(/<br>|<\/?code>/g, '')), 'a tag of its own or a raw backslash')
        holds(!/[@#]|:\/\//.test(outsideCode(html).replace(/&(#39|#92);/g, '')), 'an @, # or :// outside <code>')
        // Every < and & is markup of ours or an entity.
        holds(!/&/.test(html.replace(/<br>|<\/?code>/g, '').replace(/&(amp|lt|gt|quot|#39|#92);/g, '')), 'an & that starts no entity of ours')
      }),
      { numRuns: 400 }
    )
  })

  /**
   * A repository's own autolink references, as GitHub lets them be defined: a
   * prefix of letters, digits and . - _ + = : / # (one character is enough), then
   * digits, or for an alphanumeric reference letters, digits and -. Outside <code>,
   * none may be left, wherever it starts, except the shapes no text can be told
   * apart from (letters after letters, digits after digits), which the repository's
   * prefix would link in the action's own words too.
   */
  it("leaves no repository autolink reference outside <code>, whatever the prefix and the reference's kind", () => {
    const prefixCharacter = fc.constantFrom(...'aTZk07.-_+=:/#')
    const prefix = fc.array(prefixCharacter, { minLength: 1, maxLength: 4 }).map(cs => cs.join(''))
    const reference = fc.oneof(
      fc.array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 4 }).map(cs => cs.join('')),
      fc.array(fc.constantFrom(...'aBz09-'), { minLength: 1, maxLength: 4 }).map(cs => cs.join(''))
    )
    const textAround = fc
      .array(fc.constantFrom('', ' ', 'x', 'Support', '42', '(', '"', "'", '&', '<', '\\', '\n', '. '), { maxLength: 4 })
      .map(p => p.join(''))
    const decode = (html: string) =>
      html
        .replace(/<code>[^<]*<\/code>|<br>/g, ' ')
        .replace(/&(amp|lt|gt|quot|#39|#92);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#92': '\\' })[name] as string)
    const indistinguishable = (p: string, r: string) => (/^[A-Za-z]+$/.test(p) && /^[A-Za-z]+$/.test(r)) || (/^[0-9]+$/.test(p) && /^[0-9]+$/.test(r))
    fc.assert(
      fc.property(textAround, prefix, reference, textAround, (before, p, r, after) => {
        const shown = decode(show(`${before}${p}${r}${after}`))
        holds(indistinguishable(p, r) || !shown.toLowerCase().includes(`${p}${r}`.toLowerCase()), `${p}${r} outside <code> in ${shown}`)
      }),
      { numRuns: 3000 }
    )
    // Not vacuous: the shapes the old rule missed, and prose that stays prose.
    expect(show('T:42 JIRA-ABC TICKET-abc T42 TICKET123a 7-up')).toBe(
      '<code>T:42</code> <code>JIRA-ABC</code> <code>TICKET-abc</code> <code>T42</code> <code>TICKET123a</code> <code>7-up</code>'
    )
    expect(show('Support Bot, line 22: ok')).toBe('Support Bot, line 22: ok')
  })

  it.each([
    ['a\n\n# Heading', 'a<br><br><code>#</code> Heading'],
    ['x\r\n\r\ny', 'x<br><br>y'],
    ['\\@octocat', '<code>&#92;@octocat</code>'],
    ['see torvalds/linux#1', 'see <code>torvalds/linux#1</code>'],
    ['<img src=x onerror=alert(1)>', '&lt;img <code>src=x</code> <code>onerror=alert(1)&gt;</code>'],
    ['go to https://evil.example', 'go to <code>https://evil.example</code>'],
    ['a\u2028b\u202ec', 'a<br><code>b&#92;u202ec</code>']
  ])('%j is shown as %j', (text, html) => {
    expect(show(text)).toBe(html)
  })
})

describe('cutHtml', () => {
  const rows = (n: number) =>
    `<h2>Plan</h2>\n<table>\n${Array.from({ length: n }, (_, i) => `<tr><td><code>@RBT#${i}</code></td><td>&quot;${'x'.repeat(i)}</td></tr>`).join('\n')}\n</table>\n`

  it('keeps whole rows from the beginning and closes what it leaves open, within the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 100, max: 20_000 }), (n, max) => {
        const html = rows(n)
        const cut = cutHtml(html, max)
        holds(cut.length <= max, `${cut.length} characters, over ${max}`)
        if (html.length <= max) return holds(cut === html, 'cut though it fits')
        holds(html.startsWith(cut.replace(/(<\/[a-z]+>)+$/, '')), 'not the beginning')
        for (const tag of ['table', 'tr', 'td', 'code']) {
          holds((cut.match(new RegExp(`<${tag}>`, 'g')) ?? []).length === (cut.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, `<${tag}> left open`)
        }
        holds(!/&[a-z#0-9]*(?![a-z#0-9;])(<|$)/.test(cut), 'an entity cut')
      }),
      { numRuns: 300 }
    )
  })

  it('cuts inside one long line without splitting a tag or an entity', () => {
    const line = `<p>${'&quot;'.repeat(1000)}<code>@x</code>${'&amp;'.repeat(1000)}</p>`
    for (let max = 80; max < line.length; max += 37) {
      const cut = cutHtml(line, max)
      expect(cut.length).toBeLessThanOrEqual(max)
      expect(cut).toMatch(/^<p>(&quot;)*(<code>@x<\/code>)?(&amp;)*(<code>@?x?<\/code>)?<\/p>$/)
      // As much as fits: at most a closing tag, an entity and the 64 characters of one step short.
      expect(cut.length).toBeGreaterThan(max - 64 - 20)
    }
  })
})

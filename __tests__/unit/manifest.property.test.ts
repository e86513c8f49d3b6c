import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { parseManifest } from '../../src/manifest/parse.js'
import { isValid, type Manifest } from '../../src/manifest/types.js'
import {
  ENTRY_KEYS,
  MAX_ROBOTS_PER_APP,
  PROFILE_FIELD_MAX_BYTES,
  PROFILE_FIELD_NAMES,
  USER_ID_MAX_BYTES,
  USER_ID_PREFIX,
  utf8Bytes,
  type ProfileField
} from '../../src/manifest/fields.js'

type Robot = Record<string, unknown> & { UserID: string }

/** Pieces that make arbitrary text look like YAML, so the parser's odd corners are reached. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'robots:',
        '- ',
        'UserID: ',
        'Nick:',
        '"',
        "'",
        '[',
        ']',
        '{',
        '}',
        ',',
        ':',
        '? ',
        '&a ',
        '*a',
        '!!str ',
        '# c',
        '|',
        '>-',
        '---',
        '...',
        '%YAML 1.2',
        '@RBT#',
        '@',
        '`',
        '\t',
        ' ',
        '  ',
        '\n',
        '\r\n',
        '\r',
        '\uFEFF',
        '\\',
        'é',
        '😀'
      ),
      fc.string({ maxLength: 6 })
    ),
    { maxLength: 60 }
  )
  .map(parts => parts.join(''))

/** Text of a profile field within the byte limit, including strings YAML must quote. */
const fieldText = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom(
      '',
      ' ',
      'yes',
      'no',
      'null',
      '~',
      'true',
      '123',
      '0x1F',
      '1e3',
      '.inf',
      '@x',
      '`x',
      '- x',
      'a: b',
      '# x',
      'x #y',
      '"',
      "'",
      '\n',
      'a\n\nb\n',
      ' lead',
      'trail ',
      '[x]',
      '{x}',
      '&a',
      '*a',
      '!x',
      '%x',
      '|',
      '>'
    ),
    fc.integer({ min: 0, max: PROFILE_FIELD_MAX_BYTES }).map(length => 'x'.repeat(length))
  )
  .filter(text => utf8Bytes(text) <= PROFILE_FIELD_MAX_BYTES)

/** A UserID the validator accepts without a warning. */
const userId = fc.stringMatching(/^[A-Za-z0-9_\-@#]{1,27}$/).map(rest => USER_ID_PREFIX + rest)

const robot: fc.Arbitrary<Robot> = fc.record(
  {
    UserID: userId,
    Nick: fieldText,
    FaceUrl: fieldText,
    SelfSignature: fieldText
  },
  { requiredKeys: ['UserID'] }
)

const robots = (min: number, max: number): fc.Arbitrary<Robot[]> => fc.uniqueArray(robot, { minLength: min, maxLength: max, selector: r => r.UserID })

/** Block style (yaml's stringify) or flow style (JSON, which is YAML). */
const dump = (data: unknown, style: 'block' | 'flow'): string => (style === 'block' ? stringify(data) : JSON.stringify(data, null, 1))
const style = fc.constantFrom<'block' | 'flow'>('block', 'flow')

const errors = (manifest: Manifest) => manifest.problems.filter(problem => problem.severity === 'error')

/** The lines an entry owns: from its start to just before the next one. */
function lineSpan(manifest: Manifest, index: number): [number, number] {
  const next = manifest.entries[index + 1]
  return [manifest.entries[index].position.line, next === undefined ? Infinity : next.position.line]
}

/** A rule of a property; fast-check reports the message with the smallest counterexample. */
function holds(rule: boolean, broken: string): void {
  if (!rule) throw new Error(broken)
}

describe('parseManifest on arbitrary text', () => {
  it.each([
    ['any unicode text', fc.string({ unit: 'grapheme', maxLength: 200 })],
    ['YAML-looking fragments', yamlish]
  ])('never throws, and puts every problem on a line of the text (%s)', (_, text) => {
    fc.assert(
      fc.property(text, source => {
        const manifest = parseManifest(source, 'robots.yaml')
        const lineCount = source.replace(/^\uFEFF/, '').split('\n').length
        // Plain checks: over 800 runs, jest's matchers would cost more than the parse.
        for (const problem of manifest.problems) {
          holds(problem.line >= 1 && problem.line <= lineCount, `line ${problem.line} of ${lineCount}: ${problem.message}`)
          holds(problem.column >= 1, `column ${problem.column}: ${problem.message}`)
          holds(problem.message.length > 0, `an empty message on line ${problem.line}`)
          // parseManifest turns its own exceptions into this problem; none may happen.
          holds(!problem.message.includes('This is a bug in the action'), problem.message)
        }
        for (const entry of manifest.entries) holds(entry.position.line <= lineCount, `an entry on line ${entry.position.line} of ${lineCount}`)
      }),
      { numRuns: 100 }
    )
  })
})

describe('parseManifest on generated valid manifests', () => {
  it('accepts them with no problems and reads back exactly what was written', () => {
    fc.assert(
      fc.property(robots(0, MAX_ROBOTS_PER_APP), style, (list, format) => {
        const manifest = parseManifest(dump({ robots: list }, format), 'robots.yaml')
        expect(manifest.problems).toEqual([])
        expect(manifest.entries.map(entry => ({ UserID: entry.UserID, ...entry.profile }))).toEqual(list)
      }),
      { numRuns: 100 }
    )
  })
})

/** One rule broken in one robot; `check` says what must be reported. */
interface Violation {
  name: string
  arbitrary: fc.Arbitrary<{ data: { robots: Robot[] }; entry: number; message: string }>
}

/** A valid list of robots and the index of one of them. */
const withTarget = robots(1, 8).chain(list => fc.tuple(fc.constant(list), fc.nat(list.length - 1)))

const replaceAt = (list: Robot[], index: number, change: (r: Robot) => Robot): Robot[] => list.map((r, i) => (i === index ? change(r) : r))

const violations: Violation[] = [
  {
    name: 'a UserID over the byte limit',
    arbitrary: fc.tuple(withTarget, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })).map(([[list, index], extra]) => {
      const long = USER_ID_PREFIX + 'x'.repeat(USER_ID_MAX_BYTES - USER_ID_PREFIX.length) + extra
      return {
        data: { robots: replaceAt(list, index, r => ({ ...r, UserID: long })) },
        entry: index,
        message: `is ${utf8Bytes(long)} bytes; the limit is ${USER_ID_MAX_BYTES} bytes`
      }
    })
  },
  {
    name: 'a UserID without the prefix',
    arbitrary: fc.tuple(withTarget, fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)).map(([[list, index], id]) => ({
      data: { robots: replaceAt(list, index, r => ({ ...r, UserID: id })) },
      entry: index,
      message: `UserID ${JSON.stringify(id)} does not start with "${USER_ID_PREFIX}"`
    }))
  },
  {
    name: 'a profile field over the byte limit',
    arbitrary: fc
      .tuple(withTarget, fc.constantFrom(...PROFILE_FIELD_NAMES), fc.integer({ min: 1, max: 40 }), fc.constantFrom('x', 'é', '客', '😀'))
      .map(([[list, index], field, over, unit]) => {
        const value = 'x'.repeat(PROFILE_FIELD_MAX_BYTES) + unit.repeat(over)
        return { data: { robots: replaceAt(list, index, r => ({ ...r, [field]: value })) }, entry: index, message: `${field} ` }
      })
  },
  {
    name: 'an unknown key',
    arbitrary: fc
      .tuple(
        withTarget,
        fc.string({ minLength: 1, maxLength: 12 }).filter(key => !(ENTRY_KEYS as readonly string[]).includes(key))
      )
      .map(([[list, index], key]) => ({
        data: { robots: replaceAt(list, index, r => ({ ...r, [key]: 'x' })) },
        entry: index,
        message: `Unknown key ${JSON.stringify(key)}`
      }))
  },
  {
    name: 'a repeated UserID',
    arbitrary: robots(2, 8)
      .chain(list => fc.tuple(fc.constant(list), fc.nat(list.length - 2)))
      .chain(([list, first]) =>
        fc.integer({ min: first + 1, max: list.length - 1 }).map(second => ({
          data: { robots: replaceAt(list, second, r => ({ ...r, UserID: list[first].UserID })) },
          entry: second,
          message: `is already used by the robot on line`
        }))
      )
  },
  {
    name: 'a value that is not text',
    arbitrary: fc
      .tuple(
        withTarget,
        fc.constantFrom<'UserID' | ProfileField>(...ENTRY_KEYS),
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.string(), { maxLength: 2 }),
          fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 2 })
        )
      )
      .map(([[list, index], field, value]) => ({
        data: { robots: replaceAt(list, index, r => ({ ...r, [field]: value })) },
        entry: index,
        message: `${field} `
      }))
  }
]

describe('parseManifest on a generated manifest with one rule broken', () => {
  it.each(violations.map(violation => [violation.name, violation.arbitrary] as const))('reports %s on the right entry, and only there', (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, style, ({ data, entry, message }, format) => {
        const manifest = parseManifest(dump(data, format), 'robots.yaml')
        const found = errors(manifest)
        expect(found.length).toBeGreaterThan(0)
        expect(found.every(problem => problem.entry === entry)).toBe(true)
        expect(found.some(problem => problem.message.includes(message))).toBe(true)
        const [from, to] = lineSpan(manifest, entry)
        for (const problem of found) {
          expect(problem.line).toBeGreaterThanOrEqual(from)
          expect(problem.line).toBeLessThanOrEqual(to)
        }
        expect(manifest.entries.filter(e => !isValid(e)).map(e => e.index)).toEqual([entry])
      }),
      { numRuns: 60 }
    )
  })

  it('reports more than 20 robots once, on the robots line, and no entry', () => {
    fc.assert(
      fc.property(robots(MAX_ROBOTS_PER_APP + 1, MAX_ROBOTS_PER_APP + 10), style, (list, format) => {
        const manifest = parseManifest(dump({ robots: list }, format), 'robots.yaml')
        expect(errors(manifest)).toEqual([
          expect.objectContaining({
            line: format === 'block' ? 1 : 2,
            message: expect.stringContaining(`robots lists ${list.length} robots; the limit is ${MAX_ROBOTS_PER_APP}`)
          })
        ])
        expect(errors(manifest)[0].entry).toBeUndefined()
        expect(manifest.entries.every(isValid)).toBe(true)
      }),
      { numRuns: 20 }
    )
  })
})

describe('a double-quoted value without escapes or line breaks', () => {
  // validate reads such a value straight from the source instead of yaml's copy (a string built
  // character by character, slow to read): it must be the very value yaml resolves.
  it('is read as exactly the value yaml gives, whatever its characters and spacing', () => {
    // Graphemes alone never put a tab inside the quotes: the characters yaml treats specially are mixed in.
    const special = fc.constantFrom(
      '\t',
      ' ',
      '  ',
      '#',
      ' #',
      ':',
      "'",
      '{',
      '}',
      '[',
      ']',
      ',',
      '&',
      '!',
      '\u2028',
      '\u2029',
      '\u0085',
      '\uFEFF',
      '\u00A0',
      '😀'
    )
    const unit = fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }))
    const inner = fc.array(unit, { maxLength: 30 }).map(units => units.join('').replace(/[\\"\r\n]/g, ''))
    fc.assert(
      fc.property(inner, fc.constantFrom('', ' ', '\t', '  # note'), fc.boolean(), (text, after, flow) => {
        // In a flow mapping too, where the scalar ends at a comma or a brace.
        const source = flow
          ? `robots: [{UserID: "@RBT#a", Nick: "${text}"${after.includes('#') ? '' : after}}]${after.includes('#') ? after : ''}\n`
          : `robots:\n  - UserID: "@RBT#a"\n    Nick: "${text}"${after}\n`
        const expected = (parse(source) as { robots: Array<{ Nick: unknown }> }).robots[0].Nick
        holds(parseManifest(source, 'robots.yaml').entries[0].profile.Nick === expected, JSON.stringify(source))
      }),
      { numRuns: 300 }
    )
  })
})

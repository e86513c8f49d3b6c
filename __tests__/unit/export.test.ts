import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderManifest } from '../../src/export/render.js'
import type { AppRobot } from '../../src/export/types.js'
import { PROFILE_FIELD_MAX_BYTES, USER_ID_PREFIX, utf8Bytes, type Profile } from '../../src/manifest/fields.js'
import { parseManifest } from '../../src/manifest/parse.js'
import { SCHEMA_COMMENT } from '../../src/manifest/schema.js'

/** The manifest refuses control characters other than tab and line feed. */
const isRefusedControl = (c: string): boolean => {
  const code = c.codePointAt(0) ?? 0
  return (code < 0x20 && c !== '\t' && c !== '\n') || (code >= 0x7f && code <= 0x9f)
}

/** What the vendor can hold in a field: any text within the limit, with the odd corners of YAML (no control characters but tab and line feed). */
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
      '\tx',
      ' lead',
      'trail ',
      '[x]',
      '{x}',
      '&a',
      '*a',
      '!x',
      '%x',
      '|',
      '>',
      '\u2028',
      '\\'
    )
  )
  .filter(text => utf8Bytes(text) <= PROFILE_FIELD_MAX_BYTES && ![...text].some(isRefusedControl))

const appRobots = fc.uniqueArray(
  fc.record({
    UserID: fc.stringMatching(/^[A-Za-z0-9_\-@#]{1,27}$/).map(rest => USER_ID_PREFIX + rest),
    profile: fc.record({ Nick: fieldText, FaceUrl: fieldText, SelfSignature: fieldText }, { requiredKeys: [] })
  }),
  { maxLength: 20, selector: r => r.UserID }
)

const setFields = (profile: Profile): Profile => Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== '')) as Profile

describe('the exported manifest', () => {
  it('reads back, through the validator, as the same robots in UserID order with the fields that are set', () => {
    fc.assert(
      fc.property(appRobots, (robots: AppRobot[]) => {
        const manifest = parseManifest(renderManifest(robots), 'robots.yaml')
        expect(manifest.problems.filter(p => p.severity === 'error')).toEqual([])
        const sorted = [...robots].sort((a, b) => (a.UserID < b.UserID ? -1 : 1))
        expect(manifest.entries.map(e => ({ UserID: e.UserID, profile: e.profile }))).toEqual(
          sorted.map(r => ({ UserID: r.UserID, profile: setFields(r.profile) }))
        )
      }),
      { numRuns: 100 }
    )
  })

  it('keeps every value on its own line: one line per field', () => {
    fc.assert(
      fc.property(appRobots, (robots: AppRobot[]) => {
        const fields = robots.reduce((n, r) => n + 1 + Object.values(r.profile).filter(v => v !== '').length, 0)
        expect(renderManifest(robots).split('\n').length).toBe(2 + Math.max(fields, 0) + 1)
      }),
      { numRuns: 100 }
    )
  })

  it('quotes every UserID, as YAML needs for a leading @', () => {
    const text = renderManifest([
      { UserID: '@RBT#b', profile: {} },
      { UserID: '@RBT#a', profile: { Nick: 'A' } }
    ])
    expect(text).toBe(`${SCHEMA_COMMENT}\nrobots:\n  - UserID: "@RBT#a"\n    Nick: A\n  - UserID: "@RBT#b"\n`)
  })

  it("starts with the schema line of the README's Quick start", () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
    const quickStart = readme.slice(readme.indexOf('## Quick start'))
    expect(/```yaml\n(.*)\n/.exec(quickStart)?.[1]).toBe(SCHEMA_COMMENT)
  })
})

import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { parseManifest } from '../../src/manifest/parse.js'
import { ENTRY_KEYS, TEXT_PATTERN_BODY, USER_ID_PREFIX, forbiddenCharacter } from '../../src/manifest/fields.js'
import { SCHEMA_FILE, manifestJsonSchema, manifestJsonSchemaText } from '../../src/manifest/schema.js'
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'

const schema = manifestJsonSchema() as Record<string, unknown>

/**
 * Ajv, a standard validator, is the judge of the schema: of the draft the
 * schema declares, strict (an unknown keyword or format is an error, not
 * ignored), and reporting every violation.
 */
const VALIDATORS: Record<string, new (options: { strict: boolean; allErrors: boolean }) => Ajv> = {
  'http://json-schema.org/draft-07/schema#': Ajv,
  'https://json-schema.org/draft/2019-09/schema': Ajv2019,
  'https://json-schema.org/draft/2020-12/schema': Ajv2020
}

function judge(): Ajv {
  const Validator = VALIDATORS[String(schema.$schema)]
  if (!Validator) throw new Error(`robots.schema.json declares ${String(schema.$schema)}; add its Ajv class to VALIDATORS`)
  return new Validator({ strict: true, allErrors: true })
}

const validate: ValidateFunction = judge().compile(schema as AnySchema)

/** Every violation Ajv finds, as `path: message`; empty when the value conforms. */
function schemaViolations(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map(error => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`)
}
const fixtures = new URL('../fixtures/manifests/', import.meta.url)

function corpus(folder: string): [string, string][] {
  return readdirSync(new URL(`${folder}/`, fixtures))
    .sort()
    .map(name => [`${folder}/${name}`, readFileSync(new URL(`${folder}/${name}`, fixtures), 'utf8')])
}

function validatorErrors(text: string): string[] {
  return parseManifest(text, 'robots.yaml')
    .problems.filter(problem => problem.severity === 'error')
    .map(problem => problem.message)
}

describe('robots.schema.json', () => {
  it('is exactly what src/manifest/schema.ts generates (run npm run schema after changing it)', () => {
    expect(readFileSync(new URL(`../../${SCHEMA_FILE}`, import.meta.url), 'utf8')).toBe(manifestJsonSchemaText())
  })

  it('is 2-space JSON ending in one newline', () => {
    const text = manifestJsonSchemaText()
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  })

  it('describes every entry key of robot-fields.ts and no other', () => {
    const items = (schema.properties as Record<string, Record<string, unknown>>).robots.items as Record<string, unknown>
    expect(Object.keys(items.properties as object)).toEqual([...ENTRY_KEYS])
  })
})

describe('the judge', () => {
  it('finds robots.schema.json a valid schema of the draft it declares', () => {
    const ajv = judge()
    expect(ajv.validateSchema(schema as AnySchema)).toBe(true)
    expect(ajv.errors ?? null).toBeNull()
  })

  it('refuses a keyword it does not know instead of ignoring it', () => {
    expect(() => judge().compile({ type: 'string', maxBytes: 32 })).toThrow(/unknown keyword/)
  })

  it('counts string lengths in code points, as JSON Schema does', () => {
    const oneCharacter = judge().compile({ type: 'string', maxLength: 1 })
    expect(oneCharacter('😀')).toBe(true)
    expect(oneCharacter('😀😀')).toBe(false)
  })
})

describe('the schema and the validator agree', () => {
  it('on control characters and lone surrogates, whether an editor reads the pattern with the u flag or without', () => {
    const units = fc
      .oneof(
        fc.constantFrom(
          0x00,
          0x09,
          0x0a,
          0x0b,
          0x0d,
          0x1b,
          0x1f,
          0x20,
          0x41,
          0x7e,
          0x7f,
          0x80,
          0x85,
          0x9f,
          0xa0,
          0x4e2d,
          0xd800,
          0xdbff,
          0xdc00,
          0xdfff,
          0xfeff
        ),
        fc.integer({ min: 0, max: 0xffff })
      )
      .map(code => String.fromCharCode(code))
    const withPairs = fc.array(fc.oneof(units, fc.constantFrom('😀', '𝄞')), { maxLength: 8 }).map(parts => parts.join(''))
    const withU = new RegExp(`^${TEXT_PATTERN_BODY}$`, 'u')
    const withoutU = new RegExp(`^${TEXT_PATTERN_BODY}$`)
    // Plain comparisons: over 2000 runs, expect() would cost more than the check.
    fc.assert(
      fc.property(withPairs, value => {
        const allowed = forbiddenCharacter(value) === null
        return withU.test(value) === allowed && withoutU.test(value) === allowed
      }),
      { numRuns: 500 }
    )
  })

  it.each(corpus('valid'))('both accept %s', (_, text) => {
    expect(schemaViolations(parse(text))).toEqual([])
    expect(validatorErrors(text)).toEqual([])
  })

  it.each(corpus('invalid'))('both reject %s', (_, text) => {
    expect(schemaViolations(parse(text))).not.toEqual([])
    expect(validatorErrors(text)).not.toEqual([])
  })

  // The documented exceptions: byte limits and unique UserIDs are beyond JSON Schema.
  it.each(corpus('beyond-schema'))('only the validator rejects %s', (_, text) => {
    expect(schemaViolations(parse(text))).toEqual([])
    expect(validatorErrors(text)).not.toEqual([])
  })

  it('on generated manifests of ASCII text, where bytes and characters agree', () => {
    const text = (min: number, max: number) =>
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map(code => String.fromCharCode(code)), minLength: min, maxLength: max })
    const nearLimit = (limit: number, prefix = '') =>
      fc.integer({ min: limit - 2, max: limit + 2 }).map(length => prefix + 'x'.repeat(Math.max(0, length - prefix.length)))
    const other = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(text(0, 3), { maxLength: 2 }),
      fc.dictionary(text(1, 3), text(0, 3), { maxKeys: 1 })
    )
    const userId = fc.oneof(
      { weight: 6, arbitrary: text(0, 8).map(rest => USER_ID_PREFIX + rest) },
      { weight: 1, arbitrary: text(0, 8) },
      { weight: 2, arbitrary: nearLimit(32, USER_ID_PREFIX) },
      { weight: 1, arbitrary: other }
    )
    const field = fc.oneof({ weight: 6, arbitrary: text(0, 12) }, { weight: 2, arbitrary: nearLimit(500) }, { weight: 1, arbitrary: other })
    const robot = fc
      .tuple(fc.record({ UserID: userId, Nick: field, FaceUrl: field, SelfSignature: field }, { requiredKeys: [] }), fc.option(text(0, 4), { freq: 8 }))
      .map(([known, unknown]) => (unknown === null ? known : { ...known, Nikc: unknown }))
    const robots = fc.oneof(
      { weight: 8, arbitrary: fc.array(robot, { maxLength: 3 }) },
      { weight: 2, arbitrary: fc.array(robot, { minLength: 19, maxLength: 22 }) }
    )
    const manifest = fc.oneof(
      { weight: 8, arbitrary: fc.record({ robots }) },
      { weight: 1, arbitrary: fc.record({ robots, extra: text(0, 3) }) },
      { weight: 1, arbitrary: fc.record({ robots: other }) }
    )
    fc.assert(
      fc.property(manifest, data => {
        const ids = (Array.isArray(data.robots) ? data.robots : []).map(r => (r as Record<string, unknown>).UserID).filter(id => typeof id === 'string')
        fc.pre(new Set(ids).size === ids.length)
        const schemaAccepts = schemaViolations(data).length === 0
        const validatorAccepts = validatorErrors(stringify(data)).length === 0
        expect(validatorAccepts).toBe(schemaAccepts)
      }),
      { numRuns: 300 }
    )
  })
})

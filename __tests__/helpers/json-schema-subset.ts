/**
 * A JSON Schema checker for exactly the keywords robots.schema.json uses, with
 * draft-07 semantics. It throws on any other keyword, so a schema change it
 * does not understand fails the tests instead of passing unchecked.
 */

type Schema = Record<string, unknown>

const ANNOTATIONS = new Set(['$schema', 'title', 'description'])
const ASSERTIONS = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'maxItems', 'pattern', 'minLength', 'maxLength'])

/** Every violation, as `path: what`; empty when the value conforms. */
export function schemaViolations(schema: Schema, value: unknown, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`json-schema-subset does not support "${keyword}" (at ${path})`)
  }
  if (schema.type !== undefined && !hasType(value, schema.type as string)) {
    return [`${path}: expected ${String(schema.type)}, got ${typeName(value)}`]
  }
  const violations: string[] = []
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in value)) violations.push(`${path}: missing required ${name}`)
    }
    for (const [name, item] of Object.entries(value)) {
      if (name in properties) violations.push(...schemaViolations(properties[name], item, `${path}.${name}`))
      else if (schema.additionalProperties === false) violations.push(`${path}: unexpected property ${name}`)
      else if (typeof schema.additionalProperties === 'object') violations.push(...schemaViolations(schema.additionalProperties as Schema, item, `${path}.${name}`))
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) violations.push(`${path}: ${value.length} items, more than ${schema.maxItems}`)
    if (schema.items !== undefined) value.forEach((item, index) => violations.push(...schemaViolations(schema.items as Schema, item, `${path}[${index}]`)))
  }
  if (typeof value === 'string') {
    // JSON Schema lengths count code points, not UTF-16 units.
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength) violations.push(`${path}: ${length} characters, fewer than ${schema.minLength}`)
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) violations.push(`${path}: ${length} characters, more than ${schema.maxLength}`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) violations.push(`${path}: does not match ${schema.pattern}`)
  }
  return violations
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isObject(value)
    case 'array': return Array.isArray(value)
    case 'string': return typeof value === 'string'
    case 'null': return value === null
    case 'boolean': return typeof value === 'boolean'
    case 'number': return typeof value === 'number'
    case 'integer': return Number.isInteger(value)
    default: throw new Error(`json-schema-subset does not support type "${type}"`)
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

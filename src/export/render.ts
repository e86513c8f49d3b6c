/**
 * The manifest text of an app's robots: the schema line for editors, then every
 * robot sorted by UserID, UserIDs double-quoted (YAML reserves a leading @), and
 * only the profile fields that are set. It is YAML the validator accepts and the
 * yaml library writes, so any value — a quote, a colon, a newline — reads back
 * as the same string.
 */
import { Document, Scalar, isScalar, visit } from 'yaml'
import { PROFILE_FIELD_NAMES } from '../manifest/fields.js'
import { SCHEMA_COMMENT } from '../manifest/schema.js'
import type { AppRobot } from './types.js'

/** Characters a plain or single-quoted YAML scalar cannot carry as they are: written double-quoted with escapes. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/

export function renderManifest(robots: AppRobot[]): string {
  const sorted = [...robots].sort((a, b) => (a.UserID < b.UserID ? -1 : a.UserID > b.UserID ? 1 : 0))
  const document = new Document({
    robots: sorted.map(robot => {
      const entry: Record<string, string> = { UserID: robot.UserID }
      for (const field of PROFILE_FIELD_NAMES) {
        const value = robot.profile[field]
        if (value !== undefined && value !== '') entry[field] = value
      }
      return entry
    })
  })
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string') return
      const key = isScalar(pair.key) ? pair.key.value : null
      if (key === 'UserID' || NEEDS_ESCAPES.test(pair.value.value)) pair.value.type = Scalar.QUOTE_DOUBLE
    }
  })
  // No folding, and escapes instead of line breaks inside quotes: every value stays on its line.
  const body = document.toString({ lineWidth: 0, flowCollectionPadding: false, doubleQuotedAsJSON: true })
  return `${SCHEMA_COMMENT}\n${body}`
}

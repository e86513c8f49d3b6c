/**
 * The one definition of a manifest entry. The validator, the JSON Schema
 * (robots.schema.json), the planner and the client all read these tables, so a
 * rule is written once.
 */

export const USER_ID_PREFIX = '@RBT#'
/** Vendor limit on a chatbot UserID, in UTF-8 bytes (prefix included). */
export const USER_ID_MAX_BYTES = 32
/** The profile store caps every string field at 500 UTF-8 bytes (code 40601 past it). */
export const PROFILE_FIELD_MAX_BYTES = 500
/** The vendor allows at most 20 chatbots per app; the 21st fails with 10008. */
export const MAX_ROBOTS_PER_APP = 20

export type ProfileField = 'Nick' | 'FaceUrl' | 'SelfSignature'

export interface ProfileFieldSpec {
  /** The profile tag that portrait_get / portrait_set use for this field. */
  tag: string
  description: string
}

/** Manifest field ↔ profile tag, in the order the vendor's create_robot page lists them. */
export const PROFILE_FIELDS: Readonly<Record<ProfileField, ProfileFieldSpec>> = {
  Nick: { tag: 'Tag_Profile_IM_Nick', description: "The robot's nickname." },
  FaceUrl: { tag: 'Tag_Profile_IM_Image', description: "URL of the robot's profile photo." },
  SelfSignature: { tag: 'Tag_Profile_IM_SelfSignature', description: "The robot's status line." }
}

export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileField[]

/** Every key an entry may have. */
export const ENTRY_KEYS = ['UserID', ...PROFILE_FIELD_NAMES] as const

export type Profile = Partial<Record<ProfileField, string>>

/**
 * Characters no field may hold: the control characters (C0, DEL, C1) other than
 * tab and line feed, and lone surrogates (halves of a UTF-16 pair, which are not
 * text). With the u flag a well-formed pair is one code point and never matches.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF]/u

/** The same rule as a JSON Schema pattern, read alike with or without the u flag. */
export const TEXT_PATTERN_BODY = '(?:[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*'

export interface ForbiddenCharacter {
  kind: 'control character' | 'lone surrogate'
  /** U+XXXX */
  codePoint: string
  /** Where in the value, counted in characters from 1. */
  position: number
  /** Where in the string, in UTF-16 units from 0. */
  index: number
}

/** The first character of `text` that no field may hold, or null. */
export function forbiddenCharacter(text: string): ForbiddenCharacter | null {
  const match = FORBIDDEN_CHARACTER.exec(text)
  if (match === null) return null
  const code = match[0].charCodeAt(0)
  return {
    kind: code >= 0xd800 && code <= 0xdfff ? 'lone surrogate' : 'control character',
    codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
    position: [...text.slice(0, match.index)].length + 1,
    index: match.index
  }
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

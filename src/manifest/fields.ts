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
  Nick: { tag: 'Tag_Profile_IM_Nick', description: 'The robot\'s nickname.' },
  FaceUrl: { tag: 'Tag_Profile_IM_Image', description: 'URL of the robot\'s profile photo.' },
  SelfSignature: { tag: 'Tag_Profile_IM_SelfSignature', description: 'The robot\'s status line.' }
}

export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileField[]

/** Every key an entry may have. */
export const ENTRY_KEYS = ['UserID', ...PROFILE_FIELD_NAMES] as const

export type Profile = Partial<Record<ProfileField, string>>

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

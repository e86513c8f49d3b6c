/**
 * The JSON Schema of robots.yaml, for editors (the YAML language server reads
 * draft-07 best). It is generated from robot-fields.ts, so it cannot drift
 * from the validator; scripts/gen-schema.ts writes it to robots.schema.json.
 *
 * JSON Schema counts characters, not bytes, and cannot say "no two robots
 * share a UserID": those two rules are checked only by the action.
 */
import {
  MAX_ROBOTS_PER_APP,
  PROFILE_FIELDS,
  PROFILE_FIELD_MAX_BYTES,
  PROFILE_FIELD_NAMES,
  TEXT_PATTERN_BODY,
  USER_ID_MAX_BYTES,
  USER_ID_PREFIX
} from './fields.js'

const NO_CONTROL = 'No control characters other than tab and line feed, and no lone surrogates.'

/** Where the generated schema lives, relative to the repository root. */
export const SCHEMA_FILE = 'robots.schema.json'

/** Where editors fetch it: the file at the action's major tag. */
export const SCHEMA_URL = `https://raw.githubusercontent.com/org/create-chat-robots/v1/${SCHEMA_FILE}`

/** The first line of a manifest, for the YAML language server (the README's Quick start has it too). */
export const SCHEMA_COMMENT = `# yaml-language-server: $schema=${SCHEMA_URL}`

export function manifestJsonSchema(): object {
  const profileFields = Object.fromEntries(
    PROFILE_FIELD_NAMES.map(name => [
      name,
      {
        description: `${PROFILE_FIELDS[name].description} Optional. At most ${PROFILE_FIELD_MAX_BYTES} bytes in UTF-8 (this schema can only count characters; the action counts bytes). ${NO_CONTROL} Profile tag ${PROFILE_FIELDS[name].tag}.`,
        type: 'string',
        pattern: `^${TEXT_PATTERN_BODY}$`,
        maxLength: PROFILE_FIELD_MAX_BYTES
      }
    ])
  )
  const userId = {
    description: `The chatbot's account ID: starts with ${USER_ID_PREFIX}, at most ${USER_ID_MAX_BYTES} bytes in UTF-8 including the prefix (this schema can only count characters; the action counts bytes). Quote it in YAML: a plain value cannot start with @. Letters, digits, _ and - are the safe characters after the prefix. ${NO_CONTROL}`,
    type: 'string',
    pattern: `^${escapeRegExp(USER_ID_PREFIX)}${TEXT_PATTERN_BODY}$`,
    minLength: USER_ID_PREFIX.length + 1,
    maxLength: USER_ID_MAX_BYTES
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Chatbot manifest (robots.yaml)',
    description: 'The chatbot accounts of a Tencent Cloud Chat app, created by the create-chat-robots action.',
    type: 'object',
    additionalProperties: false,
    required: ['robots'],
    properties: {
      robots: {
        description: `The chatbots, at most ${MAX_ROBOTS_PER_APP} (the vendor's limit per app). Each UserID may appear once. [] for none.`,
        type: 'array',
        maxItems: MAX_ROBOTS_PER_APP,
        items: {
          description: 'One chatbot account.',
          type: 'object',
          additionalProperties: false,
          required: ['UserID'],
          properties: {
            UserID: userId,
            ...profileFields
          }
        }
      },
      retired: {
        description: `UserIDs of robots to delete (delete_robot). The vendor keeps a deleted robot's UserID reserved for ever, so a retired UserID stays in this list as the record and may not appear under robots again. Retired robots do not count against the limit of ${MAX_ROBOTS_PER_APP}. Optional.`,
        type: 'array',
        items: { ...userId, description: 'The UserID of a robot to delete, quoted.' }
      }
    }
  }
}

/** The content of robots.schema.json: 2-space JSON with a trailing newline. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
}

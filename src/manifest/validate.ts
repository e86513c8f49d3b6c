/** Validation: every entry checked against the vendor's rules and what a careful user needs. */
import { isAlias, isMap, isScalar, isSeq, type LineCounter } from 'yaml'
import type { Document, Pair, ParsedNode, Scalar, YAMLSeq } from 'yaml'
import { nearest } from '../nearest.js'
import {
  ENTRY_KEYS,
  forbiddenCharacter,
  MAX_ROBOTS_PER_APP,
  PROFILE_FIELD_MAX_BYTES,
  PROFILE_FIELD_NAMES,
  USER_ID_MAX_BYTES,
  USER_ID_PREFIX,
  utf8Bytes
} from './fields.js'
import { excerpt, quote } from './excerpt.js'
import { positionAt, type EntryField, type EntryRange, type Found, type ManifestEntry, type RetiredEntry, type SourcePosition } from './types.js'

interface Validated {
  entries: ManifestEntry[]
  retired: RetiredEntry[]
  problems: Found[]
  ranges: EntryRange[]
}

/** What a parsed mapping holds. (yaml wraps a bare pair in a flow list, `[UserID: x]`, in a mapping.) */
type ParsedPair = Pair<ParsedNode, ParsedNode | null>

const ENTRY_KEY_LIST = `${ENTRY_KEYS.slice(0, -1).join(', ')} and ${ENTRY_KEYS[ENTRY_KEYS.length - 1]}`
const TOP_LEVEL_KEYS = ['robots', 'retired'] as const

interface Checker {
  report: (
    node: { range?: [number, number, number] | null } | null | undefined,
    message: string,
    entry?: number,
    severity?: 'error' | 'warning',
    retired?: number
  ) => void
  position: (offset: number) => SourcePosition
  /** The source text of a node's value. */
  text: (node: ParsedNode) => string
}

export function validate(document: Document.Parsed, source: string, lines: LineCounter): Validated {
  const problems: Found[] = []
  const checker: Checker = {
    report: (node, message, entry, severity = 'error', retired) =>
      problems.push({ offset: node?.range?.[0] ?? 0, severity, message, entry, ...(retired !== undefined ? { retired } : {}) }),
    position: offset => positionAt(lines, offset, source.length),
    text: node => source.slice(node.range[0], node.range[1])
  }
  const entries: ManifestEntry[] = []
  const ranges: EntryRange[] = []
  const top = topLevel(document.contents, checker)
  // Read first, so a robot that lists a retired UserID again is refused on its own line.
  const retired = top.retired ? retiredList(top.retired, checker) : []
  const retiredLines = new Map(retired.filter(item => item.UserID !== null).map(item => [item.UserID as string, item.position.line]))
  const list = top.robots
  if (list !== null) {
    const userIds = new Map<string, number>()
    ;(list.items as ParsedNode[]).forEach((item, index) => {
      ranges.push({ start: index === 0 ? list.range[0] : ranges[index - 1].end, end: item.range[2] })
      entries.push(checkEntry(item, index, userIds, retiredLines, checker))
    })
  }
  return { entries, retired, problems, ranges }
}

/** The robots list, or null (reported) when the top level does not hold one; and the retired pair, if any. */
function topLevel(top: ParsedNode | null, { report, position, text }: Checker): { robots: YAMLSeq.Parsed | null; retired?: ParsedPair } {
  const isEmpty = (node: ParsedNode | null): boolean => node === null || (isScalar(node) && node.value === null && text(node).trim() === '')
  if (isEmpty(top)) {
    report(top, 'The manifest is empty: start it with robots: and list the robots under it (robots: [] for none).')
    return { robots: null }
  }
  if (!isMap(top)) {
    const hint = isSeq(top) ? ' Put robots: above the list and indent the list under it.' : ''
    report(top, `The manifest must be a mapping with the key robots, but it is ${describe(top as ParsedNode)}.${hint}`)
    return { robots: null }
  }

  let robots: ParsedPair | undefined
  let retired: ParsedPair | undefined
  let robotsMisspelt = false
  const keys = new Map<string, number>()
  for (const pair of top.items as ParsedPair[]) {
    const name = keyName(pair.key, text, (node, message) => report(node, message))
    if (name === null || !firstUse(keys, name, pair.key, position, (node, message) => report(node, message))) continue
    if (name === 'robots') {
      robots = pair
      continue
    }
    if (name === 'retired') {
      retired = pair
      continue
    }
    const suggestion = nearest(name, TOP_LEVEL_KEYS)
    robotsMisspelt ||= suggestion === 'robots'
    report(
      pair.key,
      suggestion === undefined
        ? `Unknown top-level key ${quote(name)}: the manifest's top-level keys are robots and retired.`
        : `Unknown top-level key ${quote(name)}: did you mean "${suggestion}"?`
    )
  }
  if (robots === undefined) {
    if (!robotsMisspelt) report(top, 'The manifest has no robots key: start it with robots: and list the robots under it (robots: [] for none).')
    return { robots: null, retired }
  }

  const list = robots.value
  if (isEmpty(list)) {
    report(robots.key, 'robots has no value: list the robots under it, or write robots: [] for none.')
    return { robots: null, retired }
  }
  if (!isSeq(list)) {
    const hint = isMap(list) ? ` Start each robot with "- ", e.g. - UserID: ${JSON.stringify(EXAMPLES.UserID)}.` : ''
    report(list, `robots must be a list of robots, but it is ${describe(list as ParsedNode)}.${hint}`)
    return { robots: null, retired }
  }
  if (list.items.length > MAX_ROBOTS_PER_APP) {
    const over = list.items.length - MAX_ROBOTS_PER_APP
    report(
      robots.key,
      `robots lists ${list.items.length} robots; the limit is ${MAX_ROBOTS_PER_APP} chatbots per app (the vendor refuses more): remove ${over} (a robot the app should no longer have goes under retired:, which does not count).`
    )
  }
  return { robots: list as YAMLSeq.Parsed, retired }
}

/**
 * The retired list: UserIDs of robots to delete. They stay in the file as the
 * record that the vendor keeps them reserved, so they do not count against the
 * 20-robot limit and may not be listed under robots again.
 */
function retiredList(pair: ParsedPair, { report, position, text }: Checker): RetiredEntry[] {
  const list = pair.value
  if (list === null || (isScalar(list) && list.value === null && text(list).trim() === '')) {
    report(pair.key, 'retired has no value: list the UserIDs of the robots to delete under it, or remove the key (retired: [] for none).')
    return []
  }
  if (!isSeq(list)) {
    report(
      list,
      `retired must be a list of UserIDs, but it is ${describe(list)}: write each as a quoted string, e.g. retired: [${JSON.stringify(EXAMPLES.UserID)}].`
    )
    return []
  }
  const seen = new Map<string, number>()
  return (list.items as ParsedNode[]).map((item, index): RetiredEntry => {
    const place = position(item.range[0])
    const retired: RetiredEntry = { index, UserID: null, position: place, problems: [] }
    const reportHere: Report = (node, message, severity) => report(node, message, undefined, severity, index)
    if (isScalar(item) && typeof item.value === 'string') {
      retired.UserID = item.value
      checkCharacters('UserID', item.value, item, text, reportHere)
      checkUserId(item.value, item, reportHere)
      const first = seen.get(item.value)
      if (first === undefined) seen.set(item.value, place.line)
      else reportHere(item, `UserID ${quote(item.value)} is already retired on line ${first}: list it once.`)
    } else if (isMap(item)) {
      reportHere(item, `Item ${index + 1} of retired is a mapping: retired lists UserIDs only, e.g. - ${JSON.stringify(EXAMPLES.UserID)}.`)
    } else {
      const written = text(item).trim()
      reportHere(
        item,
        `Item ${index + 1} of retired is ${describe(item)}${written ? ` (${excerpt(written)})` : ''}, not a UserID: write it as a quoted string, e.g. - ${JSON.stringify(EXAMPLES.UserID)}.`
      )
    }
    return retired
  })
}

/** Checks one item of robots; `userIds` maps each UserID seen so far to its line. */
function checkEntry(
  item: ParsedNode,
  index: number,
  userIds: Map<string, number>,
  retiredLines: Map<string, number>,
  { report, position, text }: Checker
): ManifestEntry {
  const start = item.range[0]
  const entry: ManifestEntry = { index, UserID: null, profile: {}, position: position(start), fieldPositions: {}, problems: [] }
  const robot = `Robot ${index + 1}`
  const reportHere: Report = (node, message, severity) => report(node, message, index, severity)

  if (!isMap(item)) {
    if (isScalar(item) && item.value === null && text(item).trim() === '') {
      reportHere(item, `${robot} is empty: give it a UserID, or remove the "-".`)
    } else if (isScalar(item) && typeof item.value === 'string' && item.value.startsWith(USER_ID_PREFIX)) {
      reportHere(item, `${robot} is just a string: write it as a mapping, e.g. - UserID: ${quote(item.value)}`)
    } else {
      reportHere(item, `${robot} must be a mapping with a UserID (and optionally ${PROFILE_FIELD_NAMES.join(', ')}), but it is ${describe(item)}.`)
    }
    return entry
  }

  const keys = new Map<string, number>()
  let userIdMisspelt = false
  for (const pair of item.items as ParsedPair[]) {
    const name = keyName(pair.key, text, reportHere)
    if (name === null || !firstUse(keys, name, pair.key, position, reportHere)) continue
    if (!isEntryField(name)) {
      const suggestion = nearest(name, ENTRY_KEYS)
      userIdMisspelt ||= suggestion === 'UserID'
      reportHere(
        pair.key,
        suggestion === undefined
          ? `Unknown key ${quote(name)}: a robot may have ${ENTRY_KEY_LIST}.`
          : `Unknown key ${quote(name)}: did you mean "${suggestion}"?`
      )
      continue
    }

    const value = pair.value
    const place = value !== null && text(value).trim() !== '' ? value : pair.key
    entry.fieldPositions[name] = position(place.range[0])
    const string = checkString(name, value, place, text, reportHere)
    if (string === null) continue
    checkCharacters(name, string, value as ParsedNode, text, reportHere)
    if (name === 'UserID') {
      entry.UserID = string
      checkUserId(string, place, reportHere)
      const firstLine = userIds.get(string)
      if (firstLine === undefined) userIds.set(string, position(place.range[0]).line)
      else reportHere(place, `UserID ${quote(string)} is already used by the robot on line ${firstLine}: give each robot its own UserID.`)
      const retiredLine = retiredLines.get(string)
      if (retiredLine !== undefined) {
        reportHere(
          place,
          `UserID ${quote(string)} is retired on line ${retiredLine}: the vendor keeps a deleted robot's UserID reserved, so it cannot be created again. Give this robot a new UserID (or, if the robot was never deleted, take it off the retired list).`
        )
      }
    } else {
      entry.profile[name] = string
      const size = utf8Bytes(string)
      if (size > PROFILE_FIELD_MAX_BYTES) {
        reportHere(place, `${name} ${quote(string, 24)} is ${size} bytes; the limit is ${PROFILE_FIELD_MAX_BYTES} bytes (UTF-8).`)
      }
    }
  }
  if (!keys.has('UserID') && !userIdMisspelt) {
    reportHere({ range: [start, start, start] }, `${robot} has no UserID: add one, e.g. UserID: ${JSON.stringify(EXAMPLES.UserID)}.`)
  }
  return entry
}

type Report = (node: { range?: [number, number, number] | null } | null | undefined, message: string, severity?: 'error' | 'warning') => void

function isEntryField(name: string): name is EntryField {
  return (ENTRY_KEYS as readonly string[]).includes(name)
}

/** The key as the user wrote it, or null (reported) when it is not a plain name. */
/** Records a key of one mapping; a key seen before is reported, naming the line of the first. */
function firstUse(keys: Map<string, number>, name: string, key: ParsedNode, position: (offset: number) => SourcePosition, report: Report): boolean {
  const first = keys.get(name)
  if (first !== undefined) {
    report(key, `Duplicate key ${quote(name)} (first on line ${position(first).line}): remove one of them.`)
    return false
  }
  keys.set(name, key.range[0])
  return true
}

function keyName(key: ParsedNode | null, text: (node: ParsedNode) => string, report: Report): string | null {
  if (key === null) return null
  if (isAlias(key)) {
    report(key, `A key cannot be an alias (${excerpt(text(key))}): write the key out.`)
    return null
  }
  if (!isScalar(key)) {
    report(key, `A key must be a plain name, but this one is ${describe(key)}.`)
    return null
  }
  if (typeof key.value === 'string') return key.value
  const written = text(key).trim()
  if (written === '') {
    report(key, 'A key is missing before the ":".')
    return null
  }
  return written
}

/** What each field's fix suggests. */
const EXAMPLES: Record<EntryField, string> = {
  UserID: `${USER_ID_PREFIX}support`,
  Nick: 'Support',
  FaceUrl: 'https://cdn.example.com/support.png',
  SelfSignature: 'Ask me anything'
}

/** The value as a string, or null (reported) when it is anything else. */
function checkString(name: EntryField, value: ParsedNode | null, place: ParsedNode, text: (node: ParsedNode) => string, report: Report): string | null {
  const example = JSON.stringify(EXAMPLES[name])
  if (value === null || (isScalar(value) && value.value === null && text(value).trim() === '')) {
    report(place, `${name} has no value: give it one, e.g. ${name}: ${example}${name === 'UserID' ? '' : ', or remove the line'}.`)
    return null
  }
  if (isScalar(value) && typeof value.value === 'string') {
    // yaml builds a double-quoted value a character at a time, a string that is slow to read
    // (a 1 MiB manifest spends a sixth of its time reading them). Without an escape or a line
    // break, the value is exactly what is written between the quotes: read that instead.
    if (value.type === 'QUOTE_DOUBLE') {
      const written = text(value)
      if (written.length >= 2 && written.endsWith('"') && !/[\\\n\r]/.test(written)) return written.slice(1, -1)
    }
    return value.value
  }
  if (isScalar(value)) {
    const written = text(value).trim()
    const fix = /^["']/.test(written) && value.tag !== undefined ? `remove the tag ${excerpt(value.tag)}` : `quote it: ${name}: ${quote(written)}`
    report(place, `${name} is ${describe(value)} (${excerpt(written)}), not text: ${fix}`)
    return null
  }
  if (isAlias(value)) {
    report(place, `${name} is an alias (${excerpt(text(value))}): aliases are not supported in a manifest; write the value out.`)
    return null
  }
  report(place, `${name} is ${describe(value)}, not text: write a single string, e.g. ${name}: ${example}.`)
  return null
}

/**
 * No field may hold a control character other than tab and line feed, or a lone
 * surrogate. The error goes on the line of the character when it is written raw,
 * else (an escape such as "\e") on the line where the value starts. The
 * character itself is never repeated: it is named by its code point.
 */
function checkCharacters(name: EntryField, value: string, node: ParsedNode, text: (node: ParsedNode) => string, report: Report): void {
  const found = forbiddenCharacter(value)
  if (found === null) return
  const raw = forbiddenCharacter(text(node))
  const offset = node.range[0] + (raw?.index ?? 0)
  const fix =
    found.kind === 'lone surrogate'
      ? ' (half of a UTF-16 pair, not text): remove it, or write the whole character'
      : ': remove it; tab and line feed are the only control characters a field may hold'
  report({ range: [offset, offset, offset] }, `${name} contains a ${found.kind}, ${found.codePoint}, at character ${found.position}${fix}.`)
}

/** Documented for account IDs: letters, digits, "_" and "-"; chatbot IDs add "@" and "#". */
const DOCUMENTED_USER_ID_CHARACTER = /[A-Za-z0-9_\-@#]/u

function checkUserId(userId: string, place: ParsedNode, report: Report): void {
  const shown = quote(userId)
  if (!userId.startsWith(USER_ID_PREFIX)) {
    report(place, `UserID ${shown} does not start with "${USER_ID_PREFIX}", as every chatbot's must: write UserID: ${quote(withPrefix(userId))}.`)
  } else if (userId.length === USER_ID_PREFIX.length) {
    report(place, `UserID ${shown} has nothing after the "${USER_ID_PREFIX}" prefix: add a name, e.g. ${JSON.stringify(EXAMPLES.UserID)}.`)
  }
  const size = utf8Bytes(userId)
  if (size > USER_ID_MAX_BYTES) {
    report(place, `UserID ${shown} is ${size} bytes; the limit is ${USER_ID_MAX_BYTES} bytes (UTF-8).`)
  }
  // Control characters are an error of their own (checkCharacters).
  const unusual = [...new Set([...userId].filter(character => !DOCUMENTED_USER_ID_CHARACTER.test(character) && forbiddenCharacter(character) === null))]
  if (unusual.length > 0) {
    const listed =
      unusual
        .slice(0, 5)
        .map(character => `${JSON.stringify(character)} (U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`)
        .join(', ') + (unusual.length > 5 ? ', …' : '')
    report(
      place,
      `UserID ${shown} contains ${listed}: the vendor documents letters, digits, "_" and "-" for account IDs (and "@", "#" for chatbots), so the server may refuse it.`,
      'warning'
    )
  }
}

function withPrefix(userId: string): string {
  const upper = userId.toUpperCase()
  if (upper.startsWith(USER_ID_PREFIX)) return USER_ID_PREFIX + userId.slice(USER_ID_PREFIX.length)
  if (upper.startsWith(USER_ID_PREFIX.slice(1))) return USER_ID_PREFIX + userId.slice(USER_ID_PREFIX.length - 1)
  return USER_ID_PREFIX + userId
}

function describe(node: ParsedNode): string {
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isAlias(node)) return `an alias (*${excerpt(node.source)}), which a manifest does not support`
  const value = (node as Scalar).value
  if (value === null) return 'null'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number'
  if (typeof value === 'boolean') return 'a boolean'
  if (value instanceof Uint8Array) return 'binary data'
  if (value instanceof Date) return 'a date'
  return `a ${typeof value}`
}

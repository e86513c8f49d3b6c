/**
 * The manifest stage: robots.yaml text → entries with source positions and
 * every problem found, each on its line and column. Nothing here throws on bad
 * input; reading the file from disk lives in manifest-file.ts.
 */
import { CST, Composer, Lexer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, visit } from 'yaml'
import type { Document, Pair, ParsedNode, Scalar, YAMLError, YAMLSeq } from 'yaml'
import { nearest } from './nearest.js'
import {
  ENTRY_KEYS,
  MAX_ROBOTS_PER_APP,
  PROFILE_FIELD_MAX_BYTES,
  PROFILE_FIELD_NAMES,
  USER_ID_MAX_BYTES,
  USER_ID_PREFIX,
  utf8Bytes,
  type Profile,
  type ProfileField
} from './robot-fields.js'

export { MAX_MANIFEST_BYTES, ManifestError, readManifestFile } from './manifest-file.js'

export interface SourcePosition { line: number; column: number }

export interface ManifestProblem {
  severity: 'error' | 'warning'
  /** The manifest path as given (workspace-relative), for annotations. */
  file: string
  line: number
  column: number
  /** Names the thing, the value and the fix. */
  message: string
  /** Index of the entry in robots, when the problem belongs to one. */
  entry?: number
}

export type EntryField = 'UserID' | ProfileField

export interface ManifestEntry {
  index: number
  /** null when missing or not a string. */
  UserID: string | null
  /** Only the string-valued known fields that were present. */
  profile: Profile
  /** Where the entry starts. */
  position: SourcePosition
  /** Where each value is (where its key is, when the value is empty). */
  fieldPositions: Partial<Record<EntryField, SourcePosition>>
  problems: ManifestProblem[]
}

/**
 * A problem without `entry` is about the whole file. When any of those is an
 * error (a YAML syntax error that breaks the structure, no robots list, more
 * robots than the vendor allows), the entries are not to be trusted or applied.
 */
export interface Manifest {
  file: string
  /** Every entry of robots, in order, valid or not. */
  entries: ManifestEntry[]
  /** All problems, file-level and per entry, sorted by line then column. */
  problems: ManifestProblem[]
}

/**
 * Limits that keep hostile input cheap. A manifest of 20 robots nests 5 levels
 * (document, map, list, entry, value) and is a few hundred YAML tokens.
 * Deeper nesting would overflow the YAML composer's recursion (and can crash
 * V8 outright); the token cap bounds the parse at about a hundred milliseconds,
 * since yaml spends about 1–3 µs on each token.
 */
export const MAX_NESTING_DEPTH = 32
export const MAX_YAML_TOKENS = 50_000
/** Past this many YAML syntax problems the rest are summarised in one. */
export const MAX_SYNTAX_PROBLEMS = 50

export function isValid(entry: ManifestEntry): boolean {
  return !entry.problems.some(problem => problem.severity === 'error')
}

export function parseManifest(text: string, file: string): Manifest {
  // Editors do not show a byte order mark, so columns on line 1 are counted without it.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = new LineCounter()
  const found: Found[] = []
  let entries: ManifestEntry[] = []
  try {
    const syntax = readYaml(source, lines)
    found.push(...syntax.problems)
    if (syntax.document) {
      const validated = validate(syntax.document, source, lines)
      entries = validated.entries
      // After a syntax error that breaks the structure, what yaml recovered is a
      // guess, and validating it would report things that are not there.
      if (!syntax.structureBroken) found.push(...validated.problems)
      attachToEntries(found, validated.ranges)
    }
  } catch (error) {
    // A bug in this module or in yaml must still come out as a problem, not a crash.
    const detail = error instanceof Error ? error.message : String(error)
    found.push({ offset: 0, severity: 'error', message: `The manifest could not be read: ${detail}. This is a bug in the action; please report it with the manifest.` })
  }

  const problems = found
    .map(problem => toProblem(problem, file, lines, source.length))
    .sort((a, b) => a.line - b.line || a.column - b.column)
  for (const problem of problems) {
    if (problem.entry !== undefined) entries[problem.entry]?.problems.push(problem)
  }
  return { file, entries, problems }
}

/** A problem before it gets a line and column. */
interface Found {
  offset: number
  severity: 'error' | 'warning'
  message: string
  entry?: number
  /** A syntax problem after which yaml's recovered structure is a guess. */
  breaksStructure?: boolean
  /** A syntax problem confined to one value: it belongs to the entry around it. */
  local?: boolean
}

function toProblem(found: Found, file: string, lines: LineCounter, length: number): ManifestProblem {
  const { line, column } = positionAt(lines, found.offset, length)
  const problem: ManifestProblem = { severity: found.severity, file, line, column, message: found.message }
  if (found.entry !== undefined) problem.entry = found.entry
  return problem
}

function positionAt(lines: LineCounter, offset: number, length: number): SourcePosition {
  const { line, col } = lines.linePos(Math.max(0, Math.min(offset, length)))
  return { line: Math.max(1, line), column: Math.max(1, col) }
}

// ---------------------------------------------------------------------------
// YAML syntax

interface Syntax {
  document: Document.Parsed | null
  problems: Found[]
  /** A syntax error left yaml guessing at the structure. */
  structureBroken: boolean
}

/**
 * Lexes and parses token by token so that nesting depth and size can be
 * checked before the (recursive) composer sees anything, then composes the
 * document. Aliases are never expanded: the document is walked, not converted
 * with toJS, so an alias bomb costs nothing.
 */
function readYaml(source: string, lines: LineCounter): Syntax {
  const parser = new Parser(lines.addNewLine)
  lines.addNewLine(0)
  const tokens: CST.Token[] = []
  const anchors: number[] = []
  let count = 0
  let scalarNext = false
  for (const lexeme of new Lexer().lex(source)) {
    const offset = parser.offset
    if (++count > MAX_YAML_TOKENS) {
      return refused(offset, `The manifest is too complex to read: it has more than ${MAX_YAML_TOKENS} YAML tokens (the limit is reached here), where a manifest of ${MAX_ROBOTS_PER_APP} robots needs about a thousand. Check that the manifest input points at the right file.`)
    }
    // An anchor token starts with "&"; a scalar's text (which follows the SCALAR marker) may too.
    if (!scalarNext && lexeme.startsWith('&')) anchors.push(offset)
    scalarNext = lexeme === CST.SCALAR
    for (const token of parser.next(lexeme)) tokens.push(token)
    if (parser.stack.length > MAX_NESTING_DEPTH) {
      return refused(offset, `The manifest nests values more than ${MAX_NESTING_DEPTH} levels deep (here), where a manifest needs 5: robots, its list, each robot, and its fields. Reading stopped at this point.`)
    }
  }
  for (const token of parser.end()) tokens.push(token)

  const problems: Found[] = []
  let document: Document.Parsed | null = null
  // yaml reports syntax errors as Error objects; on hostile input that is one
  // per token, and capturing a stack trace for each costs more than parsing.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false })
    for (const parsed of composer.compose(tokens, true, source.length)) {
      if (document === null) {
        document = parsed
        continue
      }
      problems.push({ offset: parsed.range[0], severity: 'error', breaksStructure: true, message: 'The manifest holds a second YAML document (after ---) starting here: keep one document with one robots list.' })
      break
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  if (document === null) return { document: null, problems, structureBroken: false }

  // Messages are built only for the problems listed: building one looks at its line.
  const raw: { offset: number; found: () => Found }[] = [
    ...document.errors.map(error => ({ offset: error.pos[0], found: () => unclosedQuote(error, document, lines) ?? fromYamlError(error, 'error', source) })),
    ...document.warnings.map(warning => ({ offset: warning.pos[0], found: () => fromYamlError(warning, 'warning', source) })),
    ...anchors.map(offset => ({
      offset,
      found: (): Found => ({
        offset,
        severity: 'error',
        local: true,
        message: `Anchors (${anchorName(source, offset)}) and aliases are not supported in a manifest: write each value out in full.`
      })
    }))
  ].sort((a, b) => a.offset - b.offset)
  problems.push(...raw.slice(0, MAX_SYNTAX_PROBLEMS).map(problem => problem.found()))
  if (raw.length > MAX_SYNTAX_PROBLEMS) {
    problems.push({
      offset: raw[MAX_SYNTAX_PROBLEMS].offset,
      severity: 'error',
      breaksStructure: true,
      message: `…and ${raw.length - MAX_SYNTAX_PROBLEMS} more YAML problems from here on, not listed: fix the ones above first.`
    })
  }
  return { document, problems, structureBroken: problems.some(problem => problem.breaksStructure && problem.severity === 'error') }
}

/** yaml reports an unclosed quote where the file ends; point at where it opens instead. */
function unclosedQuote(error: YAMLError, document: Document.Parsed, lines: LineCounter): Found | undefined {
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return undefined
  let opened: Scalar.Parsed | undefined
  visit(document, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === error.pos[0]) {
        opened = node as Scalar.Parsed
        return visit.BREAK
      }
    }
  })
  if (opened === undefined) return undefined
  const quote = opened.type === 'QUOTE_DOUBLE' ? '"' : "'"
  const { line } = lines.linePos(error.pos[0])
  return {
    offset: opened.range[0],
    severity: 'error',
    breaksStructure: true,
    message: `This quoted value has no closing ${quote}, so it runs on to line ${line}: add the closing quote.`
  }
}

function refused(offset: number, message: string): Syntax {
  return { document: null, problems: [{ offset, severity: 'error', message, breaksStructure: true }], structureBroken: true }
}

function anchorName(source: string, offset: number): string {
  const match = /^&[^\s,[\]{}]{0,40}/.exec(source.slice(offset, offset + 41))
  return match ? match[0] : '&'
}

/** Errors after which yaml's recovered value is still exactly what was written. */
const LOCAL_YAML_ERRORS = new Set(['BAD_SCALAR_START', 'BAD_DQ_ESCAPE', 'TAG_RESOLVE_FAILED', 'KEY_OVER_1024_CHARS'])

function fromYamlError(error: YAMLError, severity: 'error' | 'warning', source: string): Found {
  const local = LOCAL_YAML_ERRORS.has(error.code)
  return { offset: error.pos[0], severity, message: yamlMessage(error, source), local, breaksStructure: !local }
}

function yamlMessage(error: YAMLError, source: string): string {
  const offset = error.pos[0]
  // At most 200 characters either side: a hostile line can be a megabyte long.
  const lineStart = Math.max(source.lastIndexOf('\n', offset - 1) + 1, offset - 200)
  const lineEnd = source.indexOf('\n', offset)
  const line = source.slice(lineStart, Math.min(lineEnd === -1 ? source.length : lineEnd, offset + 200)).replace(/\r$/, '')
  const tabIndented = /^[ \t]*\t/.test(line)
  const detail = error.message.split('\n')[0].replace(/\.$/, '')

  switch (error.code) {
    case 'BAD_SCALAR_START': {
      const character = source[offset]
      if (character === '@' || character === '`') {
        return `A plain YAML value cannot start with "${character}" (YAML reserves it): quote it: ${quotedSuggestion(line, offset - lineStart)}`
      }
      return `YAML syntax error: ${detail}. Quote the value.`
    }
    case 'TAB_AS_INDENT':
      return 'Tabs are not allowed for indentation in YAML: indent this line with spaces.'
    case 'TAG_RESOLVE_FAILED':
      return `${detail}: the manifest needs no YAML tags; remove it.`
    default:
      return `YAML syntax error: ${detail}.${tabIndented ? ' This line is indented with a tab: indent with spaces.' : ''}`
  }
}

/** `UserID: @RBT#x  # note` → `UserID: "@RBT#x"` */
function quotedSuggestion(line: string, column: number): string {
  const before = line.slice(0, column)
  const inFlow = /[[{]/.test(before)
  const value = line.slice(column).split(inFlow ? /\s#|[,\]}]/ : /\s#/)[0].trimEnd()
  if (value.length === 0 || value.length > 80) return `UserID: "${USER_ID_PREFIX}x"`
  const keyPart = inFlow ? before.slice(Math.max(before.lastIndexOf('{'), before.lastIndexOf('['), before.lastIndexOf(',')) + 1) : before
  const key = /^([^\s:#][^:#]*?)\s*:\s*$/.exec(keyPart.replace(/^\s*(?:-\s+)*/, ''))?.[1]
  const quoted = JSON.stringify(value)
  return key === undefined ? quoted : `${key}: ${quoted}`
}

/** A syntax problem inside an entry that does not disturb the structure belongs to that entry. */
function attachToEntries(problems: Found[], ranges: EntryRange[]): void {
  for (const problem of problems) {
    if (!problem.local || problem.entry !== undefined) continue
    let low = 0
    let high = ranges.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (ranges[mid].end <= problem.offset) low = mid + 1
      else high = mid
    }
    const range = ranges[low]
    if (range !== undefined && problem.offset >= range.start) problem.entry = low
  }
}

// ---------------------------------------------------------------------------
// Validation

/**
 * The text an entry owns: from the end of the one before (so the "- " and an
 * anchor after it belong to it) to its own end.
 */
interface EntryRange {
  start: number
  end: number
}

interface Validated {
  entries: ManifestEntry[]
  problems: Found[]
  ranges: EntryRange[]
}

/** What a parsed mapping holds. (yaml wraps a bare pair in a flow list, `[UserID: x]`, in a mapping.) */
type ParsedPair = Pair<ParsedNode, ParsedNode | null>

const ENTRY_KEY_LIST = `${ENTRY_KEYS.slice(0, -1).join(', ')} and ${ENTRY_KEYS[ENTRY_KEYS.length - 1]}`

interface Checker {
  report: (node: { range?: [number, number, number] | null } | null | undefined, message: string, entry?: number, severity?: 'error' | 'warning') => void
  position: (offset: number) => SourcePosition
  /** The source text of a node's value. */
  text: (node: ParsedNode) => string
}

function validate(document: Document.Parsed, source: string, lines: LineCounter): Validated {
  const problems: Found[] = []
  const checker: Checker = {
    report: (node, message, entry, severity = 'error') => problems.push({ offset: node?.range?.[0] ?? 0, severity, message, entry }),
    position: offset => positionAt(lines, offset, source.length),
    text: node => source.slice(node.range[0], node.range[1])
  }
  const entries: ManifestEntry[] = []
  const ranges: EntryRange[] = []
  const list = robotsList(document.contents, checker)
  if (list !== null) {
    const userIds = new Map<string, number>()
    ;(list.items as ParsedNode[]).forEach((item, index) => {
      ranges.push({ start: index === 0 ? list.range[0] : ranges[index - 1].end, end: item.range[2] })
      entries.push(checkEntry(item, index, userIds, checker))
    })
  }
  return { entries, problems, ranges }
}

/** The robots list, or null (reported) when the top level does not hold one. */
function robotsList(top: ParsedNode | null, { report, position, text }: Checker): YAMLSeq.Parsed | null {
  const isEmpty = (node: ParsedNode | null): boolean => node === null || (isScalar(node) && node.value === null && text(node).trim() === '')
  if (isEmpty(top)) {
    report(top, 'The manifest is empty: start it with robots: and list the robots under it (robots: [] for none).')
    return null
  }
  if (!isMap(top)) {
    const hint = isSeq(top) ? ' Put robots: above the list and indent the list under it.' : ''
    report(top, `The manifest must be a mapping with the key robots, but it is ${describe(top as ParsedNode)}.${hint}`)
    return null
  }

  let robots: ParsedPair | undefined
  let robotsMisspelt = false
  const keys = new Map<string, number>()
  for (const pair of top.items as ParsedPair[]) {
    const name = keyName(pair.key, text, (node, message) => report(node, message))
    if (name === null || !firstUse(keys, name, pair.key, position, (node, message) => report(node, message))) continue
    if (name === 'robots') {
      robots = pair
      continue
    }
    const suggestion = nearest(name, ['robots'])
    robotsMisspelt ||= suggestion !== undefined
    report(pair.key, suggestion === undefined
      ? `Unknown top-level key ${JSON.stringify(name)}: the manifest's only top-level key is robots.`
      : `Unknown top-level key ${JSON.stringify(name)}: did you mean "${suggestion}"?`)
  }
  if (robots === undefined) {
    if (!robotsMisspelt) report(top, 'The manifest has no robots key: start it with robots: and list the robots under it (robots: [] for none).')
    return null
  }

  const list = robots.value
  if (isEmpty(list)) {
    report(robots.key, 'robots has no value: list the robots under it, or write robots: [] for none.')
    return null
  }
  if (!isSeq(list)) {
    const hint = isMap(list) ? ` Start each robot with "- ", e.g. - UserID: ${JSON.stringify(EXAMPLES.UserID)}.` : ''
    report(list, `robots must be a list of robots, but it is ${describe(list as ParsedNode)}.${hint}`)
    return null
  }
  if (list.items.length > MAX_ROBOTS_PER_APP) {
    report(robots.key, `robots lists ${list.items.length} robots; the limit is ${MAX_ROBOTS_PER_APP} chatbots per app (the vendor refuses more).`)
  }
  return list as YAMLSeq.Parsed
}

/** Checks one item of robots; `userIds` maps each UserID seen so far to its line. */
function checkEntry(item: ParsedNode, index: number, userIds: Map<string, number>, { report, position, text }: Checker): ManifestEntry {
  const start = item.range[0]
  const entry: ManifestEntry = { index, UserID: null, profile: {}, position: position(start), fieldPositions: {}, problems: [] }
  const robot = `Robot ${index + 1}`
  const reportHere: Report = (node, message, severity) => report(node, message, index, severity)

  if (!isMap(item)) {
    if (isScalar(item) && item.value === null && text(item).trim() === '') {
      reportHere(item, `${robot} is empty: give it a UserID, or remove the "-".`)
    } else if (isScalar(item) && typeof item.value === 'string' && item.value.startsWith(USER_ID_PREFIX)) {
      reportHere(item, `${robot} is just a string: write it as a mapping, e.g. - UserID: ${JSON.stringify(preview(item.value, 64))}`)
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
      reportHere(pair.key, suggestion === undefined
        ? `Unknown key ${JSON.stringify(name)}: a robot may have ${ENTRY_KEY_LIST}.`
        : `Unknown key ${JSON.stringify(name)}: did you mean "${suggestion}"?`)
      continue
    }

    const value = pair.value
    const place = value !== null && text(value).trim() !== '' ? value : pair.key
    entry.fieldPositions[name] = position(place.range[0])
    const string = checkString(name, value, place, text, reportHere)
    if (string === null) continue
    if (name === 'UserID') {
      entry.UserID = string
      checkUserId(string, place, reportHere)
      const firstLine = userIds.get(string)
      if (firstLine === undefined) userIds.set(string, position(place.range[0]).line)
      else reportHere(place, `UserID ${JSON.stringify(preview(string, 64))} is already used by the robot on line ${firstLine}: give each robot its own UserID.`)
    } else {
      entry.profile[name] = string
      const size = utf8Bytes(string)
      if (size > PROFILE_FIELD_MAX_BYTES) {
        reportHere(place, `${name} ${JSON.stringify(preview(string))} is ${size} bytes; the limit is ${PROFILE_FIELD_MAX_BYTES} bytes (UTF-8).`)
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
    report(key, `Duplicate key ${JSON.stringify(name)} (first on line ${position(first).line}): remove one of them.`)
    return false
  }
  keys.set(name, key.range[0])
  return true
}

function keyName(key: ParsedNode | null, text: (node: ParsedNode) => string, report: Report): string | null {
  if (key === null) return null
  if (isAlias(key)) {
    report(key, `A key cannot be an alias (${text(key)}): write the key out.`)
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
  if (isScalar(value) && typeof value.value === 'string') return value.value
  if (isScalar(value)) {
    const written = text(value).trim()
    const fix = /^["']/.test(written) && value.tag !== undefined
      ? `remove the tag ${value.tag}`
      : `quote it: ${name}: ${JSON.stringify(written)}`
    report(place, `${name} is ${describe(value)} (${written}), not text: ${fix}`)
    return null
  }
  if (isAlias(value)) {
    report(place, `${name} is an alias (${text(value)}): aliases are not supported in a manifest; write the value out.`)
    return null
  }
  report(place, `${name} is ${describe(value)}, not text: write a single string, e.g. ${name}: ${example}.`)
  return null
}

/** Documented for account IDs: letters, digits, "_" and "-"; chatbot IDs add "@" and "#". */
const DOCUMENTED_USER_ID_CHARACTER = /[A-Za-z0-9_\-@#]/u

function checkUserId(userId: string, place: ParsedNode, report: Report): void {
  const shown = JSON.stringify(preview(userId, 64))
  if (!userId.startsWith(USER_ID_PREFIX)) {
    report(place, `UserID ${shown} does not start with "${USER_ID_PREFIX}", as every chatbot's must: write UserID: ${JSON.stringify(withPrefix(userId))}.`)
  } else if (userId.length === USER_ID_PREFIX.length) {
    report(place, `UserID ${shown} has nothing after the "${USER_ID_PREFIX}" prefix: add a name, e.g. ${JSON.stringify(EXAMPLES.UserID)}.`)
  }
  const size = utf8Bytes(userId)
  if (size > USER_ID_MAX_BYTES) {
    report(place, `UserID ${shown} is ${size} bytes; the limit is ${USER_ID_MAX_BYTES} bytes (UTF-8).`)
  }
  const unusual = [...new Set([...userId].filter(character => !DOCUMENTED_USER_ID_CHARACTER.test(character)))]
  if (unusual.length > 0) {
    const listed = unusual.slice(0, 5).map(character => JSON.stringify(character)).join(', ') + (unusual.length > 5 ? ', …' : '')
    report(place, `UserID ${shown} contains ${listed}: the vendor documents letters, digits, "_" and "-" for account IDs (and "@", "#" for chatbots), so the server may refuse it.`, 'warning')
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
  if (isAlias(node)) return `an alias (*${node.source}), which a manifest does not support`
  const value = (node as Scalar).value
  if (value === null) return 'null'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number'
  if (typeof value === 'boolean') return 'a boolean'
  if (value instanceof Uint8Array) return 'binary data'
  if (value instanceof Date) return 'a date'
  return `a ${typeof value}`
}

/** The value, or its first `length` characters and "…" when it is longer. */
function preview(value: string, length = 24): string {
  const characters = [...value.slice(0, 2 * length + 2)]
  return characters.length > length ? `${characters.slice(0, length).join('')}…` : value
}

/** YAML syntax: the document with positions, refusing hostile input (aliases, depth, size) fast. */
import { CST, Composer, Lexer, Parser, visit, type LineCounter } from 'yaml'
import type { Document, Scalar, YAMLError } from 'yaml'
import { excerpt, MAX_EXCERPT } from './excerpt.js'
import { MAX_ROBOTS_PER_APP, USER_ID_PREFIX } from './fields.js'
import type { EntryRange, Found } from './types.js'

/**
 * Limits that keep hostile input cheap. A manifest of 20 robots nests 5 levels
 * (document, map, list, entry, value) and is a few hundred YAML tokens.
 * Deeper nesting would overflow the YAML composer's recursion (and can crash
 * V8 outright); the token cap bounds the parse at about a hundred milliseconds,
 * since yaml spends about 1–3 µs on each token.
 */
export const MAX_NESTING_DEPTH = 32
export const MAX_YAML_TOKENS = 50_000
/**
 * A manifest of 20 robots is about a hundred lines. Counting lines costs next to
 * nothing, so a file of many short lines (blank ones, tiny entries) is refused
 * before yaml spends its microseconds on each of their tokens.
 */
export const MAX_LINES = 10_000
/** Past this many YAML syntax problems the rest are summarised in one. */
export const MAX_SYNTAX_PROBLEMS = 50

export interface Syntax {
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
export function readYaml(source: string, lines: LineCounter): Syntax {
  const pastLastLine = lineStart(source, MAX_LINES + 1)
  if (pastLastLine !== -1) {
    // The problem's line and column are counted from these.
    lines.addNewLine(0)
    for (let at = source.indexOf('\n'); at !== -1 && at < pastLastLine; at = source.indexOf('\n', at + 1)) lines.addNewLine(at + 1)
    return refused(
      pastLastLine,
      `The manifest is too complex to read: it has more than ${MAX_LINES} lines (the limit is reached here), where a manifest of ${MAX_ROBOTS_PER_APP} robots needs about a hundred. Check that the manifest input points at the right file.`
    )
  }
  const parser = new Parser(lines.addNewLine)
  lines.addNewLine(0)
  const tokens: CST.Token[] = []
  const anchors: number[] = []
  let count = 0
  let scalarNext = false
  for (const lexeme of new Lexer().lex(source)) {
    const offset = parser.offset
    if (++count > MAX_YAML_TOKENS) {
      return refused(
        offset,
        `The manifest is too complex to read: it has more than ${MAX_YAML_TOKENS} YAML tokens (the limit is reached here), where a manifest of ${MAX_ROBOTS_PER_APP} robots needs about a thousand. Check that the manifest input points at the right file.`
      )
    }
    // An anchor token starts with "&"; a scalar's text (which follows the SCALAR marker) may too.
    if (!scalarNext && lexeme.startsWith('&')) anchors.push(offset)
    scalarNext = lexeme === CST.SCALAR
    for (const token of parser.next(lexeme)) tokens.push(token)
    if (parser.stack.length > MAX_NESTING_DEPTH) {
      return refused(
        offset,
        `The manifest nests values more than ${MAX_NESTING_DEPTH} levels deep (here), where a manifest needs 5: robots, its list, each robot, and its fields. Reading stopped at this point.`
      )
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
      problems.push({
        offset: parsed.range[0],
        severity: 'error',
        breaksStructure: true,
        message: 'The manifest holds a second YAML document (after ---) starting here: keep one document with one robots list.'
      })
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

/** Where line n (from 1) starts, or -1 when the text has fewer lines. */
function lineStart(source: string, n: number): number {
  let at = 0
  for (let line = 1; line < n; line++) {
    const end = source.indexOf('\n', at)
    if (end === -1) return -1
    at = end + 1
  }
  return at
}

function refused(offset: number, message: string): Syntax {
  return { document: null, problems: [{ offset, severity: 'error', message, breaksStructure: true }], structureBroken: true }
}

function anchorName(source: string, offset: number): string {
  const match = /^&[^\s,[\]{}]*/.exec(source.slice(offset, offset + 2 * MAX_EXCERPT))
  return match ? excerpt(match[0]) : '&'
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
  const detail = boundExcerpts(error.message.split('\n')[0].replace(/\.$/, ''))

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

/**
 * yaml's messages quote the source: a token in quotes ("Unexpected scalar token
 * in YAML stream: …"), a tag, a directive. The line and column already say where,
 * so a quoted token is cut to a few characters and any other long run to an excerpt.
 */
function boundExcerpts(message: string): string {
  return message
    .replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => (inner.length > 24 ? `"${inner.slice(0, 24)}…"` : whole))
    .replace(/\S{41,}/g, run => excerpt(run))
}

/** `UserID: @RBT#x  # note` → `UserID: "@RBT#x"` */
function quotedSuggestion(line: string, column: number): string {
  const before = line.slice(0, column)
  const inFlow = /[[{]/.test(before)
  const value = line
    .slice(column)
    .split(inFlow ? /\s#|[,\]}]/ : /\s#/)[0]
    .trimEnd()
  if (value.length === 0 || value.length > MAX_EXCERPT) return `UserID: "${USER_ID_PREFIX}x"`
  const keyPart = inFlow ? before.slice(Math.max(before.lastIndexOf('{'), before.lastIndexOf('['), before.lastIndexOf(',')) + 1) : before
  const key = /^([^\s:#][^:#]*?)\s*:\s*$/.exec(keyPart.replace(/^\s*(?:-\s+)*/, ''))?.[1]
  const quoted = JSON.stringify(value)
  return key === undefined || key.length > MAX_EXCERPT ? quoted : `${key}: ${quoted}`
}

/** A syntax problem inside an entry that does not disturb the structure belongs to that entry. */
export function attachToEntries(problems: Found[], ranges: EntryRange[]): void {
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

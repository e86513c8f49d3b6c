/**
 * Reads a step's output the way the GitHub runner does (actions/runner:
 * ActionCommandManager.TryProcessCommand, ActionCommand.TryParseV2 and TryParse),
 * so tests can tell which workflow commands a line would start:
 *
 * - The output is split into lines at LF, CR and CRLF (StreamReader.ReadLine);
 *   stdout and stderr alike.
 * - `::name props::data` after leading white space is tried first; when it is not
 *   a registered command (or has no closing `::`), the legacy `##[name props]data`
 *   form is looked for ANYWHERE in the line.
 * - `stop-commands` pauses every command until the token it names comes back, in
 *   either form.
 *
 * The runner compares strings with .NET's culture-sensitive IndexOf/StartsWith,
 * which skip "ignorable" characters (soft hyphen, zero-width joiners, NUL…). This
 * reader removes default-ignorable and control characters before matching, so it
 * finds every command the runner could see, whichever comparison it uses.
 */

export interface WorkflowCommand {
  form: 'v2' | 'legacy'
  command: string
  properties: Record<string, string>
  data: string
  /** The whole line, as printed. */
  line: string
  stream: 'stdout' | 'stderr'
}

/** The runner's registered commands (Runner.Worker extensions), plus stop-commands. */
export const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
]

/** What .NET's char.IsWhiteSpace counts, for TrimStart. */
const DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u
/** What a culture-sensitive comparison may skip; tab stays (it is white space, not ignorable). */
const IGNORABLE = /(?!\t)[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu

export function parseWorkflowCommands(stdout: string, stderr = ''): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  const registered = new Set(REGISTERED)
  let stopToken: string | null = null
  const streams = [
    ['stdout', stdout],
    ['stderr', stderr]
  ] as const
  for (const [stream, text] of streams) {
    for (const line of text.split(/\r\n|\r|\n/)) {
      const parsed = parseLine(line, registered)
      if (!parsed) continue
      if (stopToken !== null) {
        if (parsed.command.toLowerCase() === stopToken.toLowerCase()) {
          registered.delete(stopToken.toLowerCase())
          stopToken = null
        }
        continue
      }
      const command = { ...parsed, line, stream }
      commands.push(command)
      if (parsed.command.toLowerCase() === 'stop-commands') {
        stopToken = parsed.data
        registered.add(stopToken.toLowerCase())
      }
    }
  }
  return commands
}

export type ParsedLine = Pick<WorkflowCommand, 'form' | 'command' | 'properties' | 'data'>
type Parsed = ParsedLine

/** The workflow command one line starts, if any, given the commands registered (lower case). */
export function parseLine(raw: string, registered: ReadonlySet<string>): Parsed | null {
  const line = raw.replace(IGNORABLE, '')
  return parseV2(line, registered) ?? parseLegacy(line, registered)
}

function parseV2(line: string, registered: ReadonlySet<string>): Parsed | null {
  const message = line.replace(DOTNET_LEADING_SPACE, '')
  if (!message.startsWith('::')) return null
  const end = message.indexOf('::', 2)
  if (end < 0) return null
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return null
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const at = pair.indexOf('=')
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescape(pair.slice(at + 1), PROPERTY_ESCAPES)
    }
  }
  return { form: 'v2', command, properties, data: unescape(message.slice(end + 2), DATA_ESCAPES) }
}

function parseLegacy(line: string, registered: ReadonlySet<string>): Parsed | null {
  const prefix = line.indexOf('##[')
  if (prefix < 0) return null
  const close = line.indexOf(']', prefix)
  if (close < 0) return null
  const info = line.slice(prefix + 3, close)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return null
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const at = pair.indexOf('=')
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescape(pair.slice(at + 1), LEGACY_ESCAPES)
    }
  }
  return { form: 'legacy', command, properties, data: unescape(line.slice(close + 1), LEGACY_ESCAPES) }
}

/** The runner's escape tables, in the order it undoes them. */
const DATA_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%']
]
const PROPERTY_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%']
]
const LEGACY_ESCAPES: Array<[string, string]> = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%']
]

function unescape(text: string, table: Array<[string, string]>): string {
  let out = text
  for (const [escaped, token] of table) out = out.split(escaped).join(token)
  return out
}

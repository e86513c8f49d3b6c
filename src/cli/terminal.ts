import { Redactor } from '../redact.js'
import { noWorkflowCommand } from '../report/escape.js'

/**
 * The terminal: the CLI's output channel, with its own grammar. Text from
 * outside (a Nick from the app, a vendor's ErrorInfo, a manifest value) could
 * carry escape sequences that recolour the screen, rewrite the title, move the
 * cursor over earlier lines or reorder text (bidi controls): every control
 * character is shown as a visible escape instead, at this edge, for every line.
 * Colour is ours alone: only on a terminal (or with FORCE_COLOR), never with NO_COLOR.
 */

/** C0 and C1 controls (tab and line feed kept where a layout allows them), DEL, and the bidi and zero-width format characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_IN_CELL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g

const visible = (c: string): string => {
  if (c === '\n') return '\\n'
  if (c === '\t') return '\\t'
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** Text as it may be shown: line feeds and tabs kept, every other control character made visible. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible)
}

/** One table cell or one line: line feeds and tabs made visible too. */
export function cellSafe(text: string): string {
  return text.replace(UNSAFE_IN_CELL, visible)
}

/**
 * The CLI may run inside a GitHub Actions job (npx, pre-commit), where the runner reads
 * its stdout and stderr for workflow commands: no line it writes may start one.
 */
function noWorkflowCommands(text: string): string {
  return text.split('\n').map(noWorkflowCommand).join('\n')
}

export type Style = 'red' | 'yellow' | 'green' | 'cyan' | 'bold' | 'dim'
const SGR: Record<Style, [number, number]> = { red: [31, 39], yellow: [33, 39], green: [32, 39], cyan: [36, 39], bold: [1, 22], dim: [2, 22] }

export interface OutputStream {
  write(text: string): unknown
  isTTY?: boolean
}

/**
 * FORCE_COLOR decides when it is set at all, exactly as Node's own tty.getColorDepth reads it:
 * empty, 1, true, 2 or 3 turn colour on, terminal or not (a CI log that shows colours), anything
 * else off. Otherwise colour only on a terminal, never with NO_COLOR set and not empty
 * (https://no-color.org), nor on a dumb one.
 */
export function wantsColour(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return ['', '1', 'true', '2', '3'].includes(env.FORCE_COLOR)
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

export class Terminal {
  /** The action's own redaction: a masked value, its encodings and its pieces (redact.ts). */
  private readonly redactor = new Redactor()

  constructor(
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
    private readonly colour: { out: boolean; err: boolean }
  ) {}

  /** A value to replace with *** wherever it would show (what core.setSecret is to the runner). */
  mask(secret: string): void {
    this.redactor.add(secret)
  }

  /** Every secret, and every piece of one, replaced with ***. */
  redact(text: string): string {
    return this.redactor.redact(text)
  }

  /** Secrets out, control characters visible: what any text from the run becomes before it is written. */
  clean(text: string): string {
    return terminalSafe(this.redact(text))
  }

  paint(stream: 'out' | 'err', style: Style, text: string): string {
    if (!this.colour[stream]) return text
    const [on, off] = SGR[style]
    return `\u001b[${on}m${text}\u001b[${off}m`
  }

  /** Writes lines already cleaned (and painted) to stdout. */
  out(text: string): void {
    this.stdout.write(`${noWorkflowCommands(text)}\n`)
  }

  /** Writes lines already cleaned (and painted) to stderr. */
  err(text: string): void {
    this.stderr.write(`${noWorkflowCommands(text)}\n`)
  }
}

/** Columns a string takes on a terminal: wide East Asian characters and emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0
    if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd) ||
      (code >= 0x2600 && code <= 0x27bf)
    width += wide ? 2 : 1
  }
  return width
}

/** Cuts a cell to at most `max` columns, marking the cut. */
export function fit(text: string, max: number): string {
  if (displayWidth(text) <= max) return text
  let out = ''
  for (const c of text) {
    if (displayWidth(out + c) > max - 1) break
    out += c
  }
  return `${out}…`
}

export interface Column {
  title: string
  max?: number
  /** Colour of a cell, by its text. */
  style?: (cell: string) => Style | null
}

/** A plain text table: a header, then one line per row, columns padded to their widest cell. */
export function renderTable(terminal: Terminal, columns: Column[], rows: string[][]): string[] {
  const cells = rows.map(row => row.map((cell, i) => fit(cellSafe(terminal.redact(cell)), columns[i].max ?? 200)))
  const widths = columns.map((column, i) => Math.max(displayWidth(column.title), ...cells.map(row => displayWidth(row[i]))))
  const pad = (text: string, i: number): string => (i === columns.length - 1 ? text : text + ' '.repeat(widths[i] - displayWidth(text)))
  const header = columns.map((column, i) => terminal.paint('out', 'bold', pad(column.title, i))).join('  ')
  const body = cells.map(row =>
    row
      .map((cell, i) => {
        const style = columns[i].style?.(cell)
        return style ? terminal.paint('out', style, pad(cell, i)) : pad(cell, i)
      })
      .join('  ')
      .trimEnd()
  )
  return [header.trimEnd(), ...body]
}

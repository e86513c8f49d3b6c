/**
 * The CLI's implementation of ActionCore: the action's pipeline (src/main.ts)
 * runs unchanged, and what it hands to core lands on the terminal instead of
 * the runner. Inputs come from the command line and the environment; problems
 * are printed FILE:LINE:COL: severity: message (the form editors and
 * terminals make clickable); outputs are kept for the table or --json; the
 * job summary (HTML) is kept, not printed.
 */
import * as core from '@actions/core'
import path from 'node:path'
import type { ActionCore } from '../action-core.js'
import { inCliWords } from './args.js'
import type { Terminal } from './terminal.js'

type Summary = typeof core.summary
const SummaryBase = core.summary.constructor as new () => Summary

/** core.summary's buffer methods; write() keeps the text instead of appending to $GITHUB_STEP_SUMMARY. */
class KeptSummary extends SummaryBase {
  text = ''

  override async write(options?: { overwrite?: boolean }): Promise<Summary> {
    this.text = options?.overwrite ? this.stringify() : this.text + this.stringify()
    return this.emptyBuffer()
  }
}

export interface TerminalCoreOptions {
  inputs: Record<string, string>
  /** Where the run's workspace is, and where the user is: problems name files from the user's directory. */
  workspace: string
  cwd: string
  /** Print the log (info and debug lines); problems and warnings are always printed. */
  log: boolean
  debug: boolean
  /** Print notices ("would create") too. */
  notices: boolean
}

export interface Diagnostics {
  errors: number
  warnings: number
}

export class TerminalCore implements ActionCore {
  readonly summary: Summary = new KeptSummary()
  /** A terminal shows every problem, not GitHub's ten. */
  readonly maxAnnotations = Infinity
  readonly outputs: Record<string, string> = {}
  failure: string | null = null
  readonly diagnostics: Diagnostics = { errors: 0, warnings: 0 }

  constructor(
    private readonly terminal: Terminal,
    private readonly options: TerminalCoreOptions
  ) {}

  getInput = (name: string, options?: core.InputOptions): string => {
    const value = Object.hasOwn(this.options.inputs, name) ? this.options.inputs[name] : ''
    if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
    return options?.trimWhitespace === false ? value : value.trim()
  }

  setSecret = (secret: string): void => this.terminal.mask(secret)

  setOutput = (name: string, value: unknown): void => {
    this.outputs[name] = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value)
  }

  setFailed = (message: string | Error): void => {
    const text = message instanceof Error ? message.message : message
    this.failure = this.failure ? `${this.failure} ${text}` : text
  }

  isDebug = (): boolean => this.options.debug
  debug = (message: string): void => {
    if (this.options.debug) this.terminal.err(this.terminal.paint('err', 'dim', this.terminal.clean(`debug: ${message}`)))
  }

  info = (message: string): void => {
    if (this.options.log) this.terminal.err(this.terminal.clean(message))
  }

  notice = (message: string | Error, properties: core.AnnotationProperties = {}): void => {
    if (this.options.notices) this.diagnostic('note', message, properties)
  }

  warning = (message: string | Error, properties: core.AnnotationProperties = {}): void => {
    this.diagnostics.warnings++
    this.diagnostic('warning', message, properties)
  }

  error = (message: string | Error, properties: core.AnnotationProperties = {}): void => {
    this.diagnostics.errors++
    this.diagnostic('error', message, properties)
  }

  startGroup = (name: string): void => this.info(name)
  endGroup = (): void => {}

  /** The job summary the run wrote (HTML), for tests and --verbose; never printed as is. */
  get summaryText(): string {
    return (this.summary as KeptSummary).text
  }

  /** FILE:LINE:COL: severity: message, FILE from the user's directory. */
  private diagnostic(severity: 'error' | 'warning' | 'note', message: string | Error, properties: core.AnnotationProperties): void {
    const text = inCliWords(message instanceof Error ? message.message : message)
    const where = properties.file
      ? [this.fromCwd(properties.file), properties.startLine, properties.startLine ? (properties.startColumn ?? 1) : undefined]
          .filter(part => part !== undefined)
          .join(':') + ': '
      : ''
    const style = severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'cyan'
    const label = this.terminal.paint('err', style, `${severity}:`)
    this.terminal.err(`${this.terminal.clean(where)}${label} ${this.terminal.clean(text)}`)
  }

  private fromCwd(file: string): string {
    const relative = path.relative(this.options.cwd, path.resolve(this.options.workspace, file))
    return relative ? relative.split(path.sep).join('/') : file
  }
}

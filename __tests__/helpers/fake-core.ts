import * as core from '@actions/core'
import { parseLine, REGISTERED } from '../../emulator/workflow-commands.js'
import type { ActionCore } from '../../src/action-core.js'

/**
 * A recording stand-in for @actions/core, with core's own semantics, so
 * inputs, reporting, apply and the whole run can be tested in-process:
 *
 * - getInput reads INPUT_<NAME> from the step's environment as core does
 *   (spaces → _, upper case, trimmed, `required` throws);
 * - the logging calls write to `stdout` exactly what core writes to the
 *   process's stdout (workflow commands with core's escaping);
 * - setOutput records what core would append to $GITHUB_OUTPUT, setFailed sets
 *   the exit code and logs an error, the summary keeps core's buffer methods and
 *   writes to memory instead of $GITHUB_STEP_SUMMARY;
 * - `runnerView()` reads `stdout` the way the GitHub runner does: it runs the
 *   workflow commands (add-mask, annotations, stop-commands…) and masks every
 *   registered secret in the lines it shows from then on.
 *
 * The fake's agreement with the real @actions/core is checked in fake-core.test.ts.
 */

type Summary = typeof core.summary
const SummaryBase = core.summary.constructor as new () => Summary

export interface FakeCoreOptions {
  /** The step's environment: INPUT_* (see `inputEnv`), RUNNER_DEBUG and the like. */
  env?: Record<string, string | undefined>
  /** setOutput throws, as core does when $GITHUB_OUTPUT cannot be written. */
  outputsFail?: boolean
  /** summary.write() rejects, as core does when $GITHUB_STEP_SUMMARY cannot be written. */
  summaryFails?: boolean
}

export interface RunnerAnnotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title?: string
  file?: string
  line?: number
  endLine?: number
  col?: number
  endColumn?: number
}

export interface RunnerView {
  /** The log lines a person sees, secrets masked; debug lines only with RUNNER_DEBUG=1. */
  log: string[]
  /** Annotations as the runner records them, secrets masked. */
  annotations: RunnerAnnotation[]
  /** Every value registered with add-mask, in order. */
  masks: string[]
}

/** The environment variables the runner sets for a step's inputs (hyphens kept). */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]))
}

/** core.summary's own buffer methods; write() appends to the recording instead of a file. */
class RecordingSummary extends SummaryBase {
  constructor(private readonly sink: { text: string; fails: boolean }) {
    super()
  }

  override async write(options?: { overwrite?: boolean }): Promise<Summary> {
    // core's message when the file is missing or not writable.
    if (this.sink.fails) throw new Error("Unable to access summary file: '/runner/_temp/step_summary'. Check if the file has correct read/write permissions.")
    const text = this.stringify()
    this.sink.text = options?.overwrite ? text : this.sink.text + text
    return this.emptyBuffer()
  }
}

export class FakeCore implements ActionCore {
  /** What core would have written to the process's stdout. */
  stdout = ''
  /** The step's outputs, as the runner reads them from $GITHUB_OUTPUT. */
  readonly outputs: Record<string, string> = {}
  /** process.exitCode as core leaves it: 1 after setFailed. */
  exitCode: number | undefined
  readonly summary: Summary
  private readonly env: Record<string, string | undefined>
  private readonly outputsFail: boolean
  private readonly summarySink: { text: string; fails: boolean }

  constructor(options: FakeCoreOptions = {}) {
    this.env = { ...options.env }
    this.outputsFail = options.outputsFail ?? false
    this.summarySink = { text: '', fails: options.summaryFails ?? false }
    this.summary = new RecordingSummary(this.summarySink)
  }

  /** The job summary as written so far. */
  get summaryText(): string {
    return this.summarySink.text
  }

  getInput = (name: string, options?: core.InputOptions): string => {
    const value = this.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || ''
    if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
    return options?.trimWhitespace === false ? value : value.trim()
  }

  setSecret = (secret: string): void => this.command('add-mask', {}, secret)

  setOutput = (name: string, value: unknown): void => {
    if (this.outputsFail) throw new Error("EISDIR: illegal operation on a directory, open '/runner/_temp/output'")
    this.outputs[name] = toCommandValue(value)
  }

  setFailed = (message: string | Error): void => {
    this.exitCode = 1
    this.error(message)
  }

  isDebug = (): boolean => this.env.RUNNER_DEBUG === '1'
  debug = (message: string): void => this.command('debug', {}, message)
  info = (message: string): void => {
    this.stdout += `${message}\n`
  }

  notice = (message: string | Error, properties: core.AnnotationProperties = {}): void => this.annotate('notice', message, properties)
  warning = (message: string | Error, properties: core.AnnotationProperties = {}): void => this.annotate('warning', message, properties)
  error = (message: string | Error, properties: core.AnnotationProperties = {}): void => this.annotate('error', message, properties)
  startGroup = (name: string): void => this.command('group', {}, name)
  endGroup = (): void => this.command('endgroup', {}, '')

  /** The step's log as the runner shows it, and what it made of the commands. */
  runnerView(): RunnerView {
    return readAsRunner(this.stdout, this.env.RUNNER_DEBUG === '1')
  }

  private annotate(level: RunnerAnnotation['level'], message: string | Error, properties: core.AnnotationProperties): void {
    const props =
      Object.keys(properties).length === 0
        ? {}
        : {
            title: properties.title,
            file: properties.file,
            line: properties.startLine,
            endLine: properties.endLine,
            col: properties.startColumn,
            endColumn: properties.endColumn
          }
    this.command(level, props, message instanceof Error ? message.toString() : message)
  }

  /** core's issueCommand: `::name k=v,k=v::data`, with core's escaping. */
  private command(name: string, properties: Record<string, unknown>, message: unknown): void {
    const props = Object.entries(properties)
      .filter(([, value]) => value)
      .map(([key, value]) => `${key}=${escapeProperty(value)}`)
      .join(',')
    this.stdout += `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}\n`
  }
}

function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return ''
  if (typeof input === 'string' || input instanceof String) return String(input)
  return JSON.stringify(input)
}

function escapeData(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * Replaces every registered secret with ***, as the runner's secret masker
 * does: overlapping matches merge into one. Only the values themselves: the
 * runner also masks some encodings of them, which a test should not rely on.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const ranges: Array<[number, number]> = []
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) ranges.push([at, at + secret.length])
  }
  if (ranges.length === 0) return text
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let done = 0
  let [start, end] = ranges[0]
  for (const [s, e] of [...ranges.slice(1), [Infinity, Infinity] as [number, number]]) {
    if (s <= end) {
      end = Math.max(end, e)
      continue
    }
    out += text.slice(done, start) + '***'
    done = end
    ;[start, end] = [s, e]
  }
  return out + text.slice(done)
}

/**
 * Reads a step's stdout as the runner does, line by line, in order: which line
 * starts which command is emulator/workflow-commands.ts's reading of the runner;
 * this adds what the runner then shows.
 */
export function readAsRunner(stdout: string, debug: boolean): RunnerView {
  const view: RunnerView = { log: [], annotations: [], masks: [] }
  const registered = new Set(REGISTERED)
  let stopToken: string | null = null
  const lines = stdout.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/)
  for (const line of lines) {
    const show = (text: string): void => {
      view.log.push(maskSecrets(text, view.masks))
    }
    const command = parseLine(line, registered)
    const name = command?.command.toLowerCase()
    if (stopToken !== null) {
      // Commands are off until the token comes back as a command of its own.
      if (name === stopToken) {
        registered.delete(stopToken)
        stopToken = null
      }
      show(line)
      continue
    }
    if (!command) {
      show(line)
      continue
    }
    switch (name) {
      case 'add-mask':
        if (command.data.trim() === '') show("Warning: Can't add secret mask for empty string in ##[add-mask] command.")
        else view.masks.push(command.data)
        break
      case 'stop-commands':
        stopToken = command.data.toLowerCase()
        registered.add(stopToken)
        show(line)
        break
      case 'debug':
        if (debug) show(`##[debug]${command.data}`)
        break
      case 'error':
      case 'warning':
      case 'notice': {
        const p = command.properties
        const number = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value))
        const annotation: RunnerAnnotation = { level: name, message: maskSecrets(command.data, view.masks) }
        if (p.title !== undefined) annotation.title = maskSecrets(p.title, view.masks)
        if (p.file !== undefined) annotation.file = p.file
        if (p.line !== undefined) annotation.line = number(p.line)
        if (p.endLine !== undefined) annotation.endLine = number(p.endLine)
        if (p.col !== undefined) annotation.col = number(p.col)
        if (p.endColumn !== undefined) annotation.endColumn = number(p.endColumn)
        view.annotations.push(annotation)
        show(`${name === 'notice' ? 'Notice' : name === 'error' ? 'Error' : 'Warning'}: ${command.data}`)
        break
      }
      case 'group':
        show(`▸ ${command.data}`)
        break
      default:
        // endgroup, or a command the runner acts on (outputs, state, env, path, matchers): not a log line.
        break
    }
  }
  return view
}

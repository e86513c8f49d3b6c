import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { TEST_TIMING_ENV } from '../src/constants.js'
import { parseWorkflowCommands, type WorkflowCommand } from './workflow-commands.js'

/**
 * Runs the built action (dist/index.js) the way the GitHub runner does: inputs
 * as INPUT_<NAME> with hyphens kept and action.yml defaults filled in, the
 * workspace as cwd, and the step summary and outputs as files.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist', 'index.js')

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  file?: string
  line?: number
  col?: number
}

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  annotations: Annotation[]
  /** Every workflow command the runner would act on, in either form (see workflow-commands.ts). */
  commands: WorkflowCommand[]
  /** Log lines as a person sees them (workflow commands removed). */
  log: string
  /** When the process was started, ms since the epoch, and how long it ran until it closed. */
  startedAt: number
  durationMs: number
  workspace: string
}

export interface RunOptions {
  inputs?: Record<string, string>
  /** Files to write into a fresh workspace, by relative path. */
  files?: Record<string, string | Buffer>
  /** Use this workspace instead of a fresh one. */
  workspace?: string
  env?: Record<string, string>
  timeoutMs?: number
  /** The Node binary to run it with; the one running this process by default. */
  node?: string
  /** A script to run instead of dist/index.js (the bench's floor). */
  entry?: string
  /** Called once the action is started, e.g. to send it a signal as the runner does on cancel. */
  whileRunning?: (child: ChildProcess) => void | Promise<void>
}

interface ActionYml {
  inputs: Record<string, { default?: string }>
}

/**
 * The waits the harness gives the action (src/constants.ts TEST_TIMING_ENV):
 * backoffs of a few milliseconds, so no test waits out a real backoff. The
 * attempt timeout stays at its production value unless a test shortens it.
 */
export const TEST_TIMING = { backoffBaseMs: 1, backoffCapMs: 20 }

/** The environment variable that sets the action's test timing; `overrides` such as { timeoutMs: 1500 }. */
export function testTimingEnv(overrides: Record<string, number> = {}): Record<string, string> {
  return { [TEST_TIMING_ENV]: JSON.stringify({ ...TEST_TIMING, ...overrides }) }
}

/** The action's own waits, unshortened: for tests of real-time pacing against the emulator. */
export const PRODUCTION_TIMING_ENV: Record<string, string> = { [TEST_TIMING_ENV]: '' }

let defaults: Record<string, string> | undefined
/** action.yml's input defaults, as the runner fills them in for inputs a workflow leaves out. */
export async function actionDefaults(): Promise<Record<string, string>> {
  if (!defaults) {
    const yml = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionYml
    defaults = {}
    for (const [name, spec] of Object.entries(yml.inputs)) {
      // The runner evaluates expressions in defaults; the only one is github.token.
      defaults[name] = spec.default === '${{ github.token }}' ? '' : (spec.default ?? '')
    }
  }
  return defaults
}

export async function makeWorkspace(files: Record<string, string | Buffer> = {}): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'ccr-ws-'))
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true })
    await writeFile(join(workspace, path), content)
  }
  return workspace
}

export async function runAction(options: RunOptions = {}): Promise<ActionRun> {
  const workspace = options.workspace ?? (await makeWorkspace(options.files))
  if (options.workspace && options.files) {
    for (const [path, content] of Object.entries(options.files)) await writeFile(join(workspace, path), content)
  }
  const runnerTemp = await mkdtemp(join(tmpdir(), 'ccr-runner-'))
  const summaryFile = join(runnerTemp, 'step_summary')
  const outputFile = join(runnerTemp, 'output')
  await writeFile(summaryFile, '')
  await writeFile(outputFile, '')

  const inputs = { ...(await actionDefaults()), ...(options.inputs ?? {}) }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/robots',
    RUNNER_TEMP: runnerTemp,
    ...testTimingEnv(),
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const started = Date.now()
  const child = spawn(options.node ?? process.execPath, [options.entry ?? DIST], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  const closed = new Promise<number | null>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the action did not finish within ${options.timeoutMs ?? 45000} ms\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 45000)
    child.on('close', code => {
      clearTimeout(timer)
      resolvePromise(code)
    })
  })
  try {
    await options.whileRunning?.(child)
  } catch (error) {
    child.kill('SIGKILL')
    await closed.catch(() => null)
    throw error
  }
  const exitCode = await closed
  const durationMs = Date.now() - started
  const commands = parseWorkflowCommands(stdout, stderr)
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    summary: await readFile(summaryFile, 'utf8').catch(() => ''),
    outputs: parseOutputs(await readFile(outputFile, 'utf8').catch(() => '')),
    annotations: annotationsOf(commands),
    commands,
    log: stdout
      .split('\n')
      .filter(line => !line.startsWith('::'))
      .join('\n'),
    startedAt: started,
    durationMs,
    workspace
  }
  // Everything is read: leave no temporary folders behind (a workspace passed in is the caller's).
  await rm(runnerTemp, { recursive: true, force: true })
  if (!options.workspace) await rm(workspace, { recursive: true, force: true })
  return run
}

/** The runner's GITHUB_OUTPUT format: name<<DELIMITER, value lines, DELIMITER. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (match) {
      const [, name, delimiter] = match
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

/** The annotations the runner would raise from this output. */
export function parseAnnotations(stdout: string): Annotation[] {
  return annotationsOf(parseWorkflowCommands(stdout))
}

/** The annotations the runner would raise: its error, warning and notice commands, in either form. */
export function annotationsOf(commands: WorkflowCommand[]): Annotation[] {
  return commands
    .filter(c => ['error', 'warning', 'notice'].includes(c.command.toLowerCase()))
    .map(c => {
      const annotation: Annotation = { level: c.command.toLowerCase() as Annotation['level'], message: c.data }
      if (c.properties.file !== undefined) annotation.file = c.properties.file
      if (c.properties.line !== undefined) annotation.line = Number(c.properties.line)
      if (c.properties.col !== undefined) annotation.col = Number(c.properties.col)
      return annotation
    })
}

export function results(run: ActionRun): Array<Record<string, unknown>> {
  return JSON.parse(run.outputs.results ?? 'null') as Array<Record<string, unknown>>
}

/**
 * The leak scan: no secret in anything a person or a later step can read, in any
 * percent-encoding (either case of hex, nested like %252A, `+` for space), as a JSON
 * \\u escape or an HTML character reference. `::add-mask::` lines are the runner's own
 * command and never shown. `more` is other text the action published (PR comment bodies).
 */
export function findLeaks(run: ActionRun, secrets: string[], more: string[] = []): string[] {
  const visible = shownText(run, more)
  return leaksIn(visible, secrets)
}

export function leaksIn(text: string, secrets: string[]): string[] {
  const readings = readingsOf(text)
  const leaks: string[] = []
  for (const secret of secrets.filter(s => s.length >= 8)) {
    if (readings.some(reading => reading.includes(secret))) leaks.push(secret.slice(0, 6) + '…')
  }
  return leaks
}

/** The text as each decoder would read it back, percent-decoding repeatedly (a URL inside a URL). */
export function readingsOf(text: string): string[] {
  const readings = [text, decodeReferences(text)]
  let decoded = text
  for (let depth = 0; depth < 4; depth++) {
    decoded = decoded.replace(/(?:%[0-9a-fA-F]{2})+/g, run => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'))
    readings.push(decoded, decoded.replace(/\+/g, ' '))
  }
  return readings
}

function decodeReferences(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#[xX]([0-9a-fA-F]+);/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
}

/**
 * Everything a person or a later step can read of a run: the log (its ::add-mask::
 * lines are the runner's and never shown), stderr, the summary, the outputs, and
 * `more` (e.g. PR comment bodies).
 */
export function shownText(run: ActionRun, more: string[] = []): string {
  return [
    run.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
    ...more
  ].join('\n')
}

/** The messages of the error annotations the runner would raise, one a line. */
export function errorText(run: Pick<ActionRun, 'annotations'>): string {
  return run.annotations
    .filter(a => a.level === 'error')
    .map(a => a.message)
    .join('\n')
}

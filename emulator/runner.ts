import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { TEST_TIMING_ENV } from '../src/constants.js'

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
  /** Log lines as a person sees them (workflow commands removed). */
  log: string
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
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    summary: await readFile(summaryFile, 'utf8').catch(() => ''),
    outputs: parseOutputs(await readFile(outputFile, 'utf8').catch(() => '')),
    annotations: parseAnnotations(stdout),
    log: stdout.split('\n').filter(line => !line.startsWith('::')).join('\n'),
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

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = []
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!match) continue
    const [, level, props, message] = match
    const annotation: Annotation = { level: level as Annotation['level'], message: unescapeData(message) }
    for (const pair of (props ?? '').split(',').filter(Boolean)) {
      const at = pair.indexOf('=')
      const key = pair.slice(0, at)
      const value = unescapeProperty(pair.slice(at + 1))
      if (key === 'file') annotation.file = value
      if (key === 'line') annotation.line = Number(value)
      if (key === 'col') annotation.col = Number(value)
    }
    annotations.push(annotation)
  }
  return annotations
}

export function results(run: ActionRun): Array<Record<string, unknown>> {
  return JSON.parse(run.outputs.results ?? 'null') as Array<Record<string, unknown>>
}

/**
 * The leak scan: no secret, raw or URL-encoded, in anything a person or a later
 * step can read. `::add-mask::` lines are the runner's own command and never shown.
 */
export function findLeaks(run: ActionRun, secrets: string[]): string[] {
  const visible = [
    run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::')).join('\n'),
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs)
  ].join('\n')
  const leaks: string[] = []
  for (const secret of secrets.filter(s => s.length >= 8)) {
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) {
      if (visible.includes(form)) leaks.push(form.slice(0, 6) + '…')
    }
  }
  return leaks
}

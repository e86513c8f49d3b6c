/**
 * A command of the CLI, start to end: the command line → the action's inputs
 * → the action's own run (src/main.ts) with the terminal as its core → the
 * results as a table, or as the action's results JSON.
 */
import path from 'node:path'
import type { Cancellation } from '../cancel.js'
import { Input } from '../constants.js'
import { InputError, readSettings } from '../inputs.js'
import { run } from '../main.js'
import type { ResultEntry } from '../report/types.js'
import { ENV, inCliWords, parseCommandLine, type Command } from './args.js'
import { TerminalCore } from './terminal-core.js'
import { Terminal, renderTable, wantsColour, type OutputStream, type Style } from './terminal.js'

export interface CliIo {
  stdout: OutputStream
  stderr: OutputStream
  cwd: string
  /** Ctrl-C: the run stops as a cancelled job does, and still reports every robot. */
  cancellation?: Cancellation | null
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const terminal = new Terminal(io.stdout, io.stderr, { out: wantsColour(io.stdout, env), err: wantsColour(io.stderr, env) })
  for (const name of [ENV.secretKey, ENV.usersig]) terminal.mask(env[name] ?? '')
  const usageError = (message: string): number => {
    terminal.err(`create-chat-robots: ${terminal.paint('err', 'red', 'error:')} ${terminal.clean(message)}`)
    return EXIT.usage
  }

  const parsed = parseCommandLine(argv)
  if (parsed.kind === 'help') {
    terminal.out(parsed.text)
    return EXIT.ok
  }
  if (parsed.kind === 'usage-error') return usageError(parsed.message)
  const command = parsed.command
  if (command.name !== 'validate' && (!env[ENV.sdkappid] || (!env[ENV.secretKey] && !env[ENV.usersig]))) {
    return usageError(
      `${command.name} reads the app, so it needs the app's credentials in the environment: set ${ENV.sdkappid} and ${ENV.secretKey} (or ${ENV.usersig}). They are never taken from a flag.`
    )
  }

  let exit: number = EXIT.ok
  for (const manifest of command.name === 'export' ? ['robots.yaml'] : command.manifests) {
    if (io.cancellation?.stop.aborted) break
    const { workspace, manifestPath } = locate(io.cwd, manifest)
    const runEnv: NodeJS.ProcessEnv = { ...env, GITHUB_WORKSPACE: workspace }
    const core = new TerminalCore(terminal, {
      inputs: inputsFor(command, env, manifestPath),
      workspace,
      cwd: io.cwd,
      log: command.verbose || command.name !== 'validate',
      debug: command.verbose,
      // The table says what each robot would have done; the notices on the manifest's lines only with --verbose.
      notices: command.verbose
    })
    // A wrong flag value is a usage error: the run's own reading of its inputs, done first.
    try {
      readSettings(core, runEnv)
    } catch (error) {
      if (error instanceof InputError) return usageError(inCliWords(error.message))
      throw error
    }
    await run(core, runEnv, io.cancellation ?? null)
    if (command.json) terminal.out(jsonSafe(terminal.redact(core.outputs.results ?? '[]')))
    else if (command.name === 'validate') verdict(terminal, core, manifest)
    else showResults(terminal, core, command)
    if (core.failure !== null) exit = EXIT.failed
  }
  return exit
}

/** The manifest from the user's directory: inside it, that is the workspace; elsewhere, its own folder is. */
function locate(cwd: string, manifest: string): { workspace: string; manifestPath: string } {
  const absolute = path.resolve(cwd, manifest)
  const relative = path.relative(cwd, absolute)
  if (relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) {
    return { workspace: cwd, manifestPath: relative.split(path.sep).join('/') }
  }
  return { workspace: path.dirname(absolute), manifestPath: path.basename(absolute) }
}

/** What action.yml's inputs would be for this command: flags first, then the environment. */
function inputsFor(command: Command, env: NodeJS.ProcessEnv, manifestPath: string): Record<string, string> {
  const offline = command.name === 'validate'
  const fromEnv = (name: string): string => (offline ? '' : (env[name] ?? ''))
  return {
    [Input.manifest]: manifestPath,
    [Input.sdkappid]: fromEnv(ENV.sdkappid),
    [Input.secretKey]: fromEnv(ENV.secretKey),
    [Input.usersig]: fromEnv(ENV.usersig),
    [Input.identifier]: fromEnv(ENV.identifier),
    [Input.region]: command.region ?? fromEnv(ENV.region),
    // A flag wins over the environment: --region sets aside an endpoint from it.
    [Input.endpoint]: command.endpoint ?? (command.region !== null ? '' : fromEnv(ENV.endpoint)),
    [Input.dryRun]: String(command.name !== 'apply'),
    [Input.maxAttempts]: command.maxAttempts ?? '',
    [Input.prune]: String(command.prune),
    [Input.comment]: 'false',
    [Input.githubToken]: '',
    [Input.expectNoChanges]: String(command.expectNoChanges),
    [Input.export]: command.exportPath ?? ''
  }
}

/**
 * JSON as the action outputs it, with the characters a terminal acts on (C1
 * controls, DEL, line and paragraph separators, bidi controls) written as
 * \u escapes: the same JSON value, nothing for a terminal to obey.
 */
function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function results(core: TerminalCore): ResultEntry[] {
  try {
    const parsed: unknown = JSON.parse(core.outputs.results ?? '[]')
    return Array.isArray(parsed) ? (parsed as ResultEntry[]) : []
  } catch {
    return []
  }
}

const STATUS_STYLE: Record<string, Style> = { ok: 'green', failed: 'red', skipped: 'yellow', invalid: 'red' }

/** The table of what became of each robot, and a last line that says what the run did. */
function showResults(terminal: Terminal, core: TerminalCore, command: Command): void {
  const rows = results(core).map(r => [
    r.UserID ?? '(no UserID)',
    r.action,
    r.status,
    r.changes?.length
      ? r.changes.map(c => `${c.field}: ${c.from === null ? '(not set)' : JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')
      : r.status === 'ok'
        ? ''
        : `${r.ErrorCode !== null && r.ErrorCode !== 0 ? `${r.ErrorCode} ` : ''}${r.ErrorInfo}`
  ])
  if (rows.length > 0) {
    terminal.out('')
    for (const line of renderTable(
      terminal,
      [{ title: 'UserID', max: 40 }, { title: 'Action' }, { title: 'Result', style: cell => STATUS_STYLE[cell] ?? null }, { title: 'Detail', max: 120 }],
      rows
    ))
      terminal.out(line)
    terminal.out('')
  }
  const changes = core.outputs.changes ?? ''
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`
  if (core.failure !== null) {
    terminal.err(`${terminal.paint('err', 'red', 'error:')} ${terminal.clean(inCliWords(core.failure))}`)
  } else if (command.name === 'apply') {
    terminal.out(terminal.paint('out', 'green', `Applied: ${count(Number(changes), 'writing call')} made.`))
  } else if (command.name === 'export') {
    terminal.out(
      terminal.paint(
        'out',
        'green',
        `Exported ${count(rows.length, 'robot')} to ${terminal.clean(command.exportPath ?? '')}; planned against the app: no changes.`
      )
    )
  } else if (changes === '0') {
    terminal.out(terminal.paint('out', 'green', 'No changes: the app matches the manifest.'))
  } else if (changes !== '') {
    terminal.out(`Plan: ${count(Number(changes), 'change')} to make; nothing written. Run apply to make them.`)
  }
}

/** validate: the problems were printed as they came; one line says how it went. */
function verdict(terminal: Terminal, core: TerminalCore, manifest: string): void {
  const { errors, warnings } = core.diagnostics
  // A failure with no problem on a line (no such file, not UTF-8…) is said here.
  if (core.failure !== null && errors === 0) terminal.err(`${terminal.paint('err', 'red', 'error:')} ${terminal.clean(inCliWords(core.failure))}`)
  const all = results(core)
  const retired = all.filter(entry => entry.retired).length
  const entries = all.length - retired
  const counted = [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`]
    .filter(Boolean)
    .join(', ')
  const line =
    core.failure === null
      ? `${manifest}: valid, ${entries} robot${entries === 1 ? '' : 's'}${retired ? `, ${retired} retired` : ''}${counted ? ` (${counted})` : ''}.`
      : `${manifest}: ${counted || 'not valid'}.`
  terminal.out(terminal.paint('out', core.failure === null ? 'green' : 'red', terminal.clean(line)))
}

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './runner.js'

/**
 * Runs the command line as a user does: the file package.json's bin names
 * (dist/, committed), started by its own #! line, in a directory of the user's.
 */

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
export const BIN = join(ROOT, packageJson.bin['create-chat-robots'])

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd: string
  /** Added to a clean environment (PATH and HOME only): no credential leaks in from the test's own. */
  env?: Record<string, string>
  /** Run on a pseudo-terminal (util-linux `script`), as in an interactive shell: stdout and stderr arrive together. */
  tty?: boolean
  timeoutMs?: number
  /** Called once the process has started, e.g. to send it a signal (Ctrl-C is SIGINT). */
  whileRunning?: (child: ChildProcess) => Promise<void>
}

export async function runCli(args: string[], options: CliOptions): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env }
  const quoted = [BIN, ...args].map(arg => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = options.tty
    ? spawn('script', ['--quiet', '--return', '--command', quoted, '/dev/null'], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(BIN, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  const running = options.whileRunning?.(child)
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`create-chat-robots ${args.join(' ')} did not finish within ${options.timeoutMs ?? 45000} ms\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 45000)
    child.on('close', code => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  await running
  return { exitCode, stdout, stderr }
}

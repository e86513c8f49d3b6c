import { runCli as runCommandLine } from '../../src/cli/run.js'
import { Cancellation } from '../../src/cancel.js'
import type { CliRun } from '../../emulator/cli-runner.js'

/**
 * The command line in this process: src/cli/run.ts's runCli, the function the
 * bin (src/cli.ts) hands its argv, environment and streams to, here given
 * recording streams and only the environment the test names. What a user's
 * shell adds around it (the #! line, a clean environment, a terminal, Ctrl-C
 * as a real signal) is what __tests__/e2e/cli.test.ts runs on dist/cli.js.
 */

export interface CliRunOptions {
  cwd: string
  /** The whole environment the command sees. */
  env?: Record<string, string>
  /**
   * A terminal, as `script` gives the built bin in the e2e tests: both streams
   * say isTTY, and both land on the one screen (stdout here), with line feeds
   * as the terminal's line discipline writes them (\r\n).
   */
  tty?: boolean
  /** Ctrl-C once this holds: the run is told as the bin's signal handler tells it. */
  interruptWhen?: () => boolean
}

export type CliRunner = (args: string[], options: CliRunOptions) => Promise<CliRun>

export const runCliInProcess: CliRunner = async (args, options) => {
  let stdout = ''
  let stderr = ''
  const screen = (text: string): string => text.replace(/\r?\n/g, '\r\n')
  const out = options.tty ? { isTTY: true, write: (text: string) => (stdout += screen(text)) } : { write: (text: string) => (stdout += text) }
  const err = options.tty ? { isTTY: true, write: (text: string) => (stdout += screen(text)) } : { write: (text: string) => (stderr += text) }
  const cancellation = new Cancellation()
  let running = true
  const interrupting = options.interruptWhen
    ? (async () => {
        while (running && !options.interruptWhen?.()) await new Promise(resolve => setTimeout(resolve, 5))
        if (running) cancellation.receive('SIGINT')
      })()
    : Promise.resolve()
  // The summary module asks the process whether the runner gave it a summary file: as the bin's would, it sees this environment.
  const summaryBefore = process.env.GITHUB_STEP_SUMMARY
  if (options.env?.GITHUB_STEP_SUMMARY === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = options.env.GITHUB_STEP_SUMMARY
  try {
    const exitCode = await runCommandLine(args, { ...options.env }, { stdout: out, stderr: err, cwd: options.cwd, cancellation })
    return { exitCode, stdout, stderr }
  } finally {
    running = false
    await interrupting
    if (summaryBefore === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = summaryBefore
  }
}

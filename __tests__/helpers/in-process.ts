import { statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { VendorEmulator } from '../../emulator/server.js'
import { actionDefaults, annotationsOf, findLeaks, makeWorkspace, testTimingEnv, type ActionRun, type RunOptions } from '../../emulator/runner.js'
import { parseWorkflowCommands } from '../../emulator/workflow-commands.js'
import { run } from '../../src/main.js'
import { FakeCore, inputEnv } from './fake-core.js'
import { onEvent, type EventOptions } from './github-api.js'
import { secretsOf } from './vendor.js'

/**
 * src/main.ts's run() in this process with the fake core, set up the way
 * emulator/runner.ts sets up the built action (action.yml's defaults for
 * inputs, a fresh workspace, a push event, the test timing), and read back
 * into the same ActionRun. A test of logic reads the same in-process as
 * end to end, in milliseconds instead of a process start.
 *
 * `event` runs another event than a push, e.g. a pull_request whose plan
 * comment goes to a FakeGitHub (pass its URL as env.GITHUB_API_URL): the
 * comment reads the pull request and the run from the env run() is given.
 */

export interface InProcessOptions extends Omit<RunOptions, 'timeoutMs'>, EventOptions {
  /** The runner's output file cannot be written. */
  outputsFail?: boolean
  /** The runner's summary file cannot be written. */
  summaryFails?: boolean
}

export type InProcessRun = ActionRun & { core: FakeCore }

export async function runInProcess(options: InProcessOptions = {}): Promise<InProcessRun> {
  return onEvent(runWithEnv)(options)
}

async function runWithEnv(options: Omit<InProcessOptions, 'event'>): Promise<InProcessRun> {
  const workspace = options.workspace ?? (await makeWorkspace(options.files))
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    // The fake core keeps the summary and outputs in memory; these only say that the runner has them.
    GITHUB_STEP_SUMMARY: '/runner/_temp/step_summary',
    GITHUB_OUTPUT: '/runner/_temp/output',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/robots',
    ...testTimingEnv(),
    ...options.env,
    ...inputEnv({ ...(await actionDefaults()), ...options.inputs })
  }
  // A runner file that is a directory cannot be written, as with the real core.
  const core = new FakeCore({
    env,
    outputsFail: options.outputsFail ?? isDirectory(options.env?.GITHUB_OUTPUT),
    summaryFails: options.summaryFails ?? isDirectory(options.env?.GITHUB_STEP_SUMMARY)
  })
  // The summary module asks the process whether the runner gave it a summary file.
  const summaryBefore = process.env.GITHUB_STEP_SUMMARY
  process.env.GITHUB_STEP_SUMMARY = env.GITHUB_STEP_SUMMARY
  const started = Date.now()
  try {
    await run(core, env)
  } finally {
    if (summaryBefore === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = summaryBefore
    if (!options.workspace) await rm(workspace, { recursive: true, force: true })
  }
  const commands = parseWorkflowCommands(core.stdout)
  return {
    exitCode: core.exitCode ?? 0,
    stdout: core.stdout,
    stderr: '',
    summary: core.summaryText,
    outputs: { ...core.outputs },
    annotations: annotationsOf(commands),
    commands,
    log: core.stdout
      .split('\n')
      .filter(line => !line.startsWith('::'))
      .join('\n'),
    startedAt: started,
    durationMs: Date.now() - started,
    workspace,
    core
  }
}

function isDirectory(path: string | undefined): boolean {
  return path !== undefined && (statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false)
}

/** runInProcess against the emulator; fails the test if a secret shows in anything visible, like runAgainst. */
export async function runInProcessAgainst(vendor: VendorEmulator, options: InProcessOptions): Promise<InProcessRun> {
  const run = await runInProcess(options)
  const leaks = findLeaks(run, secretsOf(vendor))
  if (leaks.length > 0) throw new Error(`secrets leaked into the action's output: ${leaks.join(', ')}`)
  return run
}

import { describe, expect, it } from '@jest/globals'
import { accessSync, constants, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, runCli } from '../../emulator/cli-runner.js'
import { ROOT } from '../../emulator/runner.js'
import type { CliRunner } from '../helpers/cli-in-process.js'
import { cliSpec } from '../helpers/cli-spec.js'

/**
 * The command line as a user runs it: the file package.json's bin names
 * (dist/cli.js), started by its #! line in a clean environment, on a real
 * terminal (`script`) for the colour cases, and stopped by a real SIGINT for
 * Ctrl-C. The cases marked `e2e` in __tests__/helpers/cli-spec.ts; every case
 * also runs in-process in __tests__/unit/specs-in-process.test.ts.
 */

const runBuiltCli: CliRunner = (args, { cwd, env, tty, interruptWhen }) =>
  runCli(args, {
    cwd,
    env,
    tty,
    whileRunning: interruptWhen
      ? async child => {
          while (!interruptWhen()) await new Promise(resolve => setTimeout(resolve, 10))
          child.kill('SIGINT')
        }
      : undefined
  })

describe('the create-chat-robots command', () => {
  it("is the executable file package.json's bin names, in the committed dist/, started by its #! line", () => {
    expect(BIN).toBe(join(ROOT, 'dist', 'cli.js'))
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow()
  })
})

cliSpec(runBuiltCli, { e2eOnly: true })

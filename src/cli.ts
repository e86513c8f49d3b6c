#!/usr/bin/env node
// The command line's entry point (package.json bin): the action's pipeline, src/main.ts, on a terminal.
import { Cancellation } from './cancel.js'
import { runCli } from './cli/run.js'

// Piped into head or less that quit early: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

// Ctrl-C (or a CI system's SIGTERM) stops the run as a cancelled job does: no new call, every robot reported.
const cancellation = Cancellation.listen()
process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), cancellation })

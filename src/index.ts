import * as core from '@actions/core'
import { Cancellation } from './cancel.js'
import { run } from './main.js'
import { forAnnotation } from './report/escape.js'

// The runner's entry point. Everything else takes `core` as a parameter.
// run() reports its own failures; this catch is the last line for a bug in reporting itself.
const cancellation = Cancellation.listen()
try {
  await run(core, process.env, cancellation)
} catch (error) {
  core.setFailed(forAnnotation(`Unexpected error while reporting: ${error instanceof Error ? error.message : String(error)}`))
}

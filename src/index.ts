import * as core from '@actions/core'
import { run } from './main.js'

// The runner's entry point. Everything else takes `core` as a parameter.
await run(core)

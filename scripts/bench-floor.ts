/**
 * The bench's floor: @actions/core alone, built the way dist/ is built (scripts/build.ts,
 * with the same plugin), doing the least every run of the action does: read its inputs,
 * write the job summary and an output. The action cannot start faster than this.
 */
import * as core from '@actions/core'

const manifest = core.getInput('manifest')
const dryRun = core.getBooleanInput('dry-run')
await core.summary.addHeading('Robots', 2).addRaw(`manifest ${manifest}, dry run ${dryRun}`).write()
core.setOutput('results', '[]')

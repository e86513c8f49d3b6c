/**
 * Report: everything the user sees at the end — annotations on the manifest's
 * lines, a log line per robot, the job summary, the outputs, and the step's
 * verdict. Rendering is pure (tested on its own); `publish` hands it to core.
 */
import type { ActionCore } from '../action-core.js'
import { annotate } from './annotations.js'
import { driftMessage } from './changes.js'
import { forAnnotation } from './escape.js'
import { logOutcomes } from './log.js'
import { writeOutputs } from './outputs.js'
import { renderSummary, writeSummary } from './summary.js'
import type { RunReport } from './types.js'
import { allProblems, describeOutcomeCode, hintFor, label, listLabels, runCause } from './words.js'

export async function publish(core: ActionCore, report: RunReport): Promise<void> {
  annotate(core, report)
  logOutcomes(core, report)
  // The runner's files can be unwritable (a full disk, a bad path): say so, and still write the rest.
  const failures = [failureMessage(report), driftMessage(report)]
  try {
    writeOutputs(core, report)
  } catch (error) {
    failures.push(`The step's outputs could not be written: ${error instanceof Error ? error.message : String(error)}.`)
  }
  try {
    await writeSummary(core, renderSummary(report))
  } catch (error) {
    failures.push(`The job summary could not be written: ${error instanceof Error ? error.message : String(error)}.`)
  }
  const failure = failures.filter(Boolean).join(' ')
  // setFailed is an error annotation too: one line, nothing hidden.
  if (failure) core.setFailed(forAnnotation(failure))
}

/** The step's failure, cause first: what stopped the run, then the robots that did not reach ok. */
export function failureMessage(report: RunReport): string | null {
  const problems = allProblems(report).filter(p => p.severity === 'error')
  const bad = report.outcomes.filter(o => o.status !== 'ok')
  if (!report.runError && problems.length === 0 && bad.length === 0 && !report.halt) return null
  const parts: string[] = []
  const cause = runCause(report)
  if (cause) parts.push(cause)
  if (problems.length > 0 && !report.runError) {
    const first = problems[0]
    // An export wrote its file, and the app was only read: the file holds what the app has, problems and all.
    const consequence = report.exported
      ? `it was written as the app has it, and is not ready to apply until they are fixed (nothing was written to the app)`
      : 'nothing was written'
    parts.push(
      `${report.manifestFile} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${consequence}. First: ${first.file}:${first.line}:${first.column} ${first.message}`
    )
  }
  const failed = bad.filter(o => o.status === 'failed')
  const skipped = bad.filter(o => o.status === 'skipped')
  const invalid = bad.filter(o => o.status === 'invalid')
  if (bad.length > 0) {
    const list = failed.slice(0, 10).map(o => `${label(o)} failed (${describeOutcomeCode(o)}${o.code !== null ? `: ${hintFor(o)}` : ''})`)
    if (failed.length > 10) list.push(`${failed.length - 10} more failed`)
    const alone = skipped.filter(o => o.attempts.length > 0)
    const together = skipped.filter(o => o.attempts.length === 0)
    list.push(...alone.slice(0, 10).map(o => `${label(o)} skipped (${o.info})`))
    if (together.length > 0) list.push(`not ${report.mode === 'apply' ? 'tried' : 'planned'}: ${listLabels(together, 10)}`)
    if (invalid.length > 0) list.push(`invalid: ${listLabels(invalid, 10)}`)
    parts.push(`${bad.length} of ${report.outcomes.length} entries did not reach ok: ${list.join('; ')}.`)
  }
  return parts.join(' ') + ' See the job summary for details.'
}

/**
 * Report: everything the user sees at the end — annotations on the manifest's
 * lines, a log line per robot, the job summary, the outputs, and the step's
 * verdict. Rendering is pure (tested on its own); `publish` hands it to core.
 */
import type { ActionCore } from '../action-core.js'
import { describeCode } from '../vendor/codes.js'
import { annotate } from './annotations.js'
import { driftMessage } from './changes.js'
import { logOutcomes } from './log.js'
import { writeOutputs } from './outputs.js'
import { renderSummary, writeSummary } from './summary.js'
import type { RunReport } from './types.js'
import { allProblems, describeOutcomeCode, haltMessage, label } from './words.js'

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
  if (failure) core.setFailed(failure)
}

export function failureMessage(report: RunReport): string | null {
  if (report.runError) return report.runError
  const problems = allProblems(report).filter(p => p.severity === 'error')
  const bad = report.outcomes.filter(o => o.status !== 'ok')
  if (problems.length === 0 && bad.length === 0 && !report.halt) return null
  const parts: string[] = []
  if (problems.length > 0) {
    const first = problems[0]
    parts.push(`${report.manifestFile} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written. First: ${first.file}:${first.line}:${first.column} ${first.message}`)
  }
  if (report.halt) parts.push(haltMessage(report.halt))
  const named = bad.filter(o => o.status !== 'invalid' || problems.length === 0)
  if (named.length > 0) {
    const list = named.slice(0, 10).map(o => `${label(o)} ${o.status}${o.status === 'failed' ? ` (${describeOutcomeCode(o)}${o.code !== null ? `: ${describeCode(o.code).hint}` : ''})` : ''}`)
    const more = named.length > 10 ? `, and ${named.length - 10} more` : ''
    parts.push(`${bad.length} of ${report.outcomes.length} robots did not reach ok: ${list.join('; ')}${more}.`)
  }
  return parts.join(' ') + ' See the job summary for details.'
}

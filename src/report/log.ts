/** The log: the headline, then a line per robot; a cause shared by every entry is not repeated per robot. */
import type { ActionCore } from '../action-core.js'
import type { Outcome } from '../plan/types.js'
import { forLog } from './escape.js'
import type { RunReport } from './types.js'
import {
  STATUS_ICON,
  describeAction,
  headline,
  label,
  listLabels,
  modeWords,
  notCompared,
  notComparedSentence,
  runCause,
  skippedAlone,
  skippedTogether
} from './words.js'

/**
 * Every log line that may carry text from the manifest, the vendor or the GitHub
 * API goes through here: core.info prints as it is given, and the runner would
 * take `::…` at a line start or `##[…]` anywhere as a workflow command.
 */
export function logLine(core: Pick<ActionCore, 'info'>, line: string): void {
  core.info(forLog(line))
}

export function logOutcomes(core: ActionCore, report: RunReport): void {
  logLine(core, `${headline(report)} (${report.manifestFile}, ${modeWords(report)})`)
  const unread = notCompared(report)
  if (unread) logLine(core, notComparedSentence(unread))
  const apply = report.mode === 'apply'
  for (const o of report.outcomes) {
    if (o.status === 'skipped') continue
    const attempts = o.attempts.length > 0 ? ` after ${o.attempts.length} attempt${o.attempts.length === 1 ? '' : 's'}` : ''
    const detail = o.status === 'ok' ? '' : `: ${o.code !== null && o.code !== 0 ? `${o.code} ` : ''}${o.info}`
    logLine(
      core,
      apply || o.status !== 'ok'
        ? `${STATUS_ICON[o.status]} ${label(o)} ${describeAction(o)} → ${o.status}${attempts}${detail}`
        : `·  ${label(o)} ${o.planned ? 'would ' : ''}${describeAction(o)}`
    )
  }
  for (const o of skippedAlone(report))
    logLine(
      core,
      `${STATUS_ICON.skipped} ${label(o)} ${describeAction(o)} → skipped after ${o.attempts.length} attempt${o.attempts.length === 1 ? '' : 's'}: ${o.info}`
    )
  const skipped = skippedTogether(report)
  // The reason is the run's own, said once (in the error at the end), not once per robot.
  const groups = runCause(report) ? [['the run stopped; the reason is in the error below', skipped] as const] : [...groupBy(skipped)]
  for (const [why, group] of groups) {
    if (group.length > 0) logLine(core, `${STATUS_ICON.skipped} ${group.length} not ${apply ? 'tried' : 'planned'} (${why}): ${listLabels(group)}`)
  }
  for (const id of report.plan?.unmanaged ?? [])
    logLine(core, `·  ${id} is in the app but not in the manifest (left alone; list it under retired: to delete it)`)
}

function groupBy(outcomes: Outcome[]): Map<string, Outcome[]> {
  const groups = new Map<string, Outcome[]>()
  for (const o of outcomes) groups.set(o.info, [...(groups.get(o.info) ?? []), o])
  return groups
}

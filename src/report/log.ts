/** The log: the headline, then a line per robot; a cause shared by every entry is not repeated per robot. */
import type { ActionCore } from '../action-core.js'
import type { Outcome } from '../plan/types.js'
import type { RunReport } from './types.js'
import { STATUS_ICON, describeAction, headline, label, listLabels, modeWords, notCompared, notComparedSentence, runCause } from './words.js'

export function logOutcomes(core: ActionCore, report: RunReport): void {
  core.info(`${headline(report)} (${report.manifestFile}, ${modeWords(report)})`)
  const unread = notCompared(report)
  if (unread) core.info(notComparedSentence(unread))
  const apply = report.mode === 'apply'
  for (const o of report.outcomes) {
    if (o.status === 'skipped') continue
    const attempts = o.attempts.length > 0 ? ` after ${o.attempts.length} attempt${o.attempts.length === 1 ? '' : 's'}` : ''
    const detail = o.status === 'ok' ? '' : `: ${o.code !== null && o.code !== 0 ? `${o.code} ` : ''}${o.info}`
    core.info(apply || o.status !== 'ok'
      ? `${STATUS_ICON[o.status]} ${label(o)} ${describeAction(o)} → ${o.status}${attempts}${detail}`
      : `·  ${label(o)} ${o.planned ? 'would ' : ''}${describeAction(o)}`)
  }
  const skipped = report.outcomes.filter(o => o.status === 'skipped')
  // The reason is the run's own, said once (in the error at the end), not once per robot.
  const groups = runCause(report) ? [['the run stopped; the reason is in the error below', skipped] as const] : [...groupBy(skipped)]
  for (const [why, group] of groups) {
    if (group.length > 0) core.info(`${STATUS_ICON.skipped} ${group.length} not ${apply ? 'tried' : 'planned'} (${why}): ${listLabels(group)}`)
  }
  for (const id of report.plan?.unmanaged ?? []) core.info(`·  ${id} is in the app but not in the manifest (left alone; list it under retired: to delete it)`)
}

function groupBy(outcomes: Outcome[]): Map<string, Outcome[]> {
  const groups = new Map<string, Outcome[]>()
  for (const o of outcomes) groups.set(o.info, [...(groups.get(o.info) ?? []), o])
  return groups
}

/**
 * The words every channel uses for the same things — a robot's label, an
 * action, a code, why the run stopped — so the log, the annotations, the
 * summary and the failure message say them alike.
 */
import type { ManifestProblem } from '../manifest/types.js'
import type { Outcome, PlanItem, Status } from '../plan/types.js'
import { describeCode } from '../vendor/codes.js'
import type { Halt } from '../vendor/types.js'
import type { RunReport } from './types.js'

export const STATUS_ICON: Record<Status, string> = { ok: '✅', failed: '❌', skipped: '⏭️', invalid: '⚠️' }

export function label(o: Outcome): string {
  return o.userId ?? `entry ${(o.entry?.index ?? 0) + 1} (no UserID)`
}

export function describeAction(o: Pick<Outcome, 'action' | 'changes' | 'userId'>): string {
  if (o.action !== 'update') return o.action
  return 'update ' + o.changes.map(c => `${c.field}: ${c.from === null ? '(not set)' : JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')
}

export function describeOutcomeCode(o: Outcome): string {
  return o.code === null ? o.info : `${o.code} ${describeCode(o.code).meaning}`
}

export function haltMessage(halt: Halt): string {
  const what = halt.code === null ? halt.info : `${halt.code} (${describeCode(halt.code).meaning}) from ${halt.command.split('/')[1]}. ${describeCode(halt.code).hint}`
  return `The run stopped early: ${what} No further call was started.`
}

/** The manifest's own problems and the plan's (the 20-robot limit), in one list. */
export function allProblems(report: RunReport): ManifestProblem[] {
  return [...(report.manifest?.problems ?? []), ...(report.plan?.problems ?? [])]
}

/** Notes about the run as a whole; a stopped run's own reason says it all. */
export function planNotes(report: RunReport): string[] {
  return report.halt ? [] : report.plan?.notes ?? []
}

/** Notes about how single robots were planned. */
export function itemNotes(report: RunReport): Array<{ item: PlanItem; note: string }> {
  if (report.halt) return []
  return (report.plan?.items ?? []).filter(item => item.note).map(item => ({ item, note: item.note as string }))
}

export function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}

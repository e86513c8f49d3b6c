/**
 * The writes of a run: how many writing calls the plan needs (a dry run) or
 * made (an apply), and in a drift check (expect-no-changes) the list that fails
 * the step. The outputs, the summary and the verdict all count them here.
 */
import { Input } from '../constants.js'
import type { Action, Outcome } from '../plan/types.js'
import type { RunReport } from './types.js'
import { describeAction, label } from './words.js'

const WRITES: ReadonlySet<Action> = new Set(['create', 'update', 'delete'])

/**
 * Writing calls needed (dry run) or made (apply); null when a dry run could not
 * tell: not compared with the app, or stopped before its plan was complete.
 */
export function writingCalls(report: RunReport): number | null {
  if (report.mode === 'apply') return report.outcomes.filter(o => WRITES.has(o.action) && o.attempts.length > 0).length
  if (!report.plan || report.plan.notCompared !== null || report.halt || report.runError) return null
  return plannedWrites(report).length
}

/** The writes a dry run planned: valid, not blocked, not carried out. */
export function plannedWrites(report: RunReport): Outcome[] {
  return report.outcomes.filter(o => o.planned && WRITES.has(o.action))
}

/** The step's failure in a drift check that found writes to make; null when there is no drift (or no drift check). */
export function driftMessage(report: RunReport): string | null {
  if (!report.expectNoChanges || report.mode === 'apply') return null
  const drift = plannedWrites(report)
  if (drift.length === 0) return null
  const shown = drift.slice(0, 10).map(o => `${label(o)}: ${describeAction(o)}`)
  const more = drift.length > 10 ? `; and ${drift.length - 10} more` : ''
  return `The app has drifted from ${report.manifestFile}: ${drift.length} change${drift.length === 1 ? '' : 's'} to make — ${shown.join('; ')}${more}. Nothing was written (${Input.expectNoChanges}). Apply the manifest to make the app match it, or change the manifest to match the app.`
}

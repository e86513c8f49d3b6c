/**
 * The words every channel uses for the same things — a robot's label, an
 * action, a code, the headline, why the run stopped — so the log, the
 * annotations, the summary, the PR comment and the failure message say them alike.
 */
import type { ManifestProblem } from '../manifest/types.js'
import type { FieldChange, NotCompared, Outcome, PlanItem, Status } from '../plan/types.js'
import { describeCode } from '../vendor/codes.js'
import type { Halt } from '../vendor/types.js'
import type { RunReport } from './types.js'

export const STATUS_ICON: Record<Status, string> = { ok: '✅', failed: '❌', skipped: '⏭️', invalid: '⚠️' }

export function label(o: Pick<Outcome, 'userId' | 'entry' | 'retired'>): string {
  if (o.userId !== null) return o.userId
  return o.retired ? `retired item ${o.retired.index + 1} (not a UserID)` : `entry ${(o.entry?.index ?? 0) + 1} (no UserID)`
}

/** The manifest line an outcome belongs to, if any. */
export function lineOf(o: Pick<Outcome, 'entry' | 'retired'>): { line: number; column: number } | undefined {
  return o.entry?.position ?? o.retired?.position
}

/** A retired UserID the app no longer has: nothing to do. */
export function isAlreadyDeleted(o: Pick<Outcome, 'action' | 'retired'>): boolean {
  return o.retired !== undefined && o.action === 'unchanged'
}

/** The action in a word or two, as a plan row or a log line shows it. */
export function actionWord(o: Pick<Outcome, 'action' | 'retired'>): string {
  if (isAlreadyDeleted(o)) return 'already deleted'
  if (o.action === 'not-compared') return 'not compared'
  return o.action
}

/** What the action changes, field by field (old → new), or why a robot is deleted. */
export function describeChanges(o: Pick<Outcome, 'action' | 'changes' | 'entry' | 'retired'>): string {
  if (o.retired) {
    const where = `retired on line ${o.retired.position.line}`
    if (o.action === 'delete') return where
    if (o.action === 'unchanged') return `${where}; the app does not have it`
    if (o.action === 'not-compared') return `${where}; deleted if the app has it`
    return ''
  }
  if (o.action === 'delete') return 'not in the manifest; prune is on'
  if (o.action === 'update') return o.changes.map(describeChange).join('; ')
  if (o.action === 'create' || o.action === 'not-compared') {
    return Object.entries(o.entry?.profile ?? {})
      .map(([field, value]) => `${field}: ${JSON.stringify(value)}`)
      .join('; ')
  }
  return ''
}

function describeChange(c: FieldChange): string {
  const from = c.unread ? '(could not be read)' : c.from === null ? '(not set)' : JSON.stringify(c.from)
  return `${c.field}: ${from} → ${JSON.stringify(c.to)}`
}

/** The action with its changes, for a log line or an annotation. */
export function describeAction(o: Pick<Outcome, 'action' | 'changes' | 'userId' | 'entry' | 'retired'>): string {
  if (o.action === 'update') return `update ${describeChanges(o)}`
  if (o.action === 'delete') return `delete (${describeChanges(o)})`
  return actionWord(o)
}

export function describeOutcomeCode(o: Outcome): string {
  return o.code === null ? o.info : `${o.code} ${describeCode(o.code).meaning}`
}

/**
 * What the user can do about a failed outcome. A profile API that refuses a
 * chatbot gets its own advice: the action cannot make that change at all.
 */
export function hintFor(o: Outcome): string {
  if (o.code === null) return ''
  const refusal = o.action === 'update' && describeCode(o.code).noProfile
  if (!refusal) return describeCode(o.code).hint
  const fields = o.changes.map(c => c.field)
  const list = fields.length > 1 ? `${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}` : (fields[0] ?? 'its profile')
  const answer = `the vendor answered ${o.code}${o.info ? ` "${o.info}"` : ''}`
  const known = o.changes.filter(c => !c.unread)
  const back =
    known.length > 0
      ? `In the manifest, ${known.map(c => (c.from === null ? `remove ${c.field} (the app has none)` : `set ${c.field} back to ${JSON.stringify(c.from)}`)).join(', ')} (the app's value)`
      : `Remove ${list} from this entry (a field left out is not managed)`
  return `The profile APIs refuse this chatbot (${answer}), so the action cannot ${known.length > 0 ? 'change' : 'read or change'} its ${list}. ${back}, or change ${fields.length > 1 ? 'them' : 'it'} in the Chat console.`
}

export function haltMessage(halt: Halt): string {
  const what =
    halt.code === null ? halt.info : `${halt.code} (${describeCode(halt.code).meaning}) from ${halt.command.split('/')[1]}. ${describeCode(halt.code).hint}`
  return `The run stopped early: ${what} No further call was started.`
}

/** The manifest's own problems and the plan's (the 20-robot limit), in one list. */
export function allProblems(report: RunReport): ManifestProblem[] {
  return [...(report.manifest?.problems ?? []), ...(report.plan?.problems ?? [])]
}

export function errorCount(report: RunReport): number {
  return allProblems(report).filter(p => p.severity === 'error').length
}

/** Notes about the run as a whole; a stopped run's own reason says it all. */
export function planNotes(report: RunReport): string[] {
  return report.halt ? [] : (report.plan?.notes ?? [])
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

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** Why the plan was not compared with the app, or null when it was. */
export function notCompared(report: RunReport): NotCompared | null {
  if (report.plan) return report.plan.notCompared
  return report.outcomes.length > 0 ? 'inputs' : null
}

const NOT_COMPARED_WHY: Record<NotCompared, string> = {
  'no-credentials': 'no credentials — this dry run has no sdkappid with a secret-key (or usersig), so the manifest was checked offline',
  fork: "this pull request comes from a fork, and GitHub gives a fork's workflows no secrets — the manifest was checked offline",
  'invalid-manifest': 'the manifest has problems, so no call was made',
  inputs: 'an input is wrong, so no call was made',
  stopped: "the app's first answer stopped the run, so its robots are not known",
  'list-failed': "get_all_robots failed, so the app's robots are not known; every entry is planned as create, which the vendor makes safe to repeat"
}

/** One sentence for the summary and the log: the plan was not compared with the app, and why. */
export function notComparedSentence(reason: NotCompared): string {
  const rows =
    reason !== 'no-credentials' && reason !== 'fork'
      ? ''
      : ' A valid entry is created if the app does not have it, updated if a declared field differs, and otherwise left alone; a retired UserID is deleted if the app has it.'
  return `The plan was not compared with the app: ${NOT_COMPARED_WHY[reason]}.${rows}`
}

/**
 * The headline: what the plan will do, or what the apply did. A plan counts
 * actions ("Plan: 2 to create, 1 to update, 3 unchanged, 1 to delete, 1 unmanaged");
 * an apply says "failed" whenever any entry did not reach ok.
 */
export function headline(report: RunReport): string {
  const apply = report.mode === 'apply'
  const outcomes = report.outcomes
  const ok = outcomes.filter(o => o.status === 'ok')
  const errors = errorCount(report)
  const failed = report.runError !== null || report.halt !== null || errors > 0 || ok.length < outcomes.length

  const done = countBy(ok.map(o => (isAlreadyDeleted(o) ? 'gone' : o.action)))
  const words: Array<[string, string, string]> = [
    // key, plan words, apply words
    ['create', 'to create', 'created'],
    ['update', 'to update', 'updated'],
    ['unchanged', 'unchanged', 'unchanged'],
    ['delete', 'to delete', 'deleted'],
    ['gone', 'already deleted', 'already deleted'],
    ['not-compared', 'valid, not compared with the app', 'not compared with the app']
  ]
  const parts = words.filter(([key]) => done[key]).map(([key, plan, applied]) => `${done[key]} ${apply ? applied : plan}`)
  const unmanaged = report.plan?.unmanaged.length ?? 0
  if (unmanaged > 0) parts.push(`${unmanaged} unmanaged`)

  const status = countBy(outcomes.map(o => o.status))
  const trouble = [
    status.failed ? `${status.failed} ${apply ? 'failed' : 'cannot be made'}` : '',
    status.skipped ? `${status.skipped} skipped` : '',
    status.invalid ? `${status.invalid} invalid` : ''
  ].filter(Boolean)

  const cause = report.cancelled
    ? 'cancelled'
    : report.runError !== null
      ? report.plan
        ? 'stopped by an error'
        : 'stopped before any call'
      : report.halt
        ? 'stopped early'
        : errors > 0
          ? `the manifest has ${plural(errors, 'problem')}`
          : ''
  const prefix = apply ? (failed ? 'Apply failed' : 'Applied') : failed ? 'Plan failed' : 'Plan'
  const counts = [trouble.join(', '), parts.join(', ')].filter(Boolean).join('; ')
  const body = [cause, counts || (failed ? '' : 'nothing to do')].filter(Boolean).join(' — ')
  return `${prefix}: ${body}`
}

/** What kind of run this was, in a few words. */
export function modeWords(report: RunReport): string {
  if (report.exported) return 'export: the app was only read'
  return report.mode === 'apply' ? 'apply' : 'dry run, nothing written'
}

/**
 * Outcomes skipped for a reason that applies to the whole run (bad inputs, an
 * answer that stopped the run, problems in the manifest, cancellation): the
 * reason is said once, so only their labels are listed.
 */
export function skippedTogether(report: RunReport): Outcome[] {
  return report.outcomes.filter(o => o.status === 'skipped' && o.attempts.length === 0)
}

/** Skipped after a call was made (cut off in flight): each has its own story, told on its own. */
export function skippedAlone(report: RunReport): Outcome[] {
  return report.outcomes.filter(o => o.status === 'skipped' && o.attempts.length > 0)
}

/** The run-wide cause, when one stops the run: said once, first. */
export function runCause(report: RunReport): string | null {
  if (report.runError) return report.runError
  if (report.halt) return haltMessage(report.halt)
  return null
}

/** A compact list of labels: the first few, then how many more. */
export function listLabels(outcomes: Outcome[], max = 20): string {
  const labels = outcomes.map(label)
  return labels.length > max ? `${labels.slice(0, max).join(', ')} and ${labels.length - max} more` : labels.join(', ')
}

/** The step's outputs: results (JSON per robot), created and failed. */
import type { ActionCore } from '../action-core.js'
import { Output } from '../constants.js'
import type { Outcome } from '../plan/types.js'
import type { ResultEntry, RunReport } from './types.js'
import { writingCalls } from './changes.js'
import { label, lineOf } from './words.js'

/** Outputs are capped at 1 MB per job; leave room for the other outputs. */
const MAX_RESULTS_OUTPUT_BYTES = 800_000

export function writeOutputs(core: ActionCore, report: RunReport): void {
  core.setOutput(Output.results, JSON.stringify(resultsOutput(report.outcomes)))
  core.setOutput(Output.created, JSON.stringify(createdIds(report)))
  core.setOutput(Output.failed, JSON.stringify(report.outcomes.filter(o => o.status !== 'ok').map(label)))
  core.setOutput(Output.changes, String(writingCalls(report) ?? ''))
}

export function resultsOutput(outcomes: Outcome[]): ResultEntry[] {
  const entries = outcomes.map((o): ResultEntry => ({
    UserID: o.userId,
    status: o.status,
    action: o.action,
    ErrorCode: o.code,
    ErrorInfo: o.info,
    attempts: o.attempts.length,
    ...(o.changes.length > 0 ? { changes: o.changes.map(c => ({ field: c.field, from: c.from, to: c.to })) } : {}),
    ...(o.retired ? { retired: true as const } : {}),
    ...(lineOf(o) ? { line: lineOf(o)!.line } : {})
  }))
  // A hostile manifest can list thousands of entries: keep the output under GitHub's cap,
  // shortening ErrorInfo (the summary has it) and over-long UserIDs (invalid anyway) first.
  for (const room of [120, 0]) {
    if (Buffer.byteLength(JSON.stringify(entries)) <= MAX_RESULTS_OUTPUT_BYTES) return entries
    for (const e of entries) {
      e.ErrorInfo = e.ErrorInfo.slice(0, room)
      if (e.UserID !== null && e.UserID.length > 40) e.UserID = `${e.UserID.slice(0, 40)}…`
      delete e.changes
    }
  }
  // Tens of thousands of entries (20 is the limit): list what fits and say how many are left out.
  let bytes = 2
  const fits = entries.findIndex(e => (bytes += Buffer.byteLength(JSON.stringify(e)) + 1) > MAX_RESULTS_OUTPUT_BYTES - 300)
  if (fits >= 0) {
    const left = entries.length - fits
    entries.splice(fits, left, {
      UserID: null,
      status: 'invalid',
      action: 'invalid',
      ErrorCode: null,
      ErrorInfo: `…and ${left} more entries, not listed: the output is capped at 1 MB.`,
      attempts: 0
    })
  }
  return entries
}

function createdIds(report: RunReport): string[] {
  if (report.mode !== 'apply') return []
  return report.outcomes
    .filter(o => o.status === 'ok' && o.entry && (o.action === 'create' || o.action === 'update' || o.action === 'unchanged') && o.userId !== null)
    .map(o => o.userId as string)
}

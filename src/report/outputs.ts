/** The step's outputs: results (JSON per robot), created and failed. */
import type { ActionCore } from '../action-core.js'
import { Output } from '../constants.js'
import type { Outcome } from '../plan/types.js'
import type { ResultEntry, RunReport } from './types.js'
import { writingCalls } from './changes.js'
import { label, lineOf } from './words.js'

/**
 * Outputs are capped at 1 MB per job, all of them together: results gets most of it,
 * failed the rest (created lists at most the 20 robots of an app, changes is a number).
 */
const MAX_RESULTS_OUTPUT_BYTES = 800_000
const MAX_FAILED_OUTPUT_BYTES = 150_000
/** What is kept of a UserID too long to be one (the limit is 32 bytes) when an output must be shortened. */
const SHORTENED_ID_CHARS = 40

export function writeOutputs(core: ActionCore, report: RunReport): void {
  core.setOutput(Output.results, JSON.stringify(resultsOutput(report.outcomes)))
  core.setOutput(Output.created, JSON.stringify(createdIds(report)))
  core.setOutput(Output.failed, JSON.stringify(failedOutput(report.outcomes)))
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
      if (e.UserID !== null) e.UserID = shortened(e.UserID)
      delete e.changes
    }
  }
  // Tens of thousands of entries (20 is the limit): list what fits and say how many are left out.
  const fits = firstLeftOut(entries, MAX_RESULTS_OUTPUT_BYTES - 300)
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

/** Every robot that did not end ok, by UserID (or entry), within its share of the 1 MB. */
export function failedOutput(outcomes: Outcome[]): string[] {
  const ids = outcomes.filter(o => o.status !== 'ok').map(label)
  if (Buffer.byteLength(JSON.stringify(ids)) <= MAX_FAILED_OUTPUT_BYTES) return ids
  // A hostile manifest of thousands of over-long UserIDs: shorten them, then list what fits.
  const short = ids.map(shortened)
  const fits = firstLeftOut(short, MAX_FAILED_OUTPUT_BYTES - 100)
  if (fits >= 0) short.splice(fits, short.length - fits, `…and ${short.length - fits} more, not listed: the output is capped at 1 MB.`)
  return short
}

/** The index of the first item that no longer fits in a JSON array of at most maxBytes, or -1 when all fit. */
function firstLeftOut(items: unknown[], maxBytes: number): number {
  let bytes = 2
  return items.findIndex(item => (bytes += Buffer.byteLength(JSON.stringify(item)) + 1) > maxBytes)
}

function shortened(userId: string): string {
  return userId.length > SHORTENED_ID_CHARS ? `${userId.slice(0, SHORTENED_ID_CHARS)}…` : userId
}

function createdIds(report: RunReport): string[] {
  if (report.mode !== 'apply') return []
  return report.outcomes
    .filter(o => o.status === 'ok' && o.entry && (o.action === 'create' || o.action === 'update' || o.action === 'unchanged') && o.userId !== null)
    .map(o => o.userId as string)
}

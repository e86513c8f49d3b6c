import type { ActionCore } from './action-core.js'
import type { Outcome, Status } from './apply.js'
import type { Halt } from './client.js'
import { describeCode } from './codes.js'
import { MAX_ANNOTATIONS, Output } from './constants.js'
import type { Manifest, ManifestProblem } from './manifest.js'
import type { Plan, PlanItem } from './plan.js'

/**
 * Report: everything the user sees at the end — annotations on the manifest's
 * lines, a log line per robot, the job summary, the outputs, and the step's
 * verdict. Rendering is pure (tested on its own); `publish` hands it to core.
 */

export type Mode = 'apply' | 'plan' | 'offline'

export interface RunReport {
  mode: Mode
  manifestFile: string
  manifest: Manifest | null
  plan: Plan | null
  outcomes: Outcome[]
  /** The answer that stopped the run early, if any. */
  halt: Halt | null
  /** Where the calls went, for the summary (never the URL with its query). */
  target: string | null
  /** A failure of the run as a whole (bad input, unreadable manifest, a bug). */
  runError: string | null
  /** Where in the manifest the run error is, when it has a line (the first invalid UTF-8 byte). */
  runErrorAt?: { file: string; line: number }
  /** Things the user should know that belong to no robot (e.g. the PR comment could not be posted). */
  notes: string[]
}

export interface ResultEntry {
  UserID: string | null
  status: Status
  action: string
  ErrorCode: number | null
  ErrorInfo: string
  attempts: number
  changes?: Array<{ field: string; from: string | null; to: string }>
  line?: number
}

const STATUS_ICON: Record<Status, string> = { ok: '✅', failed: '❌', skipped: '⏭️', invalid: '⚠️' }
/** Outputs are capped at 1 MB per job; leave room for the other outputs. */
const MAX_RESULTS_OUTPUT_BYTES = 800_000
/** The summary is capped at 1 MiB per step. */
const MAX_SUMMARY_BYTES = 900_000
const MAX_PROBLEM_ROWS = 200

export async function publish(core: ActionCore, report: RunReport): Promise<void> {
  annotate(core, report)
  logOutcomes(core, report)
  // The runner's files can be unwritable (a full disk, a bad path): say so, and still write the rest.
  const failures = [failureMessage(report)]
  try {
    core.setOutput(Output.results, JSON.stringify(resultsOutput(report.outcomes)))
    core.setOutput(Output.created, JSON.stringify(createdIds(report)))
    core.setOutput(Output.failed, JSON.stringify(report.outcomes.filter(o => o.status !== 'ok').map(label)))
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

async function writeSummary(core: ActionCore, text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.')
    return
  }
  await core.summary.addRaw(text, true).write()
}

/** Problems on their lines, at most what GitHub shows; the last says how many more there are. */
function annotate(core: ActionCore, report: RunReport): void {
  if (report.runError && report.runErrorAt) {
    core.error(report.runError, { file: report.runErrorAt.file, startLine: report.runErrorAt.line, title: 'robots manifest' })
  }
  const problems = allProblems(report)
  const failures = report.outcomes
    .filter(o => o.status === 'failed' && o.entry)
    .map((o): ManifestProblem => ({
      severity: 'error',
      file: report.manifestFile,
      line: o.entry!.position.line,
      column: o.entry!.position.column,
      message: `${o.userId}: ${o.action} failed with ${describeOutcomeCode(o)}. ${o.code !== null ? describeCode(o.code).hint : ''}`.trim()
    }))
  // Planned in a degraded way, or not planned at all: a warning, never silent.
  const cautions: Annotation[] = [
    ...planNotes(report).map(message => ({ severity: 'warning' as const, message })),
    ...itemNotes(report).map(({ item, note }) => ({
      severity: 'warning' as const, message: `${item.userId}: ${note}`,
      file: report.manifestFile, line: item.entry?.position.line, column: item.entry?.position.column
    }))
  ]
  const deletions = report.mode === 'apply' ? [] : report.outcomes.filter(o => o.action === 'delete' && o.status === 'ok')
  if (deletions.length > 0) {
    cautions.push({ severity: 'warning', message: `prune would delete ${deletions.length} robot${deletions.length === 1 ? '' : 's'} the manifest does not list: ${deletions.map(label).join(', ')}. This cannot be undone: the vendor keeps a deleted robot's UserID reserved.` })
  }
  for (const severity of ['error', 'warning'] as const) {
    const list: Annotation[] = [...problems, ...failures, ...cautions].filter(p => p.severity === severity)
    list.slice(0, MAX_ANNOTATIONS).forEach((problem, i) => {
      const more = list.length - MAX_ANNOTATIONS
      const suffix = i === MAX_ANNOTATIONS - 1 && more > 0 ? ` (and ${more} more ${severity}${more === 1 ? '' : 's'}: see the job summary)` : ''
      const props = problem.file && problem.line ? { file: problem.file, startLine: problem.line, startColumn: problem.column, title: 'robots manifest' } : { title: 'robots' }
      core[severity](problem.message + suffix, props)
    })
  }
  if (report.mode !== 'apply') {
    // On a pull request, what would change shows on the manifest's lines too.
    const changes = report.outcomes.filter(o => o.status === 'ok' && o.entry && o.action !== 'unchanged').slice(0, MAX_ANNOTATIONS)
    for (const o of changes) {
      const message = report.mode === 'offline'
        ? `${o.userId}: valid; would be created unless the app has it already (not compared with the app: no credentials)`
        : `${o.userId}: would ${describeAction(o)}`
      core.notice(message, { file: report.manifestFile, startLine: o.entry!.position.line, startColumn: o.entry!.position.column, title: 'robots plan' })
    }
  }
}

interface Annotation {
  severity: 'error' | 'warning'
  message: string
  file?: string
  line?: number
  column?: number
}

/** Notes about the run as a whole; a stopped run's own reason says it all. */
function planNotes(report: RunReport): string[] {
  return report.halt ? [] : report.plan?.notes ?? []
}

/** Notes about how single robots were planned. */
function itemNotes(report: RunReport): Array<{ item: PlanItem; note: string }> {
  if (report.halt) return []
  return (report.plan?.items ?? []).filter(item => item.note).map(item => ({ item, note: item.note as string }))
}

function logOutcomes(core: ActionCore, report: RunReport): void {
  for (const o of report.outcomes) {
    const attempts = o.attempts.length > 0 ? ` after ${o.attempts.length} attempt${o.attempts.length === 1 ? '' : 's'}` : ''
    const detail = o.status === 'ok' ? '' : `: ${o.code !== null && o.code !== 0 ? `${o.code} ` : ''}${o.info}`
    core.info(`${STATUS_ICON[o.status]} ${label(o)} ${o.planned ? 'would ' : ''}${describeAction(o)} → ${o.status}${attempts}${detail}`)
  }
  for (const id of report.plan?.unmanaged ?? []) core.info(`·  ${id} is in the app but not in the manifest (left alone; prune: true would delete it)`)
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
    ...(o.entry ? { line: o.entry.position.line } : {})
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
    entries.splice(fits, left, { UserID: null, status: 'invalid', action: 'invalid', ErrorCode: null, ErrorInfo: `…and ${left} more entries, not listed: the output is capped at 1 MB.`, attempts: 0 })
  }
  return entries
}

function createdIds(report: RunReport): string[] {
  if (report.mode !== 'apply') return []
  return report.outcomes
    .filter(o => o.status === 'ok' && o.action !== 'delete' && o.action !== 'invalid' && o.userId !== null)
    .map(o => o.userId as string)
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

/** The manifest's own problems and the plan's (the 20-robot limit), in one list. */
function allProblems(report: RunReport): ManifestProblem[] {
  return [...(report.manifest?.problems ?? []), ...(report.plan?.problems ?? [])]
}

function haltMessage(halt: Halt): string {
  const what = halt.code === null ? halt.info : `${halt.code} (${describeCode(halt.code).meaning}) from ${halt.command.split('/')[1]}. ${describeCode(halt.code).hint}`
  return `The run stopped early: ${what} No further call was started.`
}

function titleOf(report: RunReport): string {
  if (report.runError) return 'stopped before it could finish'
  if (report.halt) return 'stopped early'
  const problems = allProblems(report)
  if (problems.some(p => p.severity === 'error')) return 'not applied: the manifest has problems'
  return { apply: 'applied', plan: 'plan (dry run, nothing written)', offline: 'validation only (dry run without credentials: not compared with the app)' }[report.mode]
}

export function renderSummary(report: RunReport): string {
  const out: string[] = []
  out.push(`<h2>Chat robots: ${titleOf(report)}</h2>`)
  const counts = countBy(report.outcomes.map(o => o.status))
  const countLine = (['ok', 'failed', 'skipped', 'invalid'] as const).filter(s => counts[s]).map(s => `${counts[s]} ${s}`).join(' · ')
  const entries = report.outcomes.filter(o => o.entry).length
  const deletions = report.outcomes.length - entries
  const what = report.manifest
    ? `${entries} entr${entries === 1 ? 'y' : 'ies'}${deletions > 0 ? ` and ${deletions} robot${deletions === 1 ? '' : 's'} to delete` : ''}`
    : 'not read'
  out.push(`<p><b>${show(report.manifestFile)}</b>: ${what}${countLine ? ` — ${countLine}` : ''}${report.target ? `. Target: ${show(report.target)}` : ''}.</p>`)
  if (report.runError) out.push(`<p>❌ ${show(report.runError)}</p>`)
  if (report.halt) out.push(`<p>⛔ ${show(haltMessage(report.halt))}</p>`)

  const problems = allProblems(report)
  if (problems.length > 0) {
    out.push('<h3>Manifest problems</h3>')
    const rows = problems.slice(0, MAX_PROBLEM_ROWS).map(p => [`${p.file}:${p.line}:${p.column}`, p.severity, p.message])
    out.push(table(['Where', 'Severity', 'Problem'], rows))
    if (problems.length > MAX_PROBLEM_ROWS) out.push(`<p>…and ${problems.length - MAX_PROBLEM_ROWS} more.</p>`)
  }

  if (report.outcomes.length > 0) {
    out.push(`<h3>${report.mode === 'apply' ? 'Robots' : 'Plan'}</h3>`)
    const rows = report.outcomes.slice(0, MAX_PROBLEM_ROWS).map(o => [
      label(o),
      o.entry?.profile.Nick ?? '',
      describeAction(o),
      `${STATUS_ICON[o.status]} ${o.status}`,
      o.code === null || o.attempts.length === 0 ? '' : String(o.code),
      String(o.attempts.length)
    ])
    out.push(table(['UserID', 'Nick', 'Action', 'Result', 'Code', 'Attempts'], rows))
    if (report.outcomes.length > MAX_PROBLEM_ROWS) out.push(`<p>…and ${report.outcomes.length - MAX_PROBLEM_ROWS} more entries.</p>`)
  }

  const troubled = report.outcomes.filter(o => o.status === 'failed' || o.status === 'skipped')
  if (troubled.length > 0) {
    out.push('<h3>What went wrong and what to do</h3>\n<ul>')
    for (const o of troubled) {
      const what = o.code !== null ? describeCode(o.code) : null
      const attempts = o.attempts.map((a, i) => `${i + 1}: ${a.code === null ? 'network' : a.code} ${a.info} (${a.ms} ms)`).join('; ')
      out.push(`<li><b>${show(label(o))}</b> — ${o.status}${o.code !== null ? `, code ${o.code} (${show(what!.meaning)})` : ''}: ${show(o.info)}` +
        (what ? `<br>What to do: ${show(what.hint)}` : '') +
        (attempts ? `<br>Attempts: ${show(attempts)}` : '') + '</li>')
    }
    out.push('</ul>')
  }

  const unmanaged = report.plan?.unmanaged ?? []
  if (unmanaged.length > 0) {
    out.push(`<h3>In the app but not in the manifest</h3>\n<p>${unmanaged.map(show).join(', ')} — left alone. With <code>prune: true</code> the action deletes them (the vendor keeps a deleted robot's UserID reserved).</p>`)
  }
  const notes = [...report.notes, ...planNotes(report), ...itemNotes(report).map(({ item, note }) => `${item.userId}: ${note}`)]
  if (notes.length > 0) {
    out.push('<h3>Notes</h3>\n<ul>' + notes.map(n => `<li>${show(n)}</li>`).join('') + '</ul>')
  }
  let text = out.join('\n') + '\n'
  if (Buffer.byteLength(text) > MAX_SUMMARY_BYTES) {
    text = text.slice(0, MAX_SUMMARY_BYTES / 4) + '\n<p>The summary was cut at GitHub\'s size limit; the results output has every robot.</p>\n'
  }
  return text
}

export function describeAction(o: Pick<Outcome, 'action' | 'changes' | 'userId'>): string {
  if (o.action !== 'update') return o.action
  return 'update ' + o.changes.map(c => `${c.field}: ${c.from === null ? '(not set)' : JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')
}

function describeOutcomeCode(o: Outcome): string {
  return o.code === null ? o.info : `${o.code} ${describeCode(o.code).meaning}`
}

function label(o: Outcome): string {
  return o.userId ?? `entry ${(o.entry?.index ?? 0) + 1} (no UserID)`
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}

function table(head: string[], rows: string[][]): string {
  const th = head.map(h => `<th>${show(h)}</th>`).join('')
  const trs = rows.map(r => `<tr>${r.map(c => `<td>${show(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table>\n<tr>${th}</tr>\n${trs}\n</table>`
}

/**
 * Manifest text is the user's: it shows as text, never as markup. A UserID like
 * @RBT#support would also @-mention the GitHub user "RBT" in a PR comment, so
 * @-words are set as code, where GitHub makes no mention.
 */
export function show(text: string): string {
  return escapeHtml(text).replace(/@[^\s<&]+/g, word => `<code>${word}</code>`)
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] as string)
}

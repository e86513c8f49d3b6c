/** The job summary (and the PR comment's body): HTML built from the run's report. */
import type { ActionCore } from '../action-core.js'
import { describeCode } from '../vendor/codes.js'
import { plannedWrites, writingCalls } from './changes.js'
import { show } from './escape.js'
import type { RunReport } from './types.js'
import { STATUS_ICON, allProblems, countBy, describeAction, haltMessage, itemNotes, label, planNotes } from './words.js'

/** The summary is capped at 1 MiB per step. */
const MAX_SUMMARY_BYTES = 900_000
const MAX_PROBLEM_ROWS = 200

function titleOf(report: RunReport): string {
  if (report.runError) return 'stopped before it could finish'
  if (report.halt) return 'stopped early'
  const problems = allProblems(report)
  if (problems.some(p => p.severity === 'error')) return 'not applied: the manifest has problems'
  return { apply: 'applied', plan: 'plan (dry run, nothing written)', offline: 'validation only (dry run without credentials: not compared with the app)' }[report.mode]
}

/** A drift check says first whether the app matches. */
function driftLine(report: RunReport): string {
  const drift = plannedWrites(report).length
  if (writingCalls(report) === null) return '<p>❔ Drift check: the app could not be compared with the manifest (see below).</p>'
  return drift > 0
    ? `<p>❌ Drift: the app differs from the manifest — ${drift} change${drift === 1 ? '' : 's'} to make, listed in the plan below. Nothing was written.</p>`
    : '<p>✅ No drift: the app matches the manifest.</p>'
}

export function renderSummary(report: RunReport): string {
  const out: string[] = []
  out.push(`<h2>Chat robots: ${titleOf(report)}</h2>`)
  if (report.planOnly) out.push(`<p>🔒 ${show(report.planOnly)}</p>`)
  if (report.expectNoChanges) out.push(driftLine(report))
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

function table(head: string[], rows: string[][]): string {
  const th = head.map(h => `<th>${show(h)}</th>`).join('')
  const trs = rows.map(r => `<tr>${r.map(c => `<td>${show(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table>\n<tr>${th}</tr>\n${trs}\n</table>`
}



export async function writeSummary(core: ActionCore, text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.')
    return
  }
  await core.summary.addRaw(text, true).write()
}

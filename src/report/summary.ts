/** The job summary (and the PR comment's body): HTML built from the run's report. */
import type { ActionCore } from '../action-core.js'
import { describeCode } from '../vendor/codes.js'
import { plannedWrites, writingCalls } from './changes.js'
import { cutHtml, escapeHtml, show } from './escape.js'
import type { Outcome } from '../plan/types.js'
import type { RunReport } from './types.js'
import {
  STATUS_ICON,
  actionWord,
  allProblems,
  describeChanges,
  errorCount,
  haltMessage,
  headline,
  hintFor,
  itemNotes,
  label,
  modeWords,
  notCompared,
  notComparedSentence,
  planNotes,
  runCause,
  skippedAlone,
  skippedTogether
} from './words.js'

/** The summary is capped at 1 MiB per step. */
const MAX_SUMMARY_BYTES = 900_000
const MAX_PROBLEM_ROWS = 200

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
  const apply = report.mode === 'apply'
  out.push(`<h2>${show(headline(report))}</h2>`)
  const what = report.manifest ? '' : ' (not read)'
  out.push(`<p>Chat robots · <b>${show(report.manifestFile)}</b>${what} · ${modeWords(report)}${report.target ? ` · target: ${show(report.target)}` : ''}</p>`)

  if (report.planOnly) out.push(`<p>🔒 ${show(report.planOnly)}</p>`)
  if (report.expectNoChanges) out.push(driftLine(report))
  if (report.exported) out.push(`<h3>Exported ${show(report.exported.file)}</h3>\n<pre>${escapeHtml(report.exported.text)}</pre>`)

  // A cause that applies to every entry is said once, here, and not again per robot.
  if (report.runError) out.push(`<p>❌ ${show(report.runError)}</p>`)
  if (report.halt) out.push(`<p>⛔ ${show(haltMessage(report.halt))}</p>`)
  const unread = notCompared(report)
  if (unread) out.push(`<p>⚠️ ${show(notComparedSentence(unread)).replace('not compared with the app', '<b>not compared with the app</b>')}</p>`)

  const problems = allProblems(report)
  if (problems.length > 0) {
    out.push('<h3>Manifest problems</h3>')
    const rows = problems.slice(0, MAX_PROBLEM_ROWS).map(p => [`${p.file}:${p.line}:${p.column}`, p.severity, p.message])
    out.push(table(['Where', 'Severity', 'Problem'], rows))
    if (problems.length > MAX_PROBLEM_ROWS) out.push(`<p>…and ${problems.length - MAX_PROBLEM_ROWS} more.</p>`)
  }

  if (report.outcomes.length > 0) {
    out.push(`<h3>${apply ? 'Robots' : 'Plan'}</h3>`)
    const shown = report.outcomes.slice(0, MAX_PROBLEM_ROWS)
    // Code and attempts mean something only after a call.
    const rows = apply
      ? shown.map(o => [
          label(o),
          o.entry?.profile.Nick ?? '',
          actionWord(o),
          describeChanges(o),
          `${STATUS_ICON[o.status]} ${o.status}`,
          codeCell(o),
          String(o.attempts.length)
        ])
      : shown.map(o => [label(o), o.entry?.profile.Nick ?? '', planCell(o), describeChanges(o)])
    out.push(table(apply ? ['UserID', 'Nick', 'Action', 'Changes', 'Result', 'Code', 'Attempts'] : ['UserID', 'Nick', 'Action', 'Changes'], rows))
    if (report.outcomes.length > MAX_PROBLEM_ROWS) out.push(`<p>…and ${report.outcomes.length - MAX_PROBLEM_ROWS} more entries.</p>`)
  }

  const skipped = skippedTogether(report)
  if (skipped.length > 0) {
    if (runCause(report) || errorCount(report) > 0) {
      out.push(
        `<p>⏭️ Not ${apply ? 'tried' : 'planned'} because of ${runCause(report) ? 'the error above' : 'the manifest problems above'}: ${showLabels(skipped)}.</p>`
      )
    } else {
      for (const [reason, group] of groupBy(skipped, o => o.info)) out.push(`<p>⏭️ ${show(reason)}: ${showLabels(group)}.</p>`)
    }
  }
  for (const o of skippedAlone(report)) out.push(`<p>⏭️ ${show(label(o))}: ${show(o.info)}.</p>`)

  const failed = report.outcomes.filter(o => o.status === 'failed')
  if (failed.length > 0) {
    out.push('<h3>What went wrong and what to do</h3>\n<ul>')
    for (const o of failed) {
      const meaning = o.code !== null ? describeCode(o.code).meaning : null
      const hint = hintFor(o)
      const attempts = o.attempts.map((a, i) => `${i + 1}: ${a.code === null ? 'network' : a.code} ${a.info} (${a.ms} ms)`).join('; ')
      out.push(
        `<li><b>${show(label(o))}</b> — ${apply ? 'failed' : 'cannot be made'}${o.code !== null ? `, code ${o.code} (${show(meaning as string)})` : ''}: ${show(o.info)}` +
          (hint ? `<br>What to do: ${show(hint)}` : '') +
          (attempts ? `<br>Attempts: ${show(attempts)}` : '') +
          '</li>'
      )
    }
    out.push('</ul>')
  }

  const unmanaged = report.plan?.unmanaged ?? []
  if (unmanaged.length > 0) {
    out.push(
      `<h3>In the app but not in the manifest</h3>\n<p>${unmanaged.map(show).join(', ')} — left alone. To delete one, list its UserID under <code>retired:</code> in the manifest, where the deletion is reviewed; <code>prune: true</code> deletes every robot the manifest does not list. The vendor keeps a deleted robot's UserID reserved.</p>`
    )
  }
  const notes = [...report.notes, ...planNotes(report), ...itemNotes(report).map(({ item, note }) => `${item.userId}: ${note}`)]
  if (notes.length > 0) {
    out.push('<h3>Notes</h3>\n<ul>' + notes.map(n => `<li>${show(n)}</li>`).join('') + '</ul>')
  }
  let text = out.join('\n') + '\n'
  if (Buffer.byteLength(text) > MAX_SUMMARY_BYTES) {
    // A character is at most 4 bytes; cut on a row boundary with every element closed.
    text = cutHtml(text, MAX_SUMMARY_BYTES / 4) + "\n<p>The summary was cut at GitHub's size limit; the results output has every robot.</p>\n"
  }
  return text
}

/** A plan row names the action; one that will not happen says so (no "✅ ok" next to a plan). */
function planCell(o: Outcome): string {
  if (o.status === 'invalid') return `${STATUS_ICON.invalid} invalid`
  if (o.status === 'failed') return `${actionWord(o)}: ${STATUS_ICON.failed} cannot be made`
  if (o.status === 'skipped') return `${actionWord(o)}: ${STATUS_ICON.skipped} skipped`
  return actionWord(o)
}

/** Labels one by one, so each is escaped (and an @-word set as code) on its own. */
function showLabels(outcomes: Outcome[], max = 20): string {
  const shown = outcomes
    .slice(0, max)
    .map(o => show(label(o)))
    .join(', ')
  return outcomes.length > max ? `${shown} and ${outcomes.length - max} more` : shown
}

function codeCell(o: Outcome): string {
  return o.code === null || (o.code === 0 && o.attempts.length === 0) ? '' : String(o.code)
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
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

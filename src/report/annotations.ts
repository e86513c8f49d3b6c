/** Annotations: problems, failures and cautions on the manifest's lines, at most what GitHub shows. */
import type { ActionCore } from '../action-core.js'
import { MAX_ANNOTATIONS } from '../constants.js'
import type { ManifestProblem } from '../manifest/types.js'
import type { Outcome } from '../plan/types.js'
import { forAnnotation } from './escape.js'
import type { RunReport } from './types.js'
import { allProblems, describeAction, describeOutcomeCode, hintFor, itemNotes, label, lineOf, notCompared, notComparedSentence, planNotes } from './words.js'

/** Problems on their lines, at most what GitHub shows; the last says how many more there are. */
export function annotate(core: ActionCore, report: RunReport): void {
  if (report.runError && report.runErrorAt) {
    annotation(core, 'error', report.runError, { file: report.runErrorAt.file, startLine: report.runErrorAt.line, title: 'robots manifest' })
  }
  const problems = allProblems(report)
  const failures = report.outcomes
    .filter(o => o.status === 'failed' && lineOf(o))
    .map((o): ManifestProblem => ({
      severity: 'error',
      file: report.manifestFile,
      line: lineOf(o)!.line,
      column: lineOf(o)!.column,
      message: `${o.userId}: ${o.action} failed with ${describeOutcomeCode(o)}. ${hintFor(o)}`.trim()
    }))
  // Planned in a degraded way, or not planned at all: a warning, never silent.
  const cautions: Annotation[] = [
    ...planNotes(report).map(message => ({ severity: 'warning' as const, message })),
    ...itemNotes(report).map(({ item, note }) => ({
      severity: 'warning' as const,
      message: `${item.userId}: ${note}`,
      file: report.manifestFile,
      line: item.entry?.position.line,
      column: item.entry?.position.column
    }))
  ]
  for (const severity of ['error', 'warning'] as const) {
    // Deletions first: they cannot be undone, so they are never crowded out.
    const limit = core.maxAnnotations ?? MAX_ANNOTATIONS
    const list: Annotation[] = [...deletionWarnings(report, limit), ...problems, ...failures, ...cautions].filter(p => p.severity === severity)
    list.slice(0, limit).forEach((problem, i) => {
      const more = list.length - limit
      const suffix = i === limit - 1 && more > 0 ? ` (and ${more} more ${severity}${more === 1 ? '' : 's'}: see the job summary)` : ''
      const props =
        problem.file && problem.line
          ? { file: problem.file, startLine: problem.line, startColumn: problem.column, title: 'robots manifest' }
          : { title: 'robots' }
      annotation(core, severity, problem.message + suffix, props)
    })
  }
  if (report.mode !== 'apply') {
    // On a pull request, what would change shows on the manifest's lines too.
    const changes = report.outcomes
      .filter(o => o.status === 'ok' && lineOf(o) && o.action !== 'unchanged' && o.action !== 'not-compared')
      .slice(0, MAX_ANNOTATIONS)
    for (const o of changes) {
      annotation(core, 'notice', `${o.userId}: would ${describeAction(o)}`, {
        file: report.manifestFile,
        startLine: lineOf(o)!.line,
        startColumn: lineOf(o)!.column,
        title: 'robots plan'
      })
    }
    // Said once for the whole plan, not on every line.
    const unread = notCompared(report)
    if (unread && report.outcomes.some(o => o.action === 'not-compared' && o.status === 'ok'))
      annotation(core, 'notice', notComparedSentence(unread), { title: 'robots plan' })
  }
}

/**
 * One warning per robot deleted (or, in a dry run, to be deleted), in apply mode
 * too. Past what GitHub shows, the last one names the rest.
 */
function deletionWarnings(report: RunReport, limit: number): Annotation[] {
  const deletions = report.outcomes.filter(o => o.action === 'delete' && o.status === 'ok')
  const done = report.mode === 'apply'
  const irreversible = "This cannot be undone: the vendor keeps a deleted robot's UserID reserved."
  const why = (o: Outcome): string => (o.retired ? `retired on line ${o.retired.position.line}` : "not in the manifest's robots")
  const one = (o: Outcome): Annotation => ({
    severity: 'warning',
    message: `${label(o)}: ${done ? 'deleted' : 'would be deleted'} (${why(o)}). ${irreversible}`,
    ...(o.retired ? { file: report.manifestFile, line: o.retired.position.line, column: o.retired.position.column } : {})
  })
  if (deletions.length <= limit) return deletions.map(one)
  const rest = deletions.slice(limit - 1)
  return [
    ...deletions.slice(0, limit - 1).map(one),
    { severity: 'warning', message: `${rest.length} more robots ${done ? 'deleted' : 'would be deleted'}: ${rest.map(label).join(', ')}. ${irreversible}` }
  ]
}

type AnnotationProperties = Parameters<ActionCore['error']>[1]

/**
 * Every annotation goes through here. Its message may carry text from outside:
 * core escapes it for the command, and `forAnnotation` keeps it on one line.
 */
export function annotation(
  core: Pick<ActionCore, 'error' | 'warning' | 'notice'>,
  level: 'error' | 'warning' | 'notice',
  message: string,
  properties?: AnnotationProperties
): void {
  core[level](forAnnotation(message), properties)
}

interface Annotation {
  severity: 'error' | 'warning'
  message: string
  file?: string
  line?: number
  column?: number
}

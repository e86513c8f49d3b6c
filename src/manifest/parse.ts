/**
 * The manifest stage: robots.yaml text → entries with source positions and
 * every problem found, each on its line and column. Nothing here throws on bad
 * input; reading the file from disk lives in file.ts.
 */
import { LineCounter } from 'yaml'
import { excerpt, MAX_EXCERPT } from './excerpt.js'
import { attachToEntries, readYaml } from './syntax.js'
import { positionAt, type Found, type Manifest, type ManifestEntry, type ManifestProblem, type RetiredEntry } from './types.js'
import { validate } from './validate.js'

export function parseManifest(text: string, file: string): Manifest {
  // Editors do not show a byte order mark, so columns on line 1 are counted without it.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = new LineCounter()
  const found: Found[] = []
  let entries: ManifestEntry[] = []
  let retired: RetiredEntry[] = []
  try {
    const syntax = readYaml(source, lines)
    found.push(...syntax.problems)
    if (syntax.document) {
      const validated = validate(syntax.document, source, lines)
      entries = validated.entries
      retired = validated.retired
      // After a syntax error that breaks the structure, what yaml recovered is a
      // guess, and validating it would report things that are not there.
      if (!syntax.structureBroken) found.push(...validated.problems)
      attachToEntries(found, validated.ranges)
    }
  } catch (error) {
    // A bug in this module or in yaml must still come out as a problem, not a crash.
    const detail = excerpt(error instanceof Error ? error.message : String(error), 2 * MAX_EXCERPT)
    found.push({
      offset: 0,
      severity: 'error',
      message: `The manifest could not be read: ${detail}. This is a bug in the action; please report it with the manifest.`
    })
  }

  const problems = found.map(problem => toProblem(problem, file, lines, source.length)).sort((a, b) => a.line - b.line || a.column - b.column)
  for (const problem of problems) {
    if (problem.entry !== undefined) entries[problem.entry]?.problems.push(problem)
    if (problem.retired !== undefined) retired[problem.retired]?.problems.push(problem)
  }
  return { file, entries, retired, problems }
}

function toProblem(found: Found, file: string, lines: LineCounter, length: number): ManifestProblem {
  const { line, column } = positionAt(lines, found.offset, length)
  const problem: ManifestProblem = { severity: found.severity, file, line, column, message: found.message }
  if (found.entry !== undefined) problem.entry = found.entry
  if (found.retired !== undefined) problem.retired = found.retired
  return problem
}

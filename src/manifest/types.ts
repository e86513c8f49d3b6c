/** What the manifest stage hands on: entries with source positions, and every problem found. */
import type { LineCounter } from 'yaml'
import type { ProfileField, Profile } from './fields.js'

export interface SourcePosition {
  line: number
  column: number
}

export interface ManifestProblem {
  severity: 'error' | 'warning'
  /** The manifest path as given (workspace-relative), for annotations. */
  file: string
  line: number
  column: number
  /** Names the thing, the value and the fix. */
  message: string
  /** Index of the entry in robots, when the problem belongs to one. */
  entry?: number
  /** Index of the item in retired, when the problem belongs to one. */
  retired?: number
}

export type EntryField = 'UserID' | ProfileField

export interface ManifestEntry {
  index: number
  /** null when missing or not a string. */
  UserID: string | null
  /** Only the string-valued known fields that were present. */
  profile: Profile
  /** Where the entry starts. */
  position: SourcePosition
  /** Where each value is (where its key is, when the value is empty). */
  fieldPositions: Partial<Record<EntryField, SourcePosition>>
  problems: ManifestProblem[]
}

/**
 * A problem without `entry` is about the whole file. When any of those is an
 * error (a YAML syntax error that breaks the structure, no robots list, more
 * robots than the vendor allows), the entries are not to be trusted or applied.
 */
export interface Manifest {
  file: string
  /** Every entry of robots, in order, valid or not. */
  entries: ManifestEntry[]
  /** The UserIDs listed under retired: robots to delete, kept in the file because the vendor never frees their UserIDs. */
  retired: RetiredEntry[]
  /** All problems, file-level and per entry, sorted by line then column. */
  problems: ManifestProblem[]
}

/** One item of the retired list. */
export interface RetiredEntry {
  index: number
  /** null when the item is not a string. */
  UserID: string | null
  position: SourcePosition
  problems: ManifestProblem[]
}

export function isValid(entry: ManifestEntry | RetiredEntry): boolean {
  return !entry.problems.some(problem => problem.severity === 'error')
}

/** A problem before it gets a line and column (shared by the syntax and validation steps). */
export interface Found {
  offset: number
  severity: 'error' | 'warning'
  message: string
  entry?: number
  retired?: number
  /** A syntax problem after which yaml's recovered structure is a guess. */
  breaksStructure?: boolean
  /** A syntax problem confined to one value: it belongs to the entry around it. */
  local?: boolean
}

/**
 * The text an entry owns: from the end of the one before (so the "- " and an
 * anchor after it belong to it) to its own end.
 */
export interface EntryRange {
  start: number
  end: number
}

export function positionAt(lines: LineCounter, offset: number, length: number): SourcePosition {
  const { line, col } = lines.linePos(Math.max(0, Math.min(offset, length)))
  return { line: Math.max(1, line), column: Math.max(1, col) }
}

import type * as core from '@actions/core'

/**
 * The part of @actions/core the action uses. It is passed in rather than
 * imported by every module, so tests hand in a recording fake and everything
 * the user sees still goes through the toolkit.
 */
export type ActionCore = Pick<
  typeof core,
  'getInput' | 'setSecret' | 'setOutput' | 'setFailed' | 'isDebug' | 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'startGroup' | 'endGroup' | 'summary'
> & {
  /** How many errors (and warnings) the channel shows: GitHub shows MAX_ANNOTATIONS per step; a terminal, all. */
  readonly maxAnnotations?: number
}

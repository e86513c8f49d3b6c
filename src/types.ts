/** Types of the run as a whole, shared by the entry, main.ts and the stages. */

/** The event that started the run (src/event.ts reads it). */
export interface RunEvent {
  /** GITHUB_EVENT_NAME; empty outside GitHub Actions. */
  name: string
  /** The payload's action (opened, synchronize, closed, …), when it has one. */
  action: string | null
  /** The pull request the event is about, when there is one. */
  pullRequestNumber: number | null
  /** A pull_request or pull_request_target event closing a pull request by a merge. */
  mergedClose: boolean
  /** The pull request's head repository is not its base repository (or is gone). */
  isFork: boolean
  /** Why the run must write nothing, whatever dry-run says; null when it may write. */
  planOnly: string | null
}

/**
 * Cancelling the job. The runner sends SIGINT, then SIGTERM 7.5 s later, then
 * kills the process 2.5 s after that. The first signal stops the run: no new
 * call starts, calls in flight get a short grace (the client's), and the report
 * is written with every entry accounted for. A second signal cuts the calls in
 * flight at once. The process must not die of the signal itself: then the
 * summary and the outputs of what was already written would be lost.
 */
import { CANCEL_GRACE_MS } from './constants.js'

export class Cancellation {
  private readonly stopping = new AbortController()
  private readonly cutting = new AbortController()
  private received: NodeJS.Signals | null = null

  /** Aborted on the first signal: start nothing new. */
  get stop(): AbortSignal {
    return this.stopping.signal
  }

  /** Aborted on the second signal: cut what is in flight. */
  get cut(): AbortSignal {
    return this.cutting.signal
  }

  /** The first signal received, or null. */
  get signal(): NodeJS.Signals | null {
    return this.received
  }

  receive(signal: NodeJS.Signals): void {
    if (this.received === null) {
      this.received = signal
      this.stopping.abort()
    } else {
      this.cutting.abort()
    }
  }

  /** What the report says: why the run stopped and what became of the robots. */
  describe(graceMs = CANCEL_GRACE_MS): string {
    return `The run was cancelled (${this.received ?? 'signal'}): no call was started after it, calls in flight had up to ${graceMs / 1000} s to answer, and every robot not done is skipped with the reason.`
  }

  /**
   * Listens for the runner's signals. If the report cannot be written in time
   * (a hung write), the process still ends non-zero before the runner kills it.
   */
  static listen(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'], deadlineMs = CANCEL_GRACE_MS + 3000): Cancellation {
    const cancellation = new Cancellation()
    for (const signal of signals) {
      process.on(signal, () => {
        if (cancellation.received === null) setTimeout(() => process.exit(1), deadlineMs).unref()
        cancellation.receive(signal)
      })
    }
    return cancellation
  }
}

/** Thrown between stages once the job is cancelled. */
export class RunCancelled extends Error {
  override name = 'RunCancelled'
}

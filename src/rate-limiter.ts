/**
 * At most `perSecond` calls start in any sliding one-second window. The vendor
 * counts 200 calls/s per API; when it still says "too frequent" (another system
 * shares the app's quota) the run halves its own rate.
 */
export class RateLimiter {
  private readonly starts: number[] = []
  private perSecond: number

  constructor(
    perSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.perSecond = perSecond
  }

  get rate(): number {
    return this.perSecond
  }

  /** Resolves when one more call may start, and counts it. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.now()
      while (this.starts.length > 0 && this.starts[0] <= now - 1000) this.starts.shift()
      if (this.starts.length < this.perSecond) {
        this.starts.push(now)
        return
      }
      await this.sleep(this.starts[0] + 1000 - now + 1)
    }
  }

  slowDown(): void {
    this.perSecond = Math.max(5, Math.floor(this.perSecond / 2))
  }
}

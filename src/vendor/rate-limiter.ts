/**
 * At most `perSecond` calls in any one-second window, as the vendor counts them
 * (200 calls/s per API). The vendor counts arrivals, which we cannot see: a
 * call's arrival lies somewhere between its start and its answer, so a call
 * holds its slot from its start until one second after its answer. When the
 * vendor still says "too frequent" (another system shares the app's quota), the
 * run halves its own rate.
 */
export class RateLimiter {
  /** Slots in use: the time each call's answer came, or null while it is in flight. */
  private readonly slots: Array<{ answeredAt: number | null }> = []
  private perSecond: number

  constructor(
    perSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.perSecond = perSecond
  }

  /** Resolves when one more call may start; call the returned function when its answer arrives. */
  async take(): Promise<() => void> {
    for (;;) {
      const now = this.now()
      for (let i = this.slots.length - 1; i >= 0; i--) {
        const answeredAt = this.slots[i].answeredAt
        if (answeredAt !== null && answeredAt + 1000 <= now) this.slots.splice(i, 1)
      }
      if (this.slots.length < this.perSecond) {
        const slot = { answeredAt: null as number | null }
        this.slots.push(slot)
        return () => {
          slot.answeredAt ??= this.now()
        }
      }
      const answered = this.slots.map(s => s.answeredAt).filter((t): t is number => t !== null)
      await this.sleep(answered.length > 0 ? Math.max(1, Math.min(...answered) + 1000 - now) : 10)
    }
  }

  slowDown(): void {
    this.perSecond = Math.max(5, Math.floor(this.perSecond / 2))
  }
}

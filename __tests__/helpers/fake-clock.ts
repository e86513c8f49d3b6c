/**
 * A clock that moves only when a test says so: `now` and `sleep` for code that
 * takes them as options (the rate limiter, the vendor client). A sleeper wakes
 * when the clock reaches its time, in time order, with the promise jobs of each
 * wake-up run before the next, so the code under test sees time pass as it would.
 */
export class FakeClock {
  private time: number
  private readonly sleepers: Array<{ at: number; wake: () => void }> = []
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = []

  constructor(start = 0) {
    this.time = start
  }

  now = (): number => this.time

  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    return new Promise(resolve => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), wake: resolve })
      this.sleepers.sort((a, b) => a.at - b.at)
    })
  }

  /** Moves the clock forward by `ms`, waking each sleeper at its time. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms
    await settle()
    while (this.sleepers.length > 0 && this.sleepers[0].at <= until) {
      const next = this.sleepers.shift()!
      this.time = Math.max(this.time, next.at)
      next.wake()
      await settle()
    }
    this.time = until
    await settle()
  }

  /** How many sleepers are waiting. */
  get waiting(): number {
    return this.sleepers.length
  }
}

/** Lets every pending promise job run (a macrotask turn). */
export function settle(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

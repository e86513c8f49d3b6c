/**
 * The vendor's "200 calls per second" per command, as a sliding window: a
 * client that bursts 200 calls at the end of one second and 200 at the start of
 * the next is over the limit, as it would be against a real server.
 */

export const WINDOW_MS = 1000

export class SlidingWindowLimiter {
  /** Arrival times (ms) of the admitted requests of each key within the last window. */
  private readonly admitted = new Map<string, number[]>()

  constructor(private readonly limit: number) {}

  /** True when a request at `atMs` is within the limit; it then counts against later ones. */
  admit(key: string, atMs: number): boolean {
    const recent = (this.admitted.get(key) ?? []).filter(t => atMs - t < WINDOW_MS)
    const ok = recent.length < this.limit
    if (ok) recent.push(atMs)
    this.admitted.set(key, recent)
    return ok
  }

  clear(): void {
    this.admitted.clear()
  }
}

/** The largest number of the given instants (ms) that fall within any WINDOW_MS span. */
export function maxInAnyWindow(instants: readonly number[]): number {
  const sorted = [...instants].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= WINDOW_MS) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

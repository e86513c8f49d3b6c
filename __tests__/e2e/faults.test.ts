import { afterEach, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { PRODUCTION_TIMING_ENV, results } from '../../emulator/runner.js'
import { appRobots, callsOf, faultMatrix, manifestFor, sorted } from '../helpers/fault-matrix.js'
import { runAgainst, startVendor } from '../helpers/vendor.js'

/**
 * The fault matrix on the built action, run the way the runner runs it: the
 * rows that show what only a real process shows (the bundle's HTTP, a hung
 * connection, the exit code, masking on stdout), one or a few per behaviour.
 * Every row runs in-process in __tests__/unit/specs-in-process.test.ts.
 */
faultMatrix(runAgainst, { e2eOnly: true, hangTimeoutMs: 500 })

/** The most of the given instants (ms) within any one second, as the vendor counts. */
function maxInAnySecond(instants: number[]): number {
  const sortedAt = [...instants].sort((a, b) => a - b)
  let best = 0
  for (let end = 0, start = 0; end < sortedAt.length; end++) {
    while (sortedAt[end] - sortedAt[start] >= 1000) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

describe("the vendor's rate limit, in real time", () => {
  const TWENTY = Array.from({ length: 20 }, (_, i) => ({ UserID: `@RBT#r${String(i).padStart(2, '0')}`, Nick: `Robot ${i}` }))

  let vendor: VendorEmulator | undefined
  afterEach(async () => {
    await vendor?.stop()
    vendor = undefined
  })

  /**
   * The one test that waits in real time: the vendor's window is a real second, so
   * a refused call can only be admitted a second later. Ten robots make the first
   * burst overrun a vendor that allows 5 calls a second; the action must then hold
   * every retry until the window has passed, or the retry is refused again. The
   * pacing over many windows is checked in virtual time in
   * __tests__/unit/client.test.ts and __tests__/unit/rate-limiter.test.ts.
   */
  it('slows down against a vendor that allows 5 calls a second, and creates all 10 robots without hammering it', async () => {
    const TEN = TWENTY.slice(0, 10)
    const started = await startVendor({ rateLimitPerSecond: 5 })
    const v = (vendor = started.vendor)
    // The production backoff (at most a second here): without the rate limiter's hold, every retry would land in the full window.
    const run = await runAgainst(v, { inputs: started.inputs, files: { 'robots.yaml': manifestFor(TEN) }, env: PRODUCTION_TIMING_ENV })

    expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual(TEN.map(r => [r.UserID, 'ok', 0]))
    expect(run.exitCode).toBe(0)
    expect(appRobots(v)).toEqual(sorted(TEN))
    // The first burst cannot know the limit: 5 of its 10 are refused. After it the action
    // keeps to the vendor's pace, so no retry is refused again.
    expect(v.rateLimited).toBe(5)
    expect(results(run).every(r => (r.attempts as number) <= 2)).toBe(true)
    const retries = callsOf(v, 'create_robot')
      .slice(10)
      .map(call => call.at)
    expect(retries).toHaveLength(v.rateLimited)
    expect(maxInAnySecond(retries)).toBeLessThanOrEqual(5)
    expect(run.durationMs).toBeLessThan(15_000)
  }, 30_000)

  it("never goes over the vendor's 200 calls a second with 20 robots to create and update", async () => {
    const started = await startVendor()
    const v = (vendor = started.vendor)
    v.seed(TWENTY.slice(0, 10).map(r => ({ ...r, Nick: `${r.Nick} (old)` })))
    const run = await runAgainst(v, { inputs: started.inputs, files: { 'robots.yaml': manifestFor(TWENTY) } })

    expect(results(run).map(r => [r.UserID, r.status, r.action])).toEqual(TWENTY.map((r, i) => [r.UserID, 'ok', i < 10 ? 'update' : 'create']))
    expect(run.exitCode).toBe(0)
    expect(appRobots(v)).toEqual(sorted(TWENTY))
    expect(v.calls).toHaveLength(22)
    expect(v.rateLimited).toBe(0)
    expect(v.maxCallsInAnyWindow()).toBeLessThanOrEqual(200)
  })
})

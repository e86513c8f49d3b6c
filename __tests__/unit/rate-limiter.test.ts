import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { RateLimiter } from '../../src/vendor/rate-limiter.js'
import { FakeClock, settle } from '../helpers/fake-clock.js'

/** A call's slot: taken when the limiter lets it start, released when its answer comes. */
interface Call {
  started: boolean
  startedAt?: number
  answer?: () => void
}

function start(limiter: RateLimiter, clock: FakeClock): Call {
  const call: Call = { started: false }
  void limiter.take().then(answered => {
    call.started = true
    call.startedAt = clock.now()
    call.answer = answered
  })
  return call
}

async function startMany(limiter: RateLimiter, clock: FakeClock, count: number): Promise<Call[]> {
  const calls = Array.from({ length: count }, () => start(limiter, clock))
  await settle()
  return calls
}

describe('the rate limiter (fake clock)', () => {
  it('lets as many calls start at once as the limit allows, without waiting', async () => {
    const clock = new FakeClock()
    const calls = await startMany(new RateLimiter(3, clock.now, clock.sleep), clock, 3)
    expect(calls.every(call => call.started)).toBe(true)
    expect(clock.sleeps).toEqual([])
  })

  it('starts the next call one second after the earliest answer, not before', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(2, clock.now, clock.sleep)
    const [first, second] = await startMany(limiter, clock, 2)
    const third = start(limiter, clock)
    await clock.advance(100)
    first.answer!()
    await clock.advance(50)
    second.answer!()

    await clock.advance(949)
    expect(third.started).toBe(false)
    await clock.advance(1)
    expect(third).toMatchObject({ started: true, startedAt: 1100 })
  })

  it('holds the slot of a call in flight until its answer comes, however long that takes', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(1, clock.now, clock.sleep)
    const [hung] = await startMany(limiter, clock, 1)
    const next = start(limiter, clock)
    await clock.advance(30_000)
    expect(next.started).toBe(false)

    hung.answer!()
    await clock.advance(999)
    expect(next.started).toBe(false)
    await clock.advance(1)
    expect(next).toMatchObject({ started: true, startedAt: 31_000 })
  })

  it('counts an answer once, however often its release is called', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(1, clock.now, clock.sleep)
    const [call] = await startMany(limiter, clock, 1)
    const next = start(limiter, clock)
    call.answer!()
    await clock.advance(500)
    call.answer!()
    await clock.advance(500)
    expect(next).toMatchObject({ started: true, startedAt: 1000 })
  })

  it('halves its rate when told to slow down, and never goes below 5 calls a second', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(180, clock.now, clock.sleep)
    for (let i = 0; i < 10; i++) limiter.slowDown()
    const calls = await startMany(limiter, clock, 8)
    expect(calls.filter(call => call.started)).toHaveLength(5)
  })

  it('halves from the current rate: 180 → 90 → 45', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(180, clock.now, clock.sleep)
    limiter.slowDown()
    limiter.slowDown()
    const calls = await startMany(limiter, clock, 50)
    expect(calls.filter(call => call.started)).toHaveLength(45)
  })

  /**
   * The vendor counts arrivals, which lie somewhere between a call's start and its
   * answer. Whatever the latencies, no window of one second can see more arrivals
   * than the limit: a call's slot spans its start to a second after its answer, and
   * at most `limit` slots are ever held at once.
   */
  it('keeps any arrivals of the calls within the limit in every one-second window, whatever the latencies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 25 }),
        async (limit, latencies, gaps) => {
          const clock = new FakeClock(1_000_000)
          const limiter = new RateLimiter(limit, clock.now, clock.sleep)
          const spans: Array<{ start: number; answer: number }> = []
          const calls = latencies.map(async (latency, i) => {
            await clock.sleep(gaps[i % gaps.length] * i)
            const answered = await limiter.take()
            const startAt = clock.now()
            await clock.sleep(latency)
            answered()
            spans.push({ start: startAt, answer: clock.now() })
          })
          const done = Promise.all(calls)
          for (let step = 0; step < 2000 && spans.length < latencies.length; step++) await clock.advance(50)
          await done
          expect(spans).toHaveLength(latencies.length)
          // The most slots held at any instant, a slot being [start, answer + 1000).
          const edges = spans.flatMap(
            s =>
              [
                [s.start, 1],
                [s.answer + 1000, -1]
              ] as Array<[number, number]>
          )
          edges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
          let open = 0
          let most = 0
          for (const [, change] of edges) most = Math.max(most, (open += change))
          expect(most).toBeLessThanOrEqual(limit)
          // And so the vendor's count, for the earliest and the latest possible arrivals.
          for (const arrival of [(s: { start: number }) => s.start, (s: { answer: number }) => s.answer]) {
            const at = spans.map(arrival).sort((a, b) => a - b)
            for (let i = 0; i + limit < at.length; i++) expect(at[i + limit] - at[i]).toBeGreaterThanOrEqual(1000)
          }
        }
      ),
      { numRuns: 60 }
    )
  })
})

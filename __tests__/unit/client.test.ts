import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { maxInAnyWindow } from '../../emulator/rate-window.js'
import { VendorEmulator, TEST_SECRET_KEY, type EmulatorOptions } from '../../emulator/server.js'
import { VendorClient } from '../../src/vendor/client.js'
import type { ClientOptions } from '../../src/vendor/types.js'
import { FakeClock, settle } from '../helpers/fake-clock.js'

let vendor: VendorEmulator
let masked: string[]
const clients: VendorClient[] = []
const log = { debug: () => {}, info: () => {}, warning: () => {} }

beforeEach(async () => {
  vendor = new VendorEmulator()
  await vendor.start()
  masked = []
})
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await vendor.stop()
})

function client(options: Partial<ClientOptions> = {}): VendorClient {
  const made = new VendorClient({
    baseUrl: new URL(vendor.url + '/'),
    proxy: null,
    credentials: { sdkappid: '1400000000', identifier: 'administrator', secretKey: TEST_SECRET_KEY },
    readOnly: false,
    maxAttempts: 3,
    log,
    mask: secret => masked.push(secret),
    backoffBaseMs: 5,
    ...options
  })
  clients.push(made)
  return made
}

describe('the vendor client', () => {
  it('masks the secret key and the UserSig it signs before making any call', () => {
    client()
    expect(masked).toContain(TEST_SECRET_KEY)
    expect(masked.some(s => s.startsWith('eJ'))).toBe(true)
  })

  it('goes through the proxy of its options: masks its password as written and decoded, and names only its host and port', () => {
    const lines: string[] = []
    client({
      baseUrl: new URL('https://console.tim.qq.com/'),
      proxy: new URL('http://ci:p%40ss-w0rd@proxy.corp:3128'),
      log: { ...log, info: line => lines.push(line) }
    })
    expect(masked).toEqual(expect.arrayContaining(['p%40ss-w0rd', 'p@ss-w0rd']))
    expect(lines).toEqual(['Calls to the vendor go through the proxy proxy.corp:3128 (from HTTPS_PROXY; NO_PROXY lists the hosts that bypass it).'])
  })

  it('never sends calls to an http:// (loopback) endpoint through a proxy', async () => {
    const lines: string[] = []
    const direct = client({ proxy: new URL('http://127.0.0.1:9'), log: { ...log, info: line => lines.push(line) } })
    expect((await direct.createRobot('@RBT#a', {})).kind).toBe('ok')
    expect(lines).toEqual([])
  })

  it('creates a robot with one call', async () => {
    const outcome = await client().createRobot('@RBT#a', { Nick: 'A' })
    expect(outcome.kind).toBe('ok')
    expect(vendor.robots()).toEqual([{ UserID: '@RBT#a', Nick: 'A' }])
  })

  it('retries a transient code and succeeds', async () => {
    vendor.inject({ kind: 'code', code: 70500, times: 2 })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome.kind).toBe('ok')
    expect(outcome.attempts.map(a => a.code)).toEqual([70500, 70500, 0])
  })

  it('gives up after max-attempts on a transient fault that never clears', async () => {
    vendor.inject({ kind: 'http', status: 502, times: Infinity })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome).toMatchObject({ kind: 'failed', code: null, class: 'transient' })
    expect(outcome.attempts).toHaveLength(3)
  })

  it('makes exactly one call for a permanent code', async () => {
    vendor.inject({ kind: 'code', code: 10004, times: Infinity })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome).toMatchObject({ kind: 'failed', code: 10004, class: 'permanent' })
    expect(vendor.calls).toHaveLength(1)
  })

  it('halts the run on a run-fatal code: later calls are skipped without a request', async () => {
    vendor.inject({ kind: 'code', code: 70009 })
    const c = client()
    expect(await c.createRobot('@RBT#a', {})).toMatchObject({ kind: 'failed', code: 70009, class: 'run-fatal' })
    const later = await c.createRobot('@RBT#b', {})
    expect(later.kind).toBe('skipped')
    expect(vendor.calls).toHaveLength(1)
    expect(c.halt).toMatchObject({ code: 70009 })
  })

  it('re-signs once when the vendor says the UserSig expired', async () => {
    vendor.inject({ kind: 'code', code: 70001 })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome.kind).toBe('ok')
    expect(vendor.calls).toHaveLength(2)
  })

  it('treats a second expiry as fatal', async () => {
    vendor.inject({ kind: 'code', code: 70052, times: 2 })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome).toMatchObject({ kind: 'failed', code: 70052 })
    expect(vendor.calls).toHaveLength(2)
  })

  it('cannot re-sign a ready-made usersig, so its expiry is fatal at once', async () => {
    vendor.inject({ kind: 'code', code: 70001 })
    const ready = client({ credentials: { sdkappid: '1400000000', identifier: 'administrator', usersig: 'eJwrreadymade' } })
    expect(await ready.createRobot('@RBT#a', {})).toMatchObject({ kind: 'failed', code: 70001 })
    expect(vendor.calls).toHaveLength(1)
  })

  it('never follows a redirect, and halts', async () => {
    vendor.inject({ kind: 'redirect' })
    const c = client()
    const outcome = await c.createRobot('@RBT#a', {})
    expect(outcome).toMatchObject({ kind: 'failed', code: null, class: 'run-fatal' })
    expect(vendor.followedRedirects).toBe(0)
  })

  it('times out a hanging request and retries it', async () => {
    vendor.inject({ kind: 'hang' })
    const outcome = await client({ timeoutMs: 300 }).createRobot('@RBT#a', {})
    expect(outcome.kind).toBe('ok')
    expect(outcome.attempts[0].info).toMatch(/no answer within 0.3 s/)
  })

  it.each([['reset'], ['truncated'], ['non-json']] as const)('recovers from a %s answer', async kind => {
    vendor.inject({ kind })
    const outcome = await client().createRobot('@RBT#a', {})
    expect(outcome.kind).toBe('ok')
    expect(outcome.attempts[0].code).toBeNull()
  })

  it('refuses a writing command in read-only mode without a request', async () => {
    const c = client({ readOnly: true })
    await expect(c.createRobot('@RBT#a', {})).rejects.toThrow(/dry run/)
    await expect(c.deleteRobot('@RBT#a')).rejects.toThrow(/dry run/)
    await expect(c.setProfile('@RBT#a', { Nick: 'x' })).rejects.toThrow(/dry run/)
    expect(vendor.calls).toHaveLength(0)
  })

  it('lists robots and reads their profiles in batches of 100', async () => {
    vendor.seed(Array.from({ length: 150 }, (_, i) => ({ UserID: `@RBT#${i}`, Nick: `n${i}` })))
    const c = client()
    const listed = await c.listRobots()
    expect(listed.kind === 'ok' && listed.value.length).toBe(150)
    const profiles = await c.readProfiles(listed.kind === 'ok' ? listed.value : [])
    expect(profiles.kind === 'ok' && profiles.value.get('@RBT#149')).toEqual({ ok: true, profile: { Nick: 'n149' } })
    expect(vendor.calls.filter(call => call.command === 'portrait_get')).toHaveLength(2)
  })

  it('redacts the secret key and UserSigs, raw and URL-encoded, from any text', () => {
    const c = client()
    const usersig = masked.find(s => s.startsWith('eJ'))!
    expect(c.redact(`key ${TEST_SECRET_KEY} sig ${usersig} enc ${encodeURIComponent(usersig)}`)).toBe('key *** sig *** enc ***')
  })
})

/**
 * Pacing in virtual time: the client and the emulator share a fake clock, so a
 * second of the vendor's window passes in a few milliseconds. The calls still
 * go over loopback HTTP; while they are in flight the clock keeps moving, which
 * only makes their latencies longer. The built action keeps the vendor's pace
 * in real time in __tests__/e2e/faults.test.ts.
 */
describe('the vendor client against a rate limit, in virtual time', () => {
  let clock: FakeClock
  let paced: VendorEmulator

  async function startPaced(options: EmulatorOptions = {}): Promise<void> {
    // A start at the real time keeps the UserSig the client signs valid for the emulator.
    clock = new FakeClock(Date.now())
    paced = new VendorEmulator({ ...options, nowMs: clock.now })
    await paced.start()
  }
  afterEach(async () => {
    await paced?.stop()
  })

  function pacedClient(options: Partial<ClientOptions>): VendorClient {
    return client({ baseUrl: new URL(paced.url + '/'), now: clock.now, sleep: clock.sleep, ...options })
  }

  /**
   * Moves the clock until every call has answered: a millisecond at a time while a
   * call waits for its turn, not at all while every call is in flight, so a call's
   * latency stays close to what the clock shows.
   */
  async function untilDone<T>(calls: Promise<T>[]): Promise<T[]> {
    let done = false
    const all = Promise.all(calls).finally(() => (done = true))
    while (!done) await (clock.waiting > 0 ? clock.advance(1) : settle())
    return all
  }

  it('keeps to the rate limit it is given', async () => {
    await startPaced({ robotLimit: 25 })
    const c = pacedClient({ maxCallsPerSecond: 15 })
    const started = clock.now()
    const outcomes = await untilDone(Array.from({ length: 25 }, (_, i) => c.createRobot(`@RBT#r${i}`, {})))

    expect(outcomes.map(outcome => outcome.kind)).toEqual(Array(25).fill('ok'))
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000)
    expect(paced.maxCallsInAnyWindow()).toBe(15)
  })

  it('slows down against a vendor that allows 5 calls a second, and creates 20 robots without hammering it', async () => {
    await startPaced({ rateLimitPerSecond: 5 })
    // The production rate and backoff, and the action's default attempts.
    const c = pacedClient({ maxAttempts: 5, backoffBaseMs: undefined })
    const outcomes = await untilDone(Array.from({ length: 20 }, (_, i) => c.createRobot(`@RBT#r${i}`, {})))

    expect(outcomes.map(outcome => outcome.kind)).toEqual(Array(20).fill('ok'))
    expect(paced.robots()).toHaveLength(20)
    // The first burst cannot know the limit: 15 of its 20 are refused. After it the client
    // keeps to the vendor's pace, so no retry is refused again.
    expect(paced.rateLimited).toBe(15)
    expect(outcomes.every(outcome => outcome.attempts.length <= 2)).toBe(true)
    const retries = paced.calls.slice(20)
    expect(retries).toHaveLength(15)
    expect(maxInAnyWindow(retries.map(call => call.at))).toBeLessThanOrEqual(5)
  })
})

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { VendorEmulator, TEST_SECRET_KEY } from '../../emulator/server.js'
import { VendorClient } from '../../src/vendor/client.js'
import type { ClientOptions } from '../../src/vendor/types.js'

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

  it('keeps to the rate limit it is given, with room for arrival jitter', async () => {
    const c = client({ maxCallsPerSecond: 15 })
    const started = Date.now()
    await Promise.all(Array.from({ length: 25 }, (_, i) => c.createRobot(`@RBT#r${i}`, {})))
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(vendor.maxCallsInAnyWindow()).toBeLessThanOrEqual(20)
    expect(vendor.maxCallsInAnyWindow()).toBeGreaterThanOrEqual(15)
  })
})

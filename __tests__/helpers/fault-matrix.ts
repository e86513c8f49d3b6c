import { afterEach, describe, expect, it } from '@jest/globals'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import type { CallRecord, EmulatorOptions, Fault, RobotProfile, VendorEmulator } from '../../emulator/server.js'
import { results, testTimingEnv, type ActionRun, type RunOptions } from '../../emulator/runner.js'
import { ATTEMPT_TIMEOUT_MS } from '../../src/constants.js'
import { manifestOf, startVendor, TEST_SECRET_KEY } from './vendor.js'

/**
 * The fault matrix: the action against the emulator with a fault injected
 * between them. Every case checks the final status of every robot (the results
 * output) and what reached the vendor.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every
 * row in-process (src/main.ts with the fake core); __tests__/e2e/faults.test.ts
 * runs the rows marked `e2e` on the built dist/ the way the runner does, one
 * or a few per behaviour.
 */

export type Runner = (vendor: VendorEmulator, options: RunOptions) => Promise<ActionRun>

export interface MatrixOptions {
  /** Only the rows marked for the end-to-end run. */
  e2eOnly: boolean
  /** The attempt timeout the hang case gives the action (test timing). */
  hangTimeoutMs: number
}

export type Robot = RobotProfile

export const ROBOTS: Robot[] = [
  { UserID: '@RBT#support', Nick: 'Support', FaceUrl: 'https://cdn.example.com/s.png', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' },
  { UserID: '@RBT#faq', Nick: 'FAQ' }
]
const IDS = ROBOTS.map(robot => robot.UserID)
/** The robot each single-robot fault is aimed at. */
const TARGET = '@RBT#billing'

export function manifestFor(robots: Robot[]): string {
  return manifestOf(robots.map(robot => Object.fromEntries(Object.entries(robot).filter(([, value]) => value !== undefined)) as Record<string, string>))
}
const THREE = manifestFor(ROBOTS)

/** [UserID, status, ErrorCode, attempts] of every robot, in manifest order. */
function statuses(run: ActionRun): Array<[unknown, unknown, unknown, unknown]> {
  return results(run).map(r => [r.UserID, r.status, r.ErrorCode, r.attempts])
}

function isAbout(call: CallRecord, userId: string): boolean {
  const body = call.body as Record<string, unknown> | undefined
  return body?.UserID === userId || body?.Robot_Account === userId || body?.From_Account === userId
}

export function callsOf(v: VendorEmulator, command: string, userId?: string): CallRecord[] {
  return v.calls.filter(call => call.command === command && (userId === undefined || isAbout(call, userId)))
}

/** The message of the step's failure (the one error annotation without a file). */
function failureMessage(run: ActionRun): string {
  return run.annotations
    .filter(a => a.level === 'error' && a.file === undefined)
    .map(a => a.message)
    .join('\n')
}

/** A crash shows as a stack trace or an unhandled rejection on stderr. */
function expectNoCrash(run: ActionRun): void {
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(run.stderr).not.toMatch(/unhandled|uncaught/i)
}

/** The app's robots in UserID order: concurrent creates land in any order. */
export function appRobots(v: VendorEmulator): Robot[] {
  return sorted(v.robots())
}

export function sorted(robots: Robot[]): Robot[] {
  return [...robots].sort((a, b) => a.UserID.localeCompare(b.UserID))
}

function readyUserSig(): string {
  return new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', 600)
}

/** Rows of a table, less those not marked for the end-to-end run when only those are wanted. */
function rows<T>(table: Array<{ e2e?: boolean; row: T }>, options: MatrixOptions): T[] {
  return table.filter(entry => entry.e2e || !options.e2eOnly).map(entry => entry.row)
}

export function faultMatrix(runAgainst: Runner, options: MatrixOptions): void {
  let vendor: VendorEmulator | undefined
  afterEach(async () => {
    await vendor?.stop()
    vendor = undefined
  })

  async function start(emulator: EmulatorOptions = {}): Promise<{ vendor: VendorEmulator; inputs: Record<string, string> }> {
    const started = await startVendor(emulator)
    vendor = started.vendor
    return started
  }

  /** A case for both runs (e2e true), or for the in-process run only. */
  const test = (e2e: boolean, name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (e2e || !options.e2eOnly) it(name, fn, timeout)
  }

  describe('transient faults are retried until they clear', () => {
    const TRANSIENT: Array<{ e2e?: boolean; row: [string, Fault] }> = [
      { e2e: true, row: ['a connection reset', { kind: 'reset' }] },
      { row: ['HTTP 502 with an HTML page', { kind: 'http', status: 502 }] },
      { e2e: true, row: ['HTTP 200 with a body cut off before its end', { kind: 'truncated' }] },
      { row: ['HTTP 200 with an HTML body', { kind: 'non-json' }] },
      // 60007 reaches the built action from the emulator's own rate limit in __tests__/e2e/faults.test.ts.
      ...[10002, 40006, 60007, 60008, 60011, 60014, 60018, 60019, 70169, 70202, 70500].map(code => ({
        row: [`code ${code}`, { kind: 'code', code }] as [string, Fault]
      }))
    ]

    it.each(rows(TRANSIENT, options))('%s, twice on one robot, is retried and every robot is created', async (_name, fault) => {
      const { vendor: v, inputs } = await start()
      v.inject({ ...fault, command: 'create_robot', userId: TARGET, times: 2 })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'ok', 0, 3],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(run.exitCode).toBe(0)
      expect(appRobots(v)).toEqual(sorted(ROBOTS))
      expect(callsOf(v, 'create_robot', TARGET).map(call => call.fault ?? 'answered')).toEqual([fault.kind, fault.kind, 'answered'])
      expect(callsOf(v, 'create_robot')).toHaveLength(5)
      expect(v.pendingFaults).toBe(0)
      // Two backoffs, each at most the test timing's cap.
      expect(run.durationMs).toBeLessThan(10_000)
      expectNoCrash(run)
    })

    const timeout = options.hangTimeoutMs
    test(
      true,
      `a request that hangs is abandoned after the attempt timeout (${timeout / 1000} s here) and retried`,
      async () => {
        const { vendor: v, inputs } = await start()
        v.inject({ kind: 'hang', command: 'create_robot', userId: TARGET })
        const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE }, env: testTimingEnv({ timeoutMs: timeout }) })

        expect(statuses(run)).toEqual([
          ['@RBT#support', 'ok', 0, 1],
          ['@RBT#billing', 'ok', 0, 2],
          ['@RBT#faq', 'ok', 0, 1]
        ])
        expect(run.exitCode).toBe(0)
        expect(appRobots(v)).toEqual(sorted(ROBOTS))
        expect(callsOf(v, 'create_robot', TARGET).map(call => call.fault ?? 'answered')).toEqual(['hang', 'answered'])
        // Abandoned after the test's timeout, not the production one it stands in for.
        expect(run.durationMs).toBeGreaterThanOrEqual(timeout)
        expect(run.durationMs).toBeLessThan(ATTEMPT_TIMEOUT_MS)
      },
      40_000
    )
  })

  describe('a transient fault that never clears', () => {
    test(true, 'fails that robot after max-attempts, lists each attempt in the summary, and creates the others', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code: 10002, command: 'create_robot', userId: TARGET, times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, 'max-attempts': '3' }, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'failed', 10002, 3],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(run.exitCode).toBe(1)
      expect(appRobots(v).map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#faq'].sort())
      expect(callsOf(v, 'create_robot', TARGET)).toHaveLength(3)
      expect(JSON.parse(run.outputs.failed)).toEqual([TARGET])
      expect(run.summary).toMatch(/Attempts: 1: 10002 [^;]*; 2: 10002 [^;]*; 3: 10002 /)
      expect(failureMessage(run)).toMatch(/@RBT#billing failed \(10002/)
      expectNoCrash(run)
    })

    test(false, 'gives up on a connection that keeps being reset, with the reason for each attempt', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'reset', command: 'create_robot', userId: TARGET, times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, 'max-attempts': '3' }, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'failed', null, 3],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(results(run)[1].ErrorInfo).toMatch(/reset/)
      expect(run.exitCode).toBe(1)
      expect(appRobots(v).map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#faq'].sort())
      expect(callsOf(v, 'create_robot', TARGET)).toHaveLength(3)
      expect(run.summary).toMatch(/Attempts: 1: network [^;]*reset[^;]*; 2: network [^;]*; 3: network /)
    })
  })

  describe('permanent answers are not retried', () => {
    const PERMANENT = [10004, 10008, 40601, 70398, 12345].map(code => ({ e2e: code === 10004, row: code }))

    it.each(rows(PERMANENT, options))('code %i fails that robot after one call and the others are created', async code => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code, command: 'create_robot', userId: TARGET, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'failed', code, 1],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(run.exitCode).toBe(1)
      expect(appRobots(v).map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#faq'].sort())
      expect(callsOf(v, 'create_robot', TARGET)).toHaveLength(1)
      expect(callsOf(v, 'create_robot')).toHaveLength(3)
      expect(failureMessage(run)).toMatch(new RegExp(`@RBT#billing failed \\(${code}\\b`))
      const onLine = run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml')
      expect(onLine.map(a => a.line)).toEqual([results(run)[1].line])
      expect(onLine[0].message).toMatch(new RegExp(`^@RBT#billing: create failed with ${code} `))
    })

    test(false, 'says a code it does not know is unknown, and that it was not retried', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code: 12345, info: 'something new', command: 'create_robot', userId: TARGET, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'failed', 12345, 1],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(callsOf(v, 'create_robot', TARGET)).toHaveLength(1)
      expect(appRobots(v).map(r => r.UserID)).toEqual(['@RBT#faq', '@RBT#support'])
      expect(failureMessage(run)).toMatch(/unknown error code 12345/)
      expect(run.summary).toMatch(/does not know this code and treated it as permanent/)
    })
  })

  describe('run-fatal answers stop the run', () => {
    /** Code, and how many calls reach the vendor when the action signs its own UserSig (expiry: one re-sign). */
    const RUN_FATAL: Array<{ e2e?: boolean; row: [number, number] }> = [
      { e2e: true, row: [70001, 2] },
      { row: [70052, 2] },
      ...[
        70002, 70003, 70005, 70009, 70013, 70014, 70016, 70020, 60004, 60005, 60006, 60010, 60016, 60020, 60021, 60025, 60026, 40004, 60012, 60017, 60028,
        70403, 72000, 72001, 72002, 72011, 72012
      ].map(code => ({ row: [code, 1] as [number, number] }))
    ]

    it.each(rows(RUN_FATAL, options))('code %i on the first call: no further call, every robot skipped with the reason', async (code, calls) => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(v.calls.map(call => call.command)).toEqual(Array(calls).fill('get_all_robots'))
      expect(v.robots()).toEqual([])
      expect(statuses(run)).toEqual(IDS.map(id => [id, 'skipped', null, 0]))
      for (const r of results(run)) expect(r.ErrorInfo).toMatch(new RegExp(`stopped after code ${code}\\b.*get_all_robots`))
      expect(run.exitCode).toBe(1)
      expect(failureMessage(run)).toMatch(new RegExp(`The run stopped early: ${code} `))
      expectNoCrash(run)
    })

    const EXPIRY = [70001, 70052].map(code => ({ e2e: code === 70001, row: code }))
    it.each(rows(EXPIRY, options))('with a ready-made usersig, expiry code %i is fatal after one call (nothing to re-sign)', async code => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code, times: Infinity })
      const withUserSig: Record<string, string> = { ...inputs, usersig: readyUserSig() }
      delete withUserSig['secret-key']
      const run = await runAgainst(v, { inputs: withUserSig, files: { 'robots.yaml': THREE } })

      expect(v.calls).toHaveLength(1)
      expect(v.robots()).toEqual([])
      expect(statuses(run)).toEqual(IDS.map(id => [id, 'skipped', null, 0]))
      expect(run.exitCode).toBe(1)
    })

    test(true, 'the job summary says why the run stopped and what to do', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code: 70016, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual(IDS.map(id => [id, 'skipped', null, 0]))
      expect(v.calls).toHaveLength(1)
      expect(run.summary).toMatch(/The run stopped early: 70016 \(key or SDKAppID not found in this data centre\) from <code>get_all_robots<\/code>/)
      expect(run.summary).toContain('Set the region input to the data centre of this SDKAppID')
    })

    test(false, 'a run-fatal answer to the first write, sent alone when the app could not be listed, leaves the rest untried', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'reset', command: 'get_all_robots', times: Infinity })
      v.inject({ kind: 'code', code: 60010, command: 'create_robot', times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, 'max-attempts': '2' }, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'failed', 60010, 1],
        ['@RBT#billing', 'skipped', null, 0],
        ['@RBT#faq', 'skipped', null, 0]
      ])
      expect(results(run)[1].ErrorInfo).toMatch(/stopped after code 60010/)
      expect(v.calls.map(call => call.command)).toEqual(['get_all_robots', 'get_all_robots', 'create_robot'])
      expect(v.robots()).toEqual([])
      expect(run.exitCode).toBe(1)
    })

    test(true, 'an expired UserSig answered once to one create_robot is re-signed, and every robot is created', async () => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'code', code: 70001, command: 'create_robot', userId: TARGET })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(statuses(run)).toEqual([
        ['@RBT#support', 'ok', 0, 1],
        ['@RBT#billing', 'ok', 0, 2],
        ['@RBT#faq', 'ok', 0, 1]
      ])
      expect(run.exitCode).toBe(0)
      expect(appRobots(v)).toEqual(sorted(ROBOTS))
      const [expired, retried] = callsOf(v, 'create_robot', TARGET)
      expect([expired.code, retried.code]).toEqual([70001, 0])
      expect(run.log).toContain('The vendor says the UserSig expired: signing a fresh one')
      expect(callsOf(v, 'create_robot')).toHaveLength(4)
    })
  })

  describe('redirects', () => {
    const STATUSES = [301, 302, 303, 307, 308].map(status => ({ e2e: status === 302, row: status }))

    it.each(rows(STATUSES, options))('HTTP %i is never followed and stops the run', async status => {
      const { vendor: v, inputs } = await start()
      v.inject({ kind: 'redirect', status, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(v.followedRedirects).toBe(0)
      expect(v.calls.map(call => call.command)).toEqual(['get_all_robots'])
      expect(v.robots()).toEqual([])
      expect(statuses(run)).toEqual(IDS.map(id => [id, 'skipped', null, 0]))
      expect(run.exitCode).toBe(1)
      expect(failureMessage(run)).toMatch(new RegExp(`HTTP ${status}, a redirect`))
      expectNoCrash(run)
    })
  })

  describe('update and prune faults', () => {
    const OLD = ROBOTS.map(robot => ({ UserID: robot.UserID, Nick: `${robot.Nick} (old)` }))

    test(true, 'a portrait_set failure fails only that robot', async () => {
      const { vendor: v, inputs } = await start()
      v.seed(OLD)
      v.inject({ kind: 'code', code: 40005, command: 'portrait_set', userId: TARGET, times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(results(run).map(r => [r.UserID, r.status, r.action, r.ErrorCode, r.attempts])).toEqual([
        ['@RBT#support', 'ok', 'update', 0, 1],
        ['@RBT#billing', 'failed', 'update', 40005, 1],
        ['@RBT#faq', 'ok', 'update', 0, 1]
      ])
      expect(run.exitCode).toBe(1)
      expect(appRobots(v)).toEqual(sorted([ROBOTS[0], { UserID: TARGET, Nick: 'Billing (old)' }, ROBOTS[2]]))
      expect(callsOf(v, 'portrait_set', TARGET)).toHaveLength(1)
      expect(failureMessage(run)).toMatch(/@RBT#billing failed \(40005/)
    })

    test(false, 'a transient portrait_set fault is retried and the profile converges', async () => {
      const { vendor: v, inputs } = await start()
      v.seed(OLD)
      v.inject({ kind: 'code', code: 40006, command: 'portrait_set', userId: TARGET, times: 2 })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(results(run).map(r => [r.UserID, r.status, r.action, r.attempts])).toEqual([
        ['@RBT#support', 'ok', 'update', 1],
        ['@RBT#billing', 'ok', 'update', 3],
        ['@RBT#faq', 'ok', 'update', 1]
      ])
      expect(run.exitCode).toBe(0)
      expect(appRobots(v)).toEqual(sorted(ROBOTS))
    })

    test(false, 'a delete_robot failure with prune fails only that robot', async () => {
      const { vendor: v, inputs } = await start()
      v.seed([...ROBOTS, { UserID: '@RBT#gone1' }, { UserID: '@RBT#gone2' }])
      v.inject({ kind: 'code', code: 70402, command: 'delete_robot', userId: '@RBT#gone1', times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': THREE } })

      expect(results(run).map(r => [r.UserID, r.status, r.action, r.ErrorCode])).toEqual([
        ...IDS.map(id => [id, 'ok', 'unchanged', 0]),
        ['@RBT#gone1', 'failed', 'delete', 70402],
        ['@RBT#gone2', 'ok', 'delete', 0]
      ])
      expect(run.exitCode).toBe(1)
      expect(appRobots(v).map(r => r.UserID)).toEqual([...IDS, '@RBT#gone1'].sort())
      expect(v.deleted()).toEqual(['@RBT#gone2'])
      expect(failureMessage(run)).toMatch(/@RBT#gone1 failed \(70402/)
    })

    test(false, 'when portrait_get fails, every declared field is sent and the robots converge', async () => {
      const { vendor: v, inputs } = await start()
      v.seed([OLD[0], { UserID: TARGET, Nick: 'Billing' }])
      v.inject({ kind: 'code', code: 40001, command: 'portrait_get', times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

      expect(results(run).map(r => [r.UserID, r.status, r.action])).toEqual([
        ['@RBT#support', 'ok', 'update'],
        ['@RBT#billing', 'ok', 'update'],
        ['@RBT#faq', 'ok', 'create']
      ])
      expect(results(run)[0].changes).toEqual([
        { field: 'Nick', from: null, to: 'Support' },
        { field: 'FaceUrl', from: null, to: 'https://cdn.example.com/s.png' },
        { field: 'SelfSignature', from: null, to: 'Ask me' }
      ])
      expect(run.exitCode).toBe(0)
      expect(appRobots(v)).toEqual(sorted(ROBOTS))
      expect(callsOf(v, 'portrait_get')).toHaveLength(1)
      expect(run.summary).toMatch(/<code>portrait_get<\/code> failed \(40001/)
    })

    test(false, 'when get_all_robots fails permanently, every robot is created and prune is skipped with a note', async () => {
      const { vendor: v, inputs } = await start()
      v.seed([{ UserID: TARGET, Nick: 'Billing' }, { UserID: '@RBT#other' }])
      v.inject({ kind: 'code', code: 70402, command: 'get_all_robots', times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': THREE } })

      expect(results(run).map(r => [r.UserID, r.status, r.action])).toEqual(IDS.map(id => [id, 'ok', 'create']))
      expect(run.exitCode).toBe(0)
      expect(callsOf(v, 'get_all_robots')).toHaveLength(1)
      expect(callsOf(v, 'delete_robot')).toHaveLength(0)
      expect(appRobots(v).map(r => r.UserID)).toEqual([...IDS, '@RBT#other'].sort())
      expect(run.summary).toMatch(/prune was skipped/)
    })

    test(true, 'prune frees room before creating, so an app at the 20-robot limit can swap a robot even when the delete needs a retry', async () => {
      const { vendor: v, inputs } = await start()
      const full = Array.from({ length: 20 }, (_, i) => ({ UserID: `@RBT#bot${i}`, Nick: `Bot ${i}` }))
      v.seed(full)
      // The first delete attempt changes nothing: a create sent alongside it would find the app full.
      v.inject({ kind: 'code', code: 70500, command: 'delete_robot' })
      const wanted = [...full.slice(0, 19), { UserID: '@RBT#new', Nick: 'New' }]
      const run = await runAgainst(v, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': manifestFor(wanted) } })

      expect(results(run).map(r => [r.UserID, r.status, r.action, r.ErrorCode, r.attempts])).toEqual([
        ...full.slice(0, 19).map(r => [r.UserID, 'ok', 'unchanged', 0, 0]),
        ['@RBT#new', 'ok', 'create', 0, 1],
        ['@RBT#bot19', 'ok', 'delete', 0, 2]
      ])
      expect(run.exitCode).toBe(0)
      expect(appRobots(v)).toEqual(sorted(wanted))
      expect(v.deleted()).toEqual(['@RBT#bot19'])
      expect(callsOf(v, 'create_robot').map(call => call.code)).toEqual([0])
    })
  })
}

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import type { VendorEmulator } from '../../emulator/server.js'
import { errorText, results, testTimingEnv, type ActionRun } from '../../emulator/runner.js'
import { manifestOf, runAgainst, startVendor } from '../helpers/vendor.js'

/**
 * Cancelling keeps the record. When a job is cancelled the runner sends SIGINT,
 * then SIGTERM, then kills the process. Between the first signal and the kill
 * the action starts no new call, gives calls in flight a short grace to answer,
 * writes the summary and the outputs with a final status for every entry, and
 * exits non-zero. The grace is shortened here through the test timing; the
 * second signal cuts it short in production too.
 */

const THREE = manifestOf([
  { UserID: '@RBT#a', Nick: 'A' },
  { UserID: '@RBT#b', Nick: 'B' },
  { UserID: '@RBT#c', Nick: 'C' }
])
// Long enough for the delayed answer below to arrive within it on a loaded machine; each hung call waits it out once.
const GRACE_MS = 400
/** Where the call in flight only hangs, there is no answer to wait for: the grace just has to pass. */
const HUNG_GRACE_MS = 100

let vendor: VendorEmulator
let inputs: Record<string, string>
beforeEach(async () => ({ vendor, inputs } = await startVendor()))
afterEach(async () => vendor.stop())

async function until(condition: () => boolean, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!condition()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the action ended before ${what}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

interface Cancelled {
  run: ActionRun
  signalledAt: number
  exitedAfterMs: number
}

/** Runs the action and sends `signals` (a gap apart) once `ready` holds. */
async function cancel(
  options: Parameters<typeof runAgainst>[1],
  ready: () => boolean,
  signals: NodeJS.Signals[] = ['SIGTERM'],
  gapMs = 100
): Promise<Cancelled> {
  let signalledAt = 0
  let exitedAt = 0
  const run = await runAgainst(vendor, {
    ...options,
    env: { ...testTimingEnv({ cancelGraceMs: GRACE_MS }), ...options.env },
    whileRunning: async (child: ChildProcess) => {
      child.on('exit', () => (exitedAt = Date.now()))
      await until(ready, child, 'the calls to cancel were in flight')
      signalledAt = Date.now()
      for (const [i, signal] of signals.entries()) {
        if (i > 0) await new Promise(resolve => setTimeout(resolve, gapMs))
        child.kill(signal)
      }
    }
  })
  return { run, signalledAt, exitedAfterMs: exitedAt - signalledAt }
}

const arrived =
  (command: string, count = 1) =>
  () =>
    vendor.calls.filter(c => c.command === command).length >= count

function expectRecordKept(run: ActionRun, signal: string): void {
  // Its own exit code, not a death by signal.
  expect(run.exitCode).toBe(1)
  expect(run.summary).toMatch(new RegExp(`cancelled \\(${signal}\\)`))
  expect(run.outputs.results).toBeDefined()
  expect(errorText(run)).toMatch(/cancelled/)
}

describe('cancelling the job (SIGINT, SIGTERM)', () => {
  it('while the app is being listed: no write starts, every robot is skipped as cancelled, and the record is written', async () => {
    vendor.inject({ kind: 'hang', command: 'get_all_robots' })
    const { run, signalledAt, exitedAfterMs } = await cancel(
      { inputs, files: { 'robots.yaml': THREE }, env: testTimingEnv({ cancelGraceMs: HUNG_GRACE_MS }) },
      arrived('get_all_robots')
    )

    expectRecordKept(run, 'SIGTERM')
    expect(vendor.writes()).toEqual([])
    expect(vendor.calls.filter(c => c.at > signalledAt)).toEqual([])
    expect(results(run).map(r => [r.UserID, r.status])).toEqual([
      ['@RBT#a', 'skipped'],
      ['@RBT#b', 'skipped'],
      ['@RBT#c', 'skipped']
    ])
    for (const r of results(run)) expect(r.ErrorInfo).toMatch(/cancelled/)
    expect(JSON.parse(run.outputs.failed)).toEqual(['@RBT#a', '@RBT#b', '@RBT#c'])
    expect(exitedAfterMs).toBeLessThan(HUNG_GRACE_MS + 2000)
  })

  it('while deletions are in flight: an answer within the grace counts, a hung call is cut and skipped, the creations never start', async () => {
    vendor.seed([{ UserID: '@RBT#old1' }, { UserID: '@RBT#old2' }])
    vendor.inject({ kind: 'delay', ms: 100, command: 'delete_robot', userId: '@RBT#old1' })
    vendor.inject({ kind: 'hang', command: 'delete_robot', userId: '@RBT#old2' })
    const { run, signalledAt, exitedAfterMs } = await cancel(
      { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': THREE } },
      arrived('delete_robot', 2),
      ['SIGINT']
    )

    expectRecordKept(run, 'SIGINT')
    expect(vendor.calls.filter(c => c.at > signalledAt)).toEqual([])
    expect(vendor.writes().map(w => w.command)).toEqual(['delete_robot', 'delete_robot'])
    expect(vendor.deleted()).toEqual(['@RBT#old1'])
    const byId = Object.fromEntries(results(run).map(r => [r.UserID, r]))
    expect(byId['@RBT#old1']).toMatchObject({ action: 'delete', status: 'ok' })
    expect(byId['@RBT#old2']).toMatchObject({ action: 'delete', status: 'skipped' })
    expect(byId['@RBT#old2'].ErrorInfo).toMatch(/cancelled while the call was in flight: it may have taken effect/)
    // The cancellation is said once; the call cut in flight is told on its own, the robots never tried in one line.
    expect(/<h2>(.*?)<\/h2>/.exec(run.summary)?.[1]).toBe('Apply failed: cancelled — 4 skipped; 1 deleted')
    expect(run.summary.match(/The run was cancelled/g)).toHaveLength(1)
    expect(run.summary).toContain('<p>⏭️ <code>@RBT#old2</code>: cancelled while the call was in flight: it may have taken effect')
    expect(run.summary).toContain('⏭️ Not tried because of the error above: <code>@RBT#a</code>, <code>@RBT#b</code>, <code>@RBT#c</code>.')
    for (const id of ['@RBT#a', '@RBT#b', '@RBT#c']) {
      expect(byId[id]).toMatchObject({ action: 'create', status: 'skipped', attempts: 0 })
      expect(byId[id].ErrorInfo).toMatch(/cancelled/)
    }
    // Waited for the answer in flight, and no longer than the grace for the hung one.
    expect(exitedAfterMs).toBeGreaterThanOrEqual(GRACE_MS - 50)
    expect(exitedAfterMs).toBeLessThan(GRACE_MS + 2000)
  })

  it('during a retry backoff: the retry never starts', async () => {
    vendor.inject({ kind: 'code', code: 70500, command: 'create_robot', userId: '@RBT#b' })
    const { run, signalledAt, exitedAfterMs } = await cancel(
      { inputs, files: { 'robots.yaml': THREE }, env: testTimingEnv({ cancelGraceMs: GRACE_MS, backoffBaseMs: 20_000, backoffCapMs: 20_000 }) },
      // All three creates have arrived (a request sent just before the signal may arrive just after it), and b was refused.
      () => arrived('create_robot', 3)() && vendor.calls.some(c => c.command === 'create_robot' && c.code === 70500)
    )

    expectRecordKept(run, 'SIGTERM')
    expect(vendor.calls.filter(c => c.at > signalledAt)).toEqual([])
    const b = results(run).find(r => r.UserID === '@RBT#b')
    expect(b).toMatchObject({ status: 'skipped', attempts: 1 })
    expect(b?.ErrorInfo).toMatch(/cancelled: not retried after 1 attempt/)
    // No backoff timer (20 s) left to keep the process alive, nor the last-resort exit (5 s) needed.
    expect(exitedAfterMs).toBeLessThan(2500)
  })

  it('a dry run cancelled while profiles are read plans nothing as ok', async () => {
    vendor.seed([{ UserID: '@RBT#a', Nick: 'Old' }])
    vendor.inject({ kind: 'hang', command: 'portrait_get' })
    const { run } = await cancel(
      { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': THREE }, env: testTimingEnv({ cancelGraceMs: HUNG_GRACE_MS }) },
      arrived('portrait_get')
    )

    expectRecordKept(run, 'SIGTERM')
    expect(results(run).map(r => r.status)).toEqual(['skipped', 'skipped', 'skipped'])
  })

  it("a second signal cuts the grace short, as the runner's SIGTERM after SIGINT does", async () => {
    vendor.inject({ kind: 'hang', command: 'get_all_robots' })
    const { run, exitedAfterMs } = await cancel(
      { inputs, files: { 'robots.yaml': THREE }, env: testTimingEnv({ cancelGraceMs: 60_000 }) },
      arrived('get_all_robots'),
      ['SIGINT', 'SIGTERM'],
      100
    )

    expectRecordKept(run, 'SIGINT')
    expect(exitedAfterMs).toBeLessThan(100 + 2000)
  })
})

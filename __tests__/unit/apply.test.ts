import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { applyPlan, unapplied } from '../../src/apply.js'
import { parseManifest } from '../../src/manifest/parse.js'
import { readVendorState } from '../../src/plan/app-state.js'
import { planRobots } from '../../src/plan/plan.js'
import type { Outcome, Plan } from '../../src/plan/types.js'
import { FAKE_SECRET, FakeRobotApi, type Command, type Scripted } from '../helpers/fake-robot-api.js'
import { manifestOf } from '../helpers/vendor.js'

/**
 * Apply, against a fake client with the vendor's semantics (an app in memory,
 * answers classed by the codes table). Plans come from the real plan stage.
 */

const THREE = manifestOf([
  { UserID: '@RBT#a', Nick: 'A' },
  { UserID: '@RBT#b', Nick: 'B' },
  { UserID: '@RBT#c', Nick: 'C' }
])

/** The plan a run makes: the manifest compared with what the fake app has now. */
async function planAgainst(api: FakeRobotApi, yaml: string, prune = false): Promise<Plan> {
  const manifest = parseManifest(yaml, 'robots.yaml')
  return planRobots(manifest, await readVendorState(api, manifest), { prune })
}

/** The plan of a run whose listing failed: every valid entry planned as create (the vendor makes no second robot). */
function blindPlan(yaml: string): Plan {
  return planRobots(parseManifest(yaml, 'robots.yaml'), { robots: null, profiles: new Map(), notes: [] }, { prune: false })
}

function summary(outcomes: Outcome[]): Array<[string | null, string, string, number | null]> {
  return outcomes.map(o => [o.userId, o.action, o.status, o.code])
}

function writes(api: FakeRobotApi): Array<[Command, string | undefined]> {
  return api.calls.filter(call => !['get_all_robots', 'portrait_get'].includes(call.command)).map(call => [call.command, call.userId])
}

describe('apply', () => {
  it('in a dry run, calls nothing and ends every valid item ok, as planned', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#b': { Nick: 'Old' } } })
    const plan = await planAgainst(api, THREE)
    const before = api.calls.length
    const outcomes = await applyPlan(plan, api, { dryRun: true })

    expect(api.calls).toHaveLength(before)
    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'update', 'ok', 0],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(outcomes.every(o => o.planned && o.attempts.length === 0)).toBe(true)
  })

  it('without a client (offline), calls nothing and says the entries were not compared', async () => {
    const offline = planRobots(parseManifest(THREE, 'robots.yaml'), null, { prune: false })
    const outcomes = await applyPlan(offline, null, { dryRun: true })
    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'not-compared', 'ok', 0],
      ['@RBT#b', 'not-compared', 'ok', 0],
      ['@RBT#c', 'not-compared', 'ok', 0]
    ])
  })

  it('creates, updates only the changed fields, and leaves unchanged robots alone', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#b': { Nick: 'Old', SelfSignature: 'kept' }, '@RBT#c': { Nick: 'C' } } })
    const outcomes = await applyPlan(await planAgainst(api, THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'update', 'ok', 0],
      ['@RBT#c', 'unchanged', 'ok', 0]
    ])
    expect(outcomes.map(o => o.planned)).toEqual([false, false, false])
    expect(writes(api)).toEqual([
      ['create_robot', '@RBT#a'],
      ['portrait_set', '@RBT#b']
    ])
    expect(api.calls.find(call => call.command === 'portrait_set')?.fields).toEqual({ Nick: 'B' })
    expect(Object.fromEntries(api.robots)).toEqual({ '@RBT#a': { Nick: 'A' }, '@RBT#b': { Nick: 'B', SelfSignature: 'kept' }, '@RBT#c': { Nick: 'C' } })
  })

  it('sends the first write alone until the vendor has accepted the credentials, then the rest together', async () => {
    const api = new FakeRobotApi()
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'create', 'ok', 0],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(api.calls.map(call => [call.userId, call.concurrent])).toEqual([
      ['@RBT#a', 1],
      ['@RBT#b', 1],
      ['@RBT#c', 2]
    ])
  })

  it('keeps sending one write at a time while no answer proves the credentials', async () => {
    const api = new FakeRobotApi({ maxAttempts: 1 })
      .answer('create_robot', 'unreachable', { userId: '@RBT#a' })
      .answer('create_robot', 'unreachable', { userId: '@RBT#b' })
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'failed', null],
      ['@RBT#b', 'create', 'failed', null],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(api.maxConcurrent).toBe(1)
  })

  it('deletes before it creates, so an app at the limit can swap a robot', async () => {
    const full = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`@RBT#bot${i}`, { Nick: `Bot ${i}` }]))
    const wanted = [...Array.from({ length: 18 }, (_, i) => ({ UserID: `@RBT#bot${i}`, Nick: `Bot ${i}` })), { UserID: '@RBT#new1' }, { UserID: '@RBT#new2' }]
    const plan = await planAgainst(new FakeRobotApi({ robots: full }), manifestOf(wanted), true)
    // Credentials not yet proven: even the write sent alone is a deletion.
    const api = new FakeRobotApi({ robots: full })
    const outcomes = await applyPlan(plan, api, { dryRun: false })

    expect(outcomes.filter(o => o.status !== 'ok')).toEqual([])
    const order = writes(api).map(([command]) => command)
    expect(order).toEqual(['delete_robot', 'delete_robot', 'create_robot', 'create_robot'])
    expect(api.calls.map(call => call.concurrent)).toEqual([1, 1, 1, 2])
    expect([...api.deleted].sort()).toEqual(['@RBT#bot18', '@RBT#bot19'])
    expect(api.robots.size).toBe(20)
  })

  it('retries a transient answer and reports every attempt', async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', 70500, { userId: '@RBT#b', times: 2 })
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'create', 'ok', 0],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(outcomes[1].attempts.map(a => a.code)).toEqual([70500, 70500, 0])
  })

  it('fails one robot on a permanent answer and carries on with the others', async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', 40601, { userId: '@RBT#b', times: Infinity })
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'create', 'failed', 40601],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(outcomes[1].attempts).toHaveLength(1)
  })

  it('stops at a run-fatal answer: the robots not yet tried are skipped with the reason', async () => {
    const api = new FakeRobotApi().answer('create_robot', 60010, { times: Infinity })
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'failed', 60010],
      ['@RBT#b', 'create', 'skipped', null],
      ['@RBT#c', 'create', 'skipped', null]
    ])
    expect(outcomes[1].info).toMatch(/^not tried: the run stopped after code 60010 \(identifier is not an app admin\) from create_robot/)
    expect(writes(api)).toEqual([['create_robot', '@RBT#a']])
  })

  it('skips every item when the run stopped while reading the app', async () => {
    const api = new FakeRobotApi().answer('get_all_robots', 70016, { times: Infinity })
    const outcomes = await applyPlan(await planAgainst(api, THREE), api, { dryRun: false })

    expect(outcomes.map(o => [o.userId, o.status, o.code])).toEqual([
      ['@RBT#a', 'skipped', null],
      ['@RBT#b', 'skipped', null],
      ['@RBT#c', 'skipped', null]
    ])
    for (const o of outcomes) expect(o.info).toMatch(/stopped after code 70016/)
    expect(writes(api)).toEqual([])
  })

  it('calls a delete whose answer was lost ok when the list no longer has the robot', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#a': {}, '@RBT#gone': {} }, proven: true }).answer('delete_robot', 'lost')
    const outcomes = await applyPlan(await planAgainst(api, manifestOf([{ UserID: '@RBT#a' }]), true), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'unchanged', 'ok', 0],
      ['@RBT#gone', 'delete', 'ok', 0]
    ])
    expect(outcomes[1].attempts.map(a => a.code)).toEqual([null, 10004])
    expect(outcomes[1].info).toMatch(/an attempt without an answer went through/)
  })

  it('keeps a delete failed when the robot is still listed after an attempt without an answer', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#a': {}, '@RBT#stuck': {} }, proven: true, maxAttempts: 2 })
      .answer('delete_robot', 'unreachable')
      .answer('delete_robot', 70402)
    const outcomes = await applyPlan(await planAgainst(api, manifestOf([{ UserID: '@RBT#a' }]), true), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'unchanged', 'ok', 0],
      ['@RBT#stuck', 'delete', 'failed', 70402]
    ])
    expect(api.robots.has('@RBT#stuck')).toBe(true)
  })

  it('ends an item with a status when the client throws, with the secret redacted', async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', { throw: `socket closed for key ${FAKE_SECRET}` }, { userId: '@RBT#b' })
    const outcomes = await applyPlan(blindPlan(THREE), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'ok', 0],
      ['@RBT#b', 'create', 'failed', null],
      ['@RBT#c', 'create', 'ok', 0]
    ])
    expect(outcomes[1].info).toBe('unexpected error: socket closed for key ***')
  })

  it('writes nothing when the manifest has a problem: invalid entries invalid, the others skipped with the reason', async () => {
    const api = new FakeRobotApi({ proven: true })
    const yaml = manifestOf([{ UserID: '@RBT#a' }, { UserID: '@RBT#b', Nikc: 'typo' }])
    const outcomes = await applyPlan(await planAgainst(api, yaml), api, { dryRun: false })

    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'create', 'skipped', null],
      ['@RBT#b', 'invalid', 'invalid', null]
    ])
    expect(outcomes[0].info).toMatch(/^not applied: 1 problem in the manifest/)
    expect(writes(api)).toEqual([])
  })

  it('accounts for every entry of a run stopped before it had a plan', () => {
    const manifest = parseManifest(manifestOf([{ UserID: '@RBT#a' }, { UserID: 'bad' }]), 'robots.yaml')
    const outcomes = unapplied(manifest, 'Input sdkappid is required')
    expect(summary(outcomes)).toEqual([
      ['@RBT#a', 'not-compared', 'skipped', null],
      ['bad', 'invalid', 'invalid', null]
    ])
    expect(outcomes[0].info).toBe('not applied: Input sdkappid is required')
  })

  it('ends every item with a status, in plan order, whatever the vendor answers', async () => {
    const answers: fc.Arbitrary<Scripted> = fc.oneof(
      fc.constantFrom(10002, 70500, 60007, 10004, 40601, 12345, 60010, 70016, 40005),
      fc.constantFrom<Scripted>('lost', 'unreachable', { throw: 'boom' })
    )
    const commands = fc.constantFrom<Command>('get_all_robots', 'portrait_get', 'create_robot', 'portrait_set', 'delete_robot')
    const ids = ['@RBT#a', '@RBT#b', '@RBT#c', '@RBT#d', '@RBT#e']
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(ids),
        fc.subarray(ids),
        fc.boolean(),
        fc.array(
          fc.record({
            command: commands,
            answer: answers,
            userId: fc.option(fc.constantFrom(...ids), { nil: undefined }),
            times: fc.integer({ min: 1, max: 4 })
          }),
          { maxLength: 6 }
        ),
        async (inApp, wanted, prune, script) => {
          const api = new FakeRobotApi({ robots: Object.fromEntries(inApp.map(id => [id, { Nick: 'old' }])) })
          // Reading calls answer or fail; only a write can meet a bug in the client (apply's own catch).
          for (const s of script.filter(s => typeof s.answer !== 'object' || !['get_all_robots', 'portrait_get'].includes(s.command))) {
            api.answer(s.command, s.answer, { userId: s.userId, times: s.times })
          }
          const plan = await planAgainst(api, wanted.length > 0 ? manifestOf(wanted.map(id => ({ UserID: id, Nick: 'new' }))) : 'robots: []\n', prune)
          const outcomes = await applyPlan(plan, api, { dryRun: false })

          expect(outcomes.map(o => o.userId)).toEqual(plan.items.map(item => item.userId))
          for (const o of outcomes) {
            expect(['ok', 'failed', 'skipped', 'invalid']).toContain(o.status)
            if (o.status === 'ok') expect(o.code).toBe(0)
            if (o.status === 'failed' || o.status === 'skipped') expect(o.info).not.toBe('')
          }
          // A robot reported ok is where the plan wanted it.
          for (const o of outcomes.filter(o => o.status === 'ok')) {
            expect([o.userId, api.robots.has(o.userId as string)]).toEqual([o.userId, o.action !== 'delete'])
          }
        }
      ),
      { numRuns: 150 }
    )
  })
})

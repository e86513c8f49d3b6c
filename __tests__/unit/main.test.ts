import { describe, expect, it } from '@jest/globals'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import { results, testTimingEnv } from '../../emulator/runner.js'
import { runInProcess, runInProcessAgainst, type InProcessRun } from '../helpers/in-process.js'
import { manifestOf, secretsOf, emulatorPerTest, TEST_SECRET_KEY } from '../helpers/vendor.js'

/**
 * The whole run, in-process: src/main.ts's run() with the fake core against
 * the loopback emulator. These hold the run's contracts whatever the wording:
 * every entry ends with a status, a failure fails the step, the outputs keep
 * their shape, and no secret shows in what the runner would show.
 */

const THREE = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' },
  { UserID: '@RBT#faq', Nick: 'FAQ' }
])
const IDS = ['@RBT#support', '@RBT#billing', '@RBT#faq']
const STATUSES = ['ok', 'failed', 'skipped', 'invalid']
const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB'

const start = emulatorPerTest()

/** The message of the step's failure: setFailed's error, the one without a place. */
function failure(run: InProcessRun): string | undefined {
  return run.core.runnerView().annotations.find(a => a.level === 'error' && a.file === undefined)?.message
}

/** Every manifest entry is in the results, in order, with one of the four statuses and a reason unless ok. */
function expectEveryEntryAccountedFor(run: InProcessRun, ids: Array<string | null>): void {
  const all = results(run)
  expect(all.slice(0, ids.length).map(r => r.UserID)).toEqual(ids)
  for (const r of all) {
    expect(STATUSES).toContain(r.status)
    if (r.status !== 'ok') expect(r.ErrorInfo).not.toBe('')
  }
}

describe('a run, in-process', () => {
  it('applies a manifest: every robot created, the outputs in their shape, the step passes', async () => {
    const { v, inputs } = await start()
    const run = await runInProcessAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

    expect(run.exitCode).toBe(0)
    expect(failure(run)).toBeUndefined()
    expect(
      v
        .robots()
        .map(r => r.UserID)
        .sort()
    ).toEqual([...IDS].sort())
    expect(results(run)).toEqual(
      IDS.map((UserID, i) => ({ UserID, status: 'ok', action: 'create', ErrorCode: 0, ErrorInfo: '', attempts: 1, line: [2, 5, 7][i] }))
    )
    expect(JSON.parse(run.outputs.created)).toEqual(IDS)
    expect(JSON.parse(run.outputs.failed)).toEqual([])
    for (const id of IDS) expect(run.summary).toContain(id)
  })

  it('makes only reading calls in a dry run, and none without credentials', async () => {
    const { v, inputs } = await start()
    v.seed([{ UserID: '@RBT#billing', Nick: 'Old' }])
    const plan = await runInProcessAgainst(v, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': THREE } })
    expect(plan.exitCode).toBe(0)
    expect(v.writes()).toEqual([])
    expect(results(plan).map(r => r.action)).toEqual(['create', 'update', 'create'])

    const before = v.calls.length
    const offline = await runInProcess({ inputs: { 'dry-run': 'true', endpoint: inputs.endpoint }, files: { 'robots.yaml': THREE } })
    expect(offline.exitCode).toBe(0)
    expect(v.calls).toHaveLength(before)
    expectEveryEntryAccountedFor(offline, IDS)
  })

  it('fails the step when one robot fails, and still creates and reports the others', async () => {
    const { v, inputs } = await start()
    v.inject({ kind: 'code', code: 10004, command: 'create_robot', userId: '@RBT#billing', times: Infinity })
    const run = await runInProcessAgainst(v, { inputs, files: { 'robots.yaml': THREE } })

    expect(run.exitCode).toBe(1)
    expect(failure(run)).toMatch(/@RBT#billing/)
    expect(results(run).map(r => r.status)).toEqual(['ok', 'failed', 'ok'])
    expect(JSON.parse(run.outputs.failed)).toEqual(['@RBT#billing'])
  })

  it.each([
    ['a wrong input', { region: 'atlantis', endpoint: '' }],
    ['half a set of credentials outside a dry run', { 'secret-key': '' }],
    ['a test timing that is not JSON', {}, { CREATE_CHAT_ROBOTS_TEST_TIMING: 'fast' }]
  ])('fails the step on %s, and accounts for every entry', async (_name, inputChanges: Record<string, string>, env: Record<string, string> = {}) => {
    const { v, inputs } = await start()
    const run = await runInProcessAgainst(v, { inputs: { ...inputs, ...inputChanges }, files: { 'robots.yaml': THREE }, env })

    expect(run.exitCode).toBe(1)
    expect(failure(run)).toBeTruthy()
    expect(v.calls).toEqual([])
    expectEveryEntryAccountedFor(run, IDS)
    expect(results(run).map(r => r.status)).toEqual(['skipped', 'skipped', 'skipped'])
  })

  it('fails the step on an invalid manifest and calls nothing', async () => {
    const { v, inputs } = await start()
    const run = await runInProcessAgainst(v, { inputs, files: { 'robots.yaml': 'robots:\n  - UserID: "@RBT#ok"\n  - UserID: "bad"\n' } })
    expect(run.exitCode).toBe(1)
    expect(v.calls).toEqual([])
    expectEveryEntryAccountedFor(run, ['@RBT#ok', 'bad'])
    expect(
      run.core
        .runnerView()
        .annotations.filter(a => a.file === 'robots.yaml')
        .map(a => a.line)
    ).toEqual([3])
  })

  it('fails the step when the manifest is missing, naming the file', async () => {
    const { v, inputs } = await start()
    const run = await runInProcessAgainst(v, { inputs: { ...inputs, manifest: 'config/robots.yaml' }, files: {} })
    expect(run.exitCode).toBe(1)
    expect(failure(run)).toMatch(/config\/robots\.yaml/)
    expect(results(run)).toEqual([])
  })

  it('a drift check without credentials stops before any call, and its changes output is empty, not 0', async () => {
    const run = await runInProcess({ inputs: { 'expect-no-changes': 'true' }, files: { 'robots.yaml': THREE } })
    expect(run.exitCode).toBe(1)
    expect(failure(run)).toMatch(/expect-no-changes compares the manifest with the app, so it needs sdkappid/)
    expect(run.outputs.changes).toBe('')
    expect(run.summary).not.toMatch(/Apply/)
  })

  it('abandons a hung request after the attempt timeout the test gives it, and retries', async () => {
    const { v, inputs } = await start()
    v.inject({ kind: 'hang', command: 'create_robot', userId: '@RBT#faq' })
    const run = await runInProcessAgainst(v, { inputs, files: { 'robots.yaml': THREE }, env: testTimingEnv({ timeoutMs: 300 }) })
    expect(results(run).map(r => [r.status, r.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
      ['ok', 2]
    ])
    expect(run.durationMs).toBeGreaterThanOrEqual(300)
  })
})

describe('secrets, as the runner shows the log', () => {
  type Credential = 'secret-key' | 'usersig'

  it.each(['secret-key', 'usersig'] as Credential[])('with %s: every secret is masked before any other line, and none shows', async credential => {
    const { v, inputs } = await start()
    const usersig = new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', 600)
    const given = credential === 'secret-key' ? TEST_SECRET_KEY : usersig
    const withCredential: Record<string, string> = { ...inputs, 'github-token': TOKEN }
    if (credential === 'usersig') {
      delete withCredential['secret-key']
      withCredential.usersig = usersig
    }
    // The vendor echoes the credential back, a redirect points at it, and debug logging is on.
    v.inject({ kind: 'code', code: 10004, info: `bad credential ${given}`, command: 'create_robot', userId: '@RBT#billing' })
    v.inject({ kind: 'http', status: 502, body: `<p>${given}</p>`, command: 'create_robot', userId: '@RBT#faq', times: Infinity })
    const run = await runInProcessAgainst(v, {
      inputs: { ...withCredential, 'max-attempts': '2' },
      files: { 'robots.yaml': THREE },
      env: { RUNNER_DEBUG: '1' }
    })

    expect(results(run).map(r => r.status)).toEqual(['ok', 'failed', 'failed'])
    const view = run.core.runnerView()
    // What the action holds: the credential it was given, the UserSigs it sent, the token.
    const held = [...new Set([given, ...v.calls.map(call => call.query.usersig), TOKEN])]
    const firstOther = run.stdout.split('\n').findIndex(line => !line.startsWith('::add-mask::'))
    const maskedFirst = view.masks.slice(0, firstOther)
    expect(held.filter(s => !maskedFirst.includes(s)).map(s => s.slice(0, 4))).toEqual([])
    const secrets = [...new Set([...secretsOf(v), ...held])]
    const shown = [...view.log, ...view.annotations.map(a => `${a.title ?? ''} ${a.message}`), run.summary, JSON.stringify(run.outputs)].join('\n')
    for (const secret of secrets) expect([secret.slice(0, 4), shown.includes(secret)]).toEqual([secret.slice(0, 4), false])
    // What the vendor echoed shows, with the secret replaced.
    expect(results(run)[1].ErrorInfo).toBe('bad credential ***')
  })
})

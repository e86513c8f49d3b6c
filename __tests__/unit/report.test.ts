import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { applyPlan } from '../../src/apply.js'
import { MAX_ANNOTATIONS, Output } from '../../src/constants.js'
import { parseManifest } from '../../src/manifest/parse.js'
import { readVendorState } from '../../src/plan/app-state.js'
import { planRobots } from '../../src/plan/plan.js'
import { failedOutput, resultsOutput } from '../../src/report/outputs.js'
import { publish } from '../../src/report/publish.js'
import { renderSummary } from '../../src/report/summary.js'
import type { Outcome } from '../../src/plan/types.js'
import type { Mode, RunReport } from '../../src/report/types.js'
import { FakeCore } from '../helpers/fake-core.js'
import { FakeRobotApi } from '../helpers/fake-robot-api.js'
import { manifestOf } from '../helpers/vendor.js'

/**
 * The report stage through the fake core: what the user sees at the end of a
 * run, built from what the real stages return. These tests hold the contracts
 * (every entry ends with a status, a failure fails the step, the outputs' JSON
 * shape, GitHub's limits); the wording is the summary's and annotations' own.
 */

// The summary is written only where the runner gives a summary file.
const savedSummary = process.env.GITHUB_STEP_SUMMARY
beforeAll(() => {
  process.env.GITHUB_STEP_SUMMARY = '/runner/_temp/step_summary'
})
afterAll(() => {
  if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = savedSummary
})

const THREE = manifestOf([
  { UserID: '@RBT#a', Nick: 'A' },
  { UserID: '@RBT#b', Nick: 'B' },
  { UserID: '@RBT#c', Nick: 'C' }
])

/** A run's report as main.ts builds it: the manifest, the plan against the fake app, the apply. */
async function reportOf(yaml: string, options: { mode?: Mode; api?: FakeRobotApi; prune?: boolean } = {}): Promise<RunReport> {
  const mode = options.mode ?? 'apply'
  const manifest = parseManifest(yaml, 'robots.yaml')
  const api = mode === 'offline' ? null : (options.api ?? new FakeRobotApi())
  const valid = manifest.problems.every(p => p.severity !== 'error')
  const state = api && valid ? await readVendorState(api, manifest) : null
  const plan = planRobots(manifest, state, { prune: options.prune ?? false })
  const outcomes = await applyPlan(plan, valid ? api : null, { dryRun: mode !== 'apply' })
  return {
    mode,
    manifestFile: 'robots.yaml',
    manifest,
    plan,
    outcomes,
    halt: api?.halt ?? null,
    target: api ? 'endpoint http://127.0.0.1:1' : null,
    runError: null,
    notes: [],
    planOnly: null
  }
}

async function published(report: RunReport, options: { outputsFail?: boolean; summaryFails?: boolean } = {}): Promise<FakeCore> {
  const core = new FakeCore(options)
  await publish(core, report)
  return core
}

function results(core: FakeCore): Array<Record<string, unknown>> {
  return JSON.parse(core.outputs[Output.results]) as Array<Record<string, unknown>>
}

/** The one error annotation without a place: setFailed's. */
function failure(core: FakeCore): string | undefined {
  return core.runnerView().annotations.find(a => a.level === 'error' && a.file === undefined)?.message
}

describe('the report', () => {
  it('of a run where every robot is ok: no failure, the outputs and a summary naming each robot', async () => {
    const core = await published(await reportOf(THREE))

    expect(core.exitCode).toBeUndefined()
    expect(failure(core)).toBeUndefined()
    expect(results(core)).toEqual([
      { UserID: '@RBT#a', status: 'ok', action: 'create', ErrorCode: 0, ErrorInfo: '', attempts: 1, line: 2 },
      { UserID: '@RBT#b', status: 'ok', action: 'create', ErrorCode: 0, ErrorInfo: '', attempts: 1, line: 4 },
      { UserID: '@RBT#c', status: 'ok', action: 'create', ErrorCode: 0, ErrorInfo: '', attempts: 1, line: 6 }
    ])
    expect(JSON.parse(core.outputs[Output.created])).toEqual(['@RBT#a', '@RBT#b', '@RBT#c'])
    expect(JSON.parse(core.outputs[Output.failed])).toEqual([])
    for (const id of ['@RBT#a', '@RBT#b', '@RBT#c']) expect(core.summaryText).toContain(id)
  })

  it('writes one log line per robot, ending in its status', async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', 40601, { userId: '@RBT#b' })
    const core = await published(await reportOf(THREE, { api }))
    const log = core.runnerView().log
    for (const [id, status] of [
      ['@RBT#a', 'ok'],
      ['@RBT#b', 'failed'],
      ['@RBT#c', 'ok']
    ]) {
      const lines = log.filter(line => line.includes(id) && !line.startsWith('Error:'))
      expect([id, lines.length, lines[0]]).toEqual([id, 1, expect.stringMatching(new RegExp(`→ ${status}\\b`))])
    }
  })

  it('lists the changes of an update in the results, and only then', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#a': { Nick: 'Old' }, '@RBT#b': { Nick: 'B' } } })
    const core = await published(
      await reportOf(
        manifestOf([
          { UserID: '@RBT#a', Nick: 'A' },
          { UserID: '@RBT#b', Nick: 'B' }
        ]),
        { api }
      )
    )
    expect(results(core).map(r => [r.action, r.changes])).toEqual([
      ['update', [{ field: 'Nick', from: 'Old', to: 'A' }]],
      ['unchanged', undefined]
    ])
  })

  it('fails the step when a robot fails, names it, and marks its line', async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', 10004, { userId: '@RBT#b', times: Infinity })
    const core = await published(await reportOf(THREE, { api }))

    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/@RBT#b failed \(10004/)
    expect(JSON.parse(core.outputs[Output.failed])).toEqual(['@RBT#b'])
    expect(JSON.parse(core.outputs[Output.created])).toEqual(['@RBT#a', '@RBT#c'])
    expect(
      core
        .runnerView()
        .annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml')
        .map(a => a.line)
    ).toEqual([4])
  })

  it('fails the step when the run stopped early, and every robot still has a status', async () => {
    const api = new FakeRobotApi().answer('get_all_robots', 70009, { times: Infinity })
    const core = await published(await reportOf(THREE, { api }))

    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/stopped early: 70009/)
    expect(results(core).map(r => r.status)).toEqual(['skipped', 'skipped', 'skipped'])
    for (const r of results(core)) expect(r.ErrorInfo).not.toBe('')
  })

  it('fails the step on an invalid manifest, with each problem on its line, and writes nothing', async () => {
    const api = new FakeRobotApi()
    const core = await published(await reportOf(manifestOf([{ UserID: '@RBT#a' }, { UserID: 'bad' }]), { api }))

    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/1 problem/)
    expect(api.calls).toEqual([])
    expect(results(core).map(r => [r.UserID, r.status])).toEqual([
      ['@RBT#a', 'skipped'],
      ['bad', 'invalid']
    ])
    expect(
      core
        .runnerView()
        .annotations.filter(a => a.file === 'robots.yaml')
        .map(a => [a.level, a.line])
    ).toEqual([['error', 3]])
  })

  it("fails the step with the run's own error and still accounts for every robot", async () => {
    const report = await reportOf(THREE, { mode: 'offline' })
    report.runError = 'Input sdkappid is required unless dry-run is true.'
    const core = await published(report)
    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/^Input sdkappid is required/)
    expect(results(core)).toHaveLength(3)
  })

  it("in a dry run, creates nothing, shows what would change on the manifest's lines, and passes", async () => {
    const core = await published(await reportOf(THREE, { mode: 'plan', api: new FakeRobotApi({ robots: { '@RBT#b': { Nick: 'B' } } }) }))
    expect(core.exitCode).toBeUndefined()
    expect(JSON.parse(core.outputs[Output.created])).toEqual([])
    expect(results(core).map(r => [r.action, r.status, r.attempts])).toEqual([
      ['create', 'ok', 0],
      ['unchanged', 'ok', 0],
      ['create', 'ok', 0]
    ])
    expect(
      core
        .runnerView()
        .annotations.filter(a => a.level === 'notice')
        .map(a => a.line)
    ).toEqual([2, 6])
  })

  it('warns on a deletion a dry run with prune would make', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#a': { Nick: 'A' }, '@RBT#old': {} } })
    const core = await published(await reportOf(manifestOf([{ UserID: '@RBT#a', Nick: 'A' }]), { mode: 'plan', api, prune: true }))
    expect(results(core).map(r => [r.UserID, r.action, r.status])).toEqual([
      ['@RBT#a', 'unchanged', 'ok'],
      ['@RBT#old', 'delete', 'ok']
    ])
    expect(
      core
        .runnerView()
        .annotations.filter(a => a.level === 'warning')
        .map(a => a.message)
        .join('\n')
    ).toMatch(/@RBT#old/)
  })

  it(`shows at most ${MAX_ANNOTATIONS} annotations of a kind, the last saying how many more`, async () => {
    const api = new FakeRobotApi({ proven: true }).answer('create_robot', 10004, { times: Infinity })
    const robots = Array.from({ length: 14 }, (_, i) => ({ UserID: `@RBT#bot${i}` }))
    const core = await published(await reportOf(manifestOf(robots), { api }))
    const errors = core.runnerView().annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml')
    expect(errors).toHaveLength(MAX_ANNOTATIONS)
    expect(errors[MAX_ANNOTATIONS - 1].message).toMatch(/4 more/)
    expect(errors.slice(0, -1).some(a => /more/.test(a.message))).toBe(false)
  })

  it('shows manifest text as text in the summary, never as markup', async () => {
    const core = await published(await reportOf(manifestOf([{ UserID: '@RBT#x', Nick: '<img src=x onerror=alert(1)>' }])))
    expect(core.summaryText).not.toContain('<img')
    expect(core.summaryText).toContain('&lt;img <code>src=x</code> <code>onerror=alert(1)&gt;</code>')
  })

  it('still writes the summary when the outputs cannot be written, and fails the step saying so', async () => {
    const core = await published(await reportOf(THREE), { outputsFail: true })
    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/output/i)
    for (const id of ['@RBT#a', '@RBT#b', '@RBT#c']) expect(core.summaryText).toContain(id)
  })

  it('still writes the outputs when the summary cannot be written, and fails the step saying so', async () => {
    const core = await published(await reportOf(THREE), { summaryFails: true })
    expect(core.exitCode).toBe(1)
    expect(failure(core)).toMatch(/summary/i)
    expect(results(core)).toHaveLength(3)
  })

  it('writes no summary and no failure where the runner gives no summary file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    try {
      const core = await published(await reportOf(THREE))
      expect(core.summaryText).toBe('')
      expect(core.exitCode).toBeUndefined()
    } finally {
      process.env.GITHUB_STEP_SUMMARY = '/runner/_temp/step_summary'
    }
  })
})

describe("the summary at GitHub's size limit", () => {
  it('is cut under 1 MiB on a row boundary, every element it opened closed, and says so', async () => {
    // 300 robots whose every field is 500 quotes: HTML escaping makes each 3,000 characters.
    const quotes = '"'.repeat(500)
    const robots = Array.from({ length: 300 }, (_, i) => ({
      UserID: `@RBT#r${i}`,
      Nick: quotes,
      FaceUrl: `https://x.example/${'"'.repeat(400)}`,
      SelfSignature: quotes
    }))
    const html = renderSummary(await reportOf(manifestOf(robots), { mode: 'offline' }))
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expect(html).toContain("The summary was cut at GitHub's size limit")
    for (const tag of ['table', 'tr', 'td', 'ul', 'li', 'p']) {
      const opened = html.match(new RegExp(`<${tag}[ >]`, 'g'))?.length ?? 0
      const closed = html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0
      expect([tag, closed]).toEqual([tag, opened])
    }
  })
})

describe('the results output', () => {
  /** An entry of a hostile manifest: a UserID of 480 bytes, refused. */
  const overlong = (i: number, info: string): Outcome => ({
    userId: `@RBT#${String(i).padStart(5, '0')}${'x'.repeat(470)}`,
    entry: null,
    action: 'invalid',
    status: 'invalid',
    code: null,
    info,
    attempts: [],
    changes: [],
    planned: false
  })

  it("keeps thousands of entries under GitHub's 1 MB, listing what fits and saying how many are left out", () => {
    const outcome = (i: number): Outcome => overlong(i, `UserID is ${475 + (i % 10)} bytes; the limit is 32 bytes (UTF-8). ${'<&>'.repeat(40)}`)
    for (const count of [2000, 20_000]) {
      const outcomes = Array.from({ length: count }, (_, i) => outcome(i))
      const entries = resultsOutput(outcomes)
      expect(Buffer.byteLength(JSON.stringify(entries))).toBeLessThan(1_000_000)
      expect(entries.every(e => ['ok', 'failed', 'skipped', 'invalid'].includes(e.status))).toBe(true)
      if (entries.length < count) {
        expect(entries[entries.length - 1].ErrorInfo).toMatch(new RegExp(`${count - entries.length + 1} more entries`))
      } else {
        expect(entries.map(e => e.UserID?.slice(0, 10))).toEqual(outcomes.map(o => o.userId?.slice(0, 10)))
      }
    }
  })

  it('and the failed output: both together stay under 1 MB, with thousands of over-long UserIDs', () => {
    const outcome = (i: number): Outcome => overlong(i, 'UserID is 480 bytes; the limit is 32 bytes (UTF-8).')
    for (const count of [10, 2120, 20_000]) {
      const outcomes = Array.from({ length: count }, (_, i) => outcome(i))
      const failed = failedOutput(outcomes)
      const total = Buffer.byteLength(JSON.stringify(resultsOutput(outcomes))) + Buffer.byteLength(JSON.stringify(failed))
      expect(total).toBeLessThan(1_000_000)
      if (count === 10) expect(failed).toEqual(outcomes.map(o => o.userId))
      else expect(failed[0]).toBe(`${outcomes[0].userId!.slice(0, 40)}…`)
      if (count === 20_000) expect(failed[failed.length - 1]).toMatch(new RegExp(`^…and ${count - failed.length + 1} more, not listed`))
    }
  })

  it('has the same keys for every entry: UserID, status, action, ErrorCode, ErrorInfo, attempts, and line for a manifest entry', async () => {
    const api = new FakeRobotApi({ robots: { '@RBT#gone': {} } })
    const entries = resultsOutput((await reportOf(manifestOf([{ UserID: '@RBT#a' }]), { api, prune: true })).outcomes)
    expect(entries.map(e => Object.keys(e).sort())).toEqual([
      ['ErrorCode', 'ErrorInfo', 'UserID', 'action', 'attempts', 'line', 'status'],
      ['ErrorCode', 'ErrorInfo', 'UserID', 'action', 'attempts', 'status']
    ])
  })
})

import { afterEach, beforeEach, describe, expect } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { results, type ActionRun } from '../../emulator/runner.js'
import { manifestOf, startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'
import { specCases } from './spec-cases.js'

/**
 * Plans a reviewer can trust (issue 9), against the emulator: retirements
 * written in the manifest, headlines that say what will happen or what
 * happened, plans that say when they were not compared with the app, half-set
 * credentials, and a cause that applies to every entry said once.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process (run() with the fake core);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/
 * the way the runner does.
 */
export function planReportSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess } = specCases(options.e2eOnly)

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => ({ vendor, inputs } = await startVendor()))
  afterEach(async () => vendor.stop())

  /** The step's failure message (the error annotation without a file). */
  function failureMessage(run: ActionRun): string {
    return run.annotations
      .filter(a => a.level === 'error' && a.file === undefined)
      .map(a => a.message)
      .join('\n')
  }

  function headlineOf(run: ActionRun): string {
    return /<h2>(.*?)<\/h2>/.exec(run.summary)?.[1] ?? ''
  }

  function occurrences(text: string, part: string): number {
    return text.split(part).length - 1
  }

  /** Runs the action on a pull request event whose payload names the head and base repositories. */
  async function onPullRequest(head: string, options: { inputs: Record<string, string>; files: Record<string, string> }): Promise<ActionRun> {
    const folder = await mkdtemp(join(tmpdir(), 'ccr-event-'))
    const eventPath = join(folder, 'event.json')
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        pull_request: { number: 7, head: { repo: { full_name: head } }, base: { repo: { full_name: 'acme/robots' } } }
      })
    )
    try {
      return await runAgainst(vendor, { ...options, env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath } })
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }

  const WITH_RETIRED = `robots:
  - UserID: "@RBT#support"
    Nick: Support
retired:
  - "@RBT#helpdesk"
  - "@RBT#gone"
`

  describe('retired: robots to delete, written in the manifest', () => {
    e2e('deletes a retired robot the app has, without prune, and reports it on its line', async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Support' },
        { UserID: '@RBT#helpdesk', Nick: 'Helpdesk' }
      ])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': WITH_RETIRED } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes().map(w => [w.command, w.body])).toEqual([['delete_robot', { Robot_Account: '@RBT#helpdesk' }]])
      expect(vendor.deleted()).toEqual(['@RBT#helpdesk'])
      expect(results(run).slice(1)).toEqual([
        { UserID: '@RBT#helpdesk', status: 'ok', action: 'delete', ErrorCode: 0, ErrorInfo: '', attempts: 1, retired: true, line: 5 },
        { UserID: '@RBT#gone', status: 'ok', action: 'unchanged', ErrorCode: 0, ErrorInfo: '', attempts: 0, retired: true, line: 6 }
      ])
      expect(JSON.parse(run.outputs.created)).toEqual(['@RBT#support'])
      expect(headlineOf(run)).toBe('Applied: 1 unchanged, 1 deleted, 1 already deleted')
      const warning = run.annotations.find(a => a.level === 'warning' && /helpdesk/.test(a.message))
      expect(warning).toMatchObject({ file: 'robots.yaml', line: 5 })
      expect(warning?.message).toMatch(/@RBT#helpdesk: deleted \(retired on line 5\)\. This cannot be undone/)
    })

    inProcess('shows the deletion in the plan a reviewer approves, on its line, and writes nothing', async () => {
      vendor.seed([{ UserID: '@RBT#helpdesk' }])
      const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': WITH_RETIRED } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(headlineOf(run)).toBe('Plan: 1 to create, 1 to delete, 1 already deleted')
      expect(run.summary).toContain('<tr><td><code>@RBT#helpdesk</code></td><td></td><td>delete</td><td>retired on line 5</td></tr>')
      expect(run.summary).toContain(
        '<tr><td><code>@RBT#gone</code></td><td></td><td>already deleted</td><td>retired on line 6; the app does not have it</td></tr>'
      )
      expect(run.annotations.find(a => a.level === 'warning' && a.line === 5)?.message).toMatch(/@RBT#helpdesk: would be deleted \(retired on line 5\)/)
    })

    inProcess('needs no call for a retired robot the app does not have', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support' }])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': WITH_RETIRED } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(
        results(run)
          .slice(1)
          .map(r => [r.UserID, r.action, r.status, r.attempts])
      ).toEqual([
        ['@RBT#helpdesk', 'unchanged', 'ok', 0],
        ['@RBT#gone', 'unchanged', 'ok', 0]
      ])
      expect(headlineOf(run)).toBe('Applied: 1 unchanged, 2 already deleted')
    })

    inProcess('refuses a UserID listed under both robots and retired, on its line, before any call', async () => {
      const yaml = 'robots:\n  - UserID: "@RBT#support"\n  - UserID: "@RBT#helpdesk"\nretired:\n  - "@RBT#helpdesk"\n'
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      const error = run.annotations.find(a => a.level === 'error' && a.file === 'robots.yaml')
      expect(error).toMatchObject({ line: 3, col: 13 })
      expect(error?.message).toMatch(
        /UserID "@RBT#helpdesk" is retired on line 5: the vendor keeps a deleted robot's UserID reserved, so it cannot be created again/
      )
    })

    inProcess('a retired robot listed again under robots later is refused by the vendor, and the step says why', async () => {
      vendor.seed([{ UserID: '@RBT#helpdesk' }])
      await runAgainst(vendor, { inputs, files: { 'robots.yaml': WITH_RETIRED } })
      expect(vendor.deleted()).toEqual(['@RBT#helpdesk'])

      const relisted = manifestOf([
        { UserID: '@RBT#support', Nick: 'Support' },
        { UserID: '@RBT#helpdesk', Nick: 'Helpdesk' }
      ])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': relisted } })
      expect(run.exitCode).toBe(1)
      expect(results(run)[1]).toMatchObject({ UserID: '@RBT#helpdesk', action: 'create', status: 'failed', ErrorCode: 10004 })
      expect(failureMessage(run)).toMatch(/@RBT#helpdesk failed \(10004 .*A deleted robot's UserID stays reserved by the vendor: pick a new one/)
    })

    inProcess('does not count retired robots against the limit of 20: the deletion makes room first', async () => {
      const kept = Array.from({ length: 19 }, (_, i) => ({ UserID: `@RBT#bot${i}` }))
      vendor.seed([...kept, { UserID: '@RBT#old' }])
      const yaml = manifestOf([...kept, { UserID: '@RBT#new' }]) + 'retired:\n  - "@RBT#old"\n'
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes().map(w => w.command)).toEqual(['delete_robot', 'create_robot'])
      expect(vendor.robots()).toHaveLength(20)
      expect(vendor.deleted()).toEqual(['@RBT#old'])
    })
  })

  describe('headlines that say what will happen, or what happened', () => {
    const EVERY_KIND = `robots:
  - UserID: "@RBT#support"
    Nick: Support
  - UserID: "@RBT#billing"
    Nick: Billing
  - UserID: "@RBT#faq"
    Nick: FAQ
retired:
  - "@RBT#helpdesk"
`
    const seedEveryKind = (): void =>
      vendor.seed([
        { UserID: '@RBT#billing', Nick: 'Billing (old)' },
        { UserID: '@RBT#faq', Nick: 'FAQ' },
        { UserID: '@RBT#helpdesk' },
        { UserID: '@RBT#legacy' }
      ])

    e2e('a plan counts actions, in the summary and the log alike, and shows rows of actions and changes', async () => {
      seedEveryKind()
      const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': EVERY_KIND } })

      expect(run.exitCode).toBe(0)
      const headline = 'Plan: 1 to create, 1 to update, 1 unchanged, 1 to delete, 1 unmanaged'
      expect(headlineOf(run)).toBe(headline)
      expect(run.log).toContain(`${headline} (robots.yaml, dry run, nothing written)`)
      // A plan row is an action, not a result: no "✅ ok", no Code or Attempts columns.
      expect(run.summary).toContain('<tr><th>UserID</th><th>Nick</th><th>Action</th><th>Changes</th></tr>')
      expect(run.summary).not.toMatch(/✅|<th>Code<\/th>|<th>Attempts<\/th>|<th>Result<\/th>/)
      expect(run.summary).toContain(
        '<tr><td><code>@RBT#billing</code></td><td>Billing</td><td>update</td><td>Nick: &quot;Billing (old)&quot; → &quot;Billing&quot;</td></tr>'
      )
      expect(run.summary).toContain('<tr><td><code>@RBT#support</code></td><td>Support</td><td>create</td><td>Nick: &quot;Support&quot;</td></tr>')
      expect(run.summary).toContain('<tr><td><code>@RBT#faq</code></td><td>FAQ</td><td>unchanged</td><td></td></tr>')
    })

    inProcess('an apply counts what was done, with Result, Code and Attempts columns', async () => {
      seedEveryKind()
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': EVERY_KIND } })

      expect(run.exitCode).toBe(0)
      expect(headlineOf(run)).toBe('Applied: 1 created, 1 updated, 1 unchanged, 1 deleted, 1 unmanaged')
      expect(run.summary).toContain('<th>Result</th><th>Code</th><th>Attempts</th>')
      expect(run.summary).toContain('<td>update</td><td>Nick: &quot;Billing (old)&quot; → &quot;Billing&quot;</td><td>✅ ok</td><td>0</td><td>1</td>')
    })

    inProcess('an apply where every robot fails is titled failed, never applied', async () => {
      vendor.inject({ kind: 'code', code: 10004, command: 'create_robot', times: Infinity })
      const three = manifestOf([{ UserID: '@RBT#a' }, { UserID: '@RBT#b' }, { UserID: '@RBT#c' }])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': three } })

      expect(run.exitCode).toBe(1)
      expect(headlineOf(run)).toBe('Apply failed: 3 failed')
      expect(run.summary).not.toMatch(/applied/i)
      expect(run.log).toContain('Apply failed: 3 failed (robots.yaml, apply)')
      expect(failureMessage(run)).toMatch(/^3 of 3 entries did not reach ok: @RBT#a failed \(10004/)
    })

    inProcess('an apply where some robots fail says failed and what did happen', async () => {
      vendor.inject({ kind: 'code', code: 10004, command: 'create_robot', userId: '@RBT#b', times: Infinity })
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a' }, { UserID: '@RBT#b' }]) } })
      expect(headlineOf(run)).toBe('Apply failed: 1 failed; 1 created')
    })
  })

  describe('a plan that was not compared with the app says so, and why', () => {
    /** The app has @RBT#billing already: a plan that claims "create" for it would mislead. */
    const TWO = manifestOf([
      { UserID: '@RBT#support', Nick: 'Support' },
      { UserID: '@RBT#billing', Nick: 'Billing' }
    ])

    inProcess('offline (no credentials): rows say not compared, not create', async () => {
      vendor.seed([{ UserID: '@RBT#billing', Nick: 'Billing' }])
      const run = await runAgainst(vendor, { inputs: { 'dry-run': 'true', endpoint: inputs.endpoint }, files: { 'robots.yaml': TWO } })

      expect(run.exitCode).toBe(0)
      expect(vendor.calls).toHaveLength(0)
      expect(headlineOf(run)).toBe('Plan: 2 valid, not compared with the app')
      expect(run.summary).toMatch(/The plan was <b>not compared with the app<\/b>: no credentials/)
      expect(run.summary).not.toMatch(/<td>create<\/td>/)
      expect(run.summary).toContain('<td>not compared</td>')
      expect(results(run).map(r => r.action)).toEqual(['not-compared', 'not-compared'])
      expect(run.log).toMatch(/The plan was not compared with the app: no credentials/)
    })

    inProcess('an invalid manifest: no call, and the valid entries are not claimed as create', async () => {
      vendor.seed([{ UserID: '@RBT#billing', Nick: 'Billing' }])
      const yaml = TWO + '  - UserID: "bad"\n'
      const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': yaml } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      expect(headlineOf(run)).toBe('Plan failed: the manifest has 1 problem — 2 skipped, 1 invalid')
      expect(run.summary).toMatch(/The plan was <b>not compared with the app<\/b>: the manifest has problems, so no call was made/)
      expect(run.summary).not.toMatch(/<td>create/)
      expect(results(run).map(r => [r.action, r.status])).toEqual([
        ['not-compared', 'skipped'],
        ['not-compared', 'skipped'],
        ['invalid', 'invalid']
      ])
    })

    inProcess('credentials that fail: the first answer stops the run, and nothing is claimed as create', async () => {
      vendor.seed([{ UserID: '@RBT#billing', Nick: 'Billing' }])
      const wrongKey = { ...inputs, 'secret-key': '0'.repeat(64) }
      const run = await runAgainst(vendor, { inputs: { ...wrongKey, 'dry-run': 'true' }, files: { 'robots.yaml': TWO } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls.map(c => c.command)).toEqual(['get_all_robots'])
      expect(headlineOf(run)).toBe('Plan failed: stopped early — 2 skipped')
      expect(run.summary).toMatch(/The plan was <b>not compared with the app<\/b>: the app&#39;s first answer stopped the run/)
      expect(run.summary).not.toMatch(/<td>create/)
      expect(results(run).map(r => [r.action, r.status])).toEqual([
        ['not-compared', 'skipped'],
        ['not-compared', 'skipped']
      ])
    })
  })

  describe('half-set credentials', () => {
    const ONE = manifestOf([{ UserID: '@RBT#support', Nick: 'Support' }])
    const sdkappidOnly = (): Record<string, string> => ({ sdkappid: inputs.sdkappid, endpoint: inputs.endpoint })

    inProcess.each([
      ['an apply on push, sdkappid without a key', { 'dry-run': 'false' }, /sdkappid is set but neither secret-key nor usersig is/],
      ['a dry run on push, sdkappid without a key', { 'dry-run': 'true' }, /sdkappid is set but neither secret-key nor usersig is/]
    ])('%s: an error before any call', async (_name, extra, words) => {
      const run = await runAgainst(vendor, { inputs: { ...sdkappidOnly(), ...extra }, files: { 'robots.yaml': ONE } })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      expect(failureMessage(run)).toMatch(/^Half a set of credentials: /)
      expect(failureMessage(run)).toMatch(words)
    })

    inProcess('a key without sdkappid on push: an error before any call', async () => {
      const run = await runAgainst(vendor, {
        inputs: { 'secret-key': inputs['secret-key'], endpoint: inputs.endpoint, 'dry-run': 'true' },
        files: { 'robots.yaml': ONE }
      })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      expect(failureMessage(run)).toMatch(/^Half a set of credentials: secret-key is set but sdkappid is empty/)
    })

    inProcess('a pull request from the same repository: an error, not a quiet offline check', async () => {
      const run = await onPullRequest('acme/robots', { inputs: { ...sdkappidOnly(), 'dry-run': 'true' }, files: { 'robots.yaml': ONE } })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      expect(failureMessage(run)).toMatch(/^Half a set of credentials: sdkappid is set/)
    })

    e2e('a pull request from a fork: checked offline, saying that forks get no secrets', async () => {
      const run = await onPullRequest('someone/robots', { inputs: { ...sdkappidOnly(), 'dry-run': 'true' }, files: { 'robots.yaml': ONE } })
      expect(run.exitCode).toBe(0)
      expect(vendor.calls).toHaveLength(0)
      expect(run.summary).toMatch(
        /The plan was <b>not compared with the app<\/b>: this pull request comes from a fork, and GitHub gives a fork&#39;s workflows no secrets/
      )
      expect(results(run).map(r => [r.action, r.status])).toEqual([['not-compared', 'ok']])
    })
  })

  describe('one cause is said once', () => {
    const TWENTY_ONE = 'robots:\n' + Array.from({ length: 21 }, (_, i) => `  - UserID: "@RBT#r${i}"\n`).join('')

    inProcess('a 21-robot manifest with a wrong input: the input error once in the summary and once in the log, entries listed compactly', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, endpoint: '', region: 'Singapur' }, files: { 'robots.yaml': TWENTY_ONE } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      const cause = 'is not a region: did you mean singapore?'
      expect(occurrences(run.summary, cause)).toBe(1)
      expect(occurrences(run.stdout, cause)).toBe(1)
      // The manifest's own problem is reported too, once.
      expect(occurrences(run.summary, 'robots lists 21 robots')).toBe(1)
      expect(failureMessage(run).startsWith(`Input region "singapur" ${cause}`)).toBe(true)
      expect(headlineOf(run)).toBe('Apply failed: stopped before any call — 21 skipped')
      expect(run.summary).toMatch(/⏭️ Not tried because of the error above: <code>@RBT#r0<\/code>, <code>@RBT#r1<\/code>, .* and 1 more\./)
      expect(results(run)).toHaveLength(21)
      // No robot's line repeats the cause.
      expect(run.log.split('\n').filter(line => /@RBT#r\d+/.test(line))).toHaveLength(1)
    })

    inProcess('a run-fatal answer: the reason once, the robots that were not tried in one line', async () => {
      vendor.inject({ kind: 'code', code: 70016, times: Infinity })
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a' }, { UserID: '@RBT#b' }, { UserID: '@RBT#c' }]) } })

      expect(run.exitCode).toBe(1)
      expect(occurrences(run.summary, 'key or SDKAppID not found in this data centre')).toBe(1)
      expect(occurrences(run.stdout, 'key or SDKAppID not found in this data centre')).toBe(1)
      expect(failureMessage(run)).toMatch(/^The run stopped early: 70016 /)
      expect(run.log).toContain('⏭️ 3 not tried (the run stopped; the reason is in the error below): @RBT#a, @RBT#b, @RBT#c')
    })

    inProcess('a host name that does not resolve stops the run after the first call, with a hint about region, endpoint and proxies', async () => {
      const started = Date.now()
      const run = await runAgainst(vendor, {
        inputs: { ...inputs, endpoint: 'https://robots-emulator.invalid' },
        files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a' }, { UserID: '@RBT#b' }]) },
        env: { RUNNER_DEBUG: '1' }
      })

      expect(run.exitCode).toBe(1)
      expect(run.stdout.match(/get_all_robots: attempt \d/g)).toEqual(['get_all_robots: attempt 1'])
      expect(results(run).map(r => r.status)).toEqual(['skipped', 'skipped'])
      expect(failureMessage(run)).toMatch(
        /^The run stopped early: the host name robots-emulator\.invalid did not resolve \(ENOTFOUND\)\. Check the region input .* endpoint input; .*HTTPS_PROXY/
      )
      expect(Date.now() - started).toBeLessThan(10_000)
    })
  })
}

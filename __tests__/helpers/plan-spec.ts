import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results, testTimingEnv } from '../../emulator/runner.js'
import { manifestOf, startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'

/**
 * The manifest as the truth: drift converges, unlisted robots are kept or
 * pruned, the 20-robot limit counts what the app keeps, refused profile
 * changes fail with what to do, a lost delete is checked against the list.
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every case
 * in-process (run() with the fake core), __tests__/e2e/specs-on-dist.test.ts the ones
 * marked for the built action.
 */
export function planSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  /** A case for both runs (e2e true), or for the in-process run only. */
  const test = (e2e: boolean, name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (e2e || !options.e2eOnly) it(name, fn, timeout)
  }

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => ({ vendor, inputs } = await startVendor()))
  afterEach(async () => vendor.stop())

  const MANIFEST = manifestOf([
    { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
    { UserID: '@RBT#billing', Nick: 'Billing' }
  ])

  describe('the manifest as the truth', () => {
    test(true, 'converges a drifted Nick with portrait_set, sending only the changed tag', async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Support (old)', SelfSignature: 'Ask me', FaceUrl: 'https://x/a.png' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      const writes = vendor.writes()
      expect(writes.map(w => w.command)).toEqual(['portrait_set'])
      expect(writes[0].body).toEqual({ From_Account: '@RBT#support', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Support' }] })
      // FaceUrl is not in the manifest, so it is not managed: left as it was.
      expect(vendor.robots()[0]).toEqual({ UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me', FaceUrl: 'https://x/a.png' })
      expect(results(run).map(r => [r.action, r.status])).toEqual([
        ['update', 'ok'],
        ['unchanged', 'ok']
      ])
      expect(results(run)[0].changes).toEqual([{ field: 'Nick', from: 'Support (old)', to: 'Support' }])
      expect(run.summary).toContain('<td>update</td><td>Nick: &quot;Support (old)&quot; → &quot;Support&quot;</td>')
    })

    test(false, 'keeps robots the manifest does not list when prune is off, and lists them', async () => {
      vendor.seed([{ UserID: '@RBT#legacy', Nick: 'Legacy' }])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(vendor.robots().map(r => r.UserID)).toContain('@RBT#legacy')
      expect(vendor.writes().some(w => w.command === 'delete_robot')).toBe(false)
      expect(run.summary).toMatch(/In the app but not in the manifest[\s\S]*@RBT#legacy/)
      expect(results(run).map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#billing'])
    })

    test(true, 'deletes robots the manifest no longer lists when prune is on', async () => {
      vendor.seed([{ UserID: '@RBT#legacy', Nick: 'Legacy' }])
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(vendor.deleted()).toEqual(['@RBT#legacy'])
      expect(
        vendor
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual(['@RBT#billing', '@RBT#support'])
      expect(results(run).find(r => r.UserID === '@RBT#legacy')).toMatchObject({ action: 'delete', status: 'ok' })
      expect(JSON.parse(run.outputs.created)).toEqual(['@RBT#support', '@RBT#billing'])
    })

    test(true, 'shows the deletion in a dry run with prune, and deletes nothing', async () => {
      vendor.seed([{ UserID: '@RBT#legacy' }])
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true', 'dry-run': 'true' }, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(results(run).find(r => r.UserID === '@RBT#legacy')).toMatchObject({ action: 'delete', status: 'ok', attempts: 0 })
      expect(run.annotations.find(a => a.level === 'warning')?.message).toMatch(/^@RBT#legacy: would be deleted .*cannot be undone/)
      expect(run.summary).toContain('<h2>Plan: 2 to create, 1 to delete</h2>')
      expect(run.summary).toContain('<td>delete</td><td>not in the manifest; prune is on</td>')
    })

    test(false, 'makes zero writing calls when the app already matches', async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })
      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(new Set(vendor.calls.map(c => c.command))).toEqual(new Set(['get_all_robots', 'portrait_get']))
    })

    test(true, 'counts the robots the app keeps against the limit of 20, before any write', async () => {
      vendor.seed(Array.from({ length: 19 }, (_, i) => ({ UserID: `@RBT#old${i}` })))
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(1)
      expect(vendor.writes()).toHaveLength(0)
      const error = run.annotations.find(a => a.level === 'error' && a.file === 'robots.yaml')
      expect(error?.message).toMatch(/21 robots.*allows 20.*keeps 19.*adds 2.*prune: true/)
      expect(results(run).map(r => r.status)).toEqual(['skipped', 'skipped'])
    })

    test(false, 'fits under the limit when prune removes enough unlisted robots', async () => {
      vendor.seed(Array.from({ length: 19 }, (_, i) => ({ UserID: `@RBT#old${i}` })))
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(
        vendor
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual(['@RBT#billing', '@RBT#support'])
      expect(vendor.deleted()).toHaveLength(19)
    })

    test(false, 'creates everything when get_all_robots is not available, and says so', async () => {
      vendor.inject({ kind: 'code', code: 60009, command: 'get_all_robots' })
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(
        vendor
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual(['@RBT#billing', '@RBT#support'])
      expect(run.summary).toMatch(/<code>get_all_robots<\/code> failed/)
      // Not silent: the degraded plan is a warning on the run.
      const warnings = run.annotations
        .filter(a => a.level === 'warning')
        .map(a => a.message)
        .join('\n')
      expect(warnings).toMatch(/get_all_robots failed \(60009/)
      expect(warnings).toMatch(/Every entry is planned as create/)
    })
  })

  /** The profile APIs refusing chatbots: the vendor does not say that they serve @RBT# accounts. */
  describe('when the profile APIs refuse a chatbot', () => {
    const refuseProfiles = (code: number, commands: string[]): void => {
      for (const command of commands) vendor.inject({ kind: 'code', code, info: `${command} refused by the emulator`, command, times: Infinity })
    }

    test(true, 'a declared field it cannot read is a change that cannot be made: failed, not a fresh create', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' }])
      refuseProfiles(60009, ['portrait_get', 'portrait_set'])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(1)
      expect(results(run).map(r => [r.UserID, r.action, r.status, r.ErrorCode])).toEqual([
        ['@RBT#support', 'update', 'failed', 60009],
        ['@RBT#billing', 'create', 'ok', 0]
      ])
      // No write is spent on a change that cannot be made; the new robot is still created.
      expect(vendor.writes().map(w => [w.command, (w.body as { UserID?: string }).UserID])).toEqual([['create_robot', '@RBT#billing']])
      const error = run.annotations.find(a => a.level === 'error' && a.file === 'robots.yaml')
      expect(error).toMatchObject({ line: 2 })
      expect(error?.message).toMatch(
        /The profile APIs refuse this chatbot \(the vendor answered 60009 "portrait_get refused by the emulator"\), so the action cannot read or change its Nick and SelfSignature\. Remove Nick and SelfSignature from this entry/
      )
      expect(run.summary).toContain('<h2>Apply failed: 1 failed; 1 created</h2>')
      expect(run.summary).toContain(
        '<td>update</td><td>Nick: (could not be read) → &quot;Support&quot;; SelfSignature: (could not be read) → &quot;Ask me&quot;</td><td>❌ failed</td>'
      )
    })

    test(false, 'in a dry run the plan already says the change cannot be made, and the step fails', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' }])
      refuseProfiles(40003, ['portrait_get'])
      const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(1)
      expect(vendor.writes()).toHaveLength(0)
      expect(results(run)[0]).toMatchObject({ action: 'update', status: 'failed', ErrorCode: 40003 })
      expect(run.summary).toContain('<h2>Plan failed: 1 cannot be made; 1 to create</h2>')
      expect(run.summary).toContain('<td>update: ❌ cannot be made</td>')
    })

    test(false, "a field the app has and the manifest changes fails when portrait_set refuses, and says to set the app's value back", async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Helpdesk', SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      refuseProfiles(40003, ['portrait_set'])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(1)
      expect(results(run).map(r => [r.UserID, r.action, r.status, r.ErrorCode, r.attempts])).toEqual([
        ['@RBT#support', 'update', 'failed', 40003, 1],
        ['@RBT#billing', 'unchanged', 'ok', 0, 0]
      ])
      expect(vendor.robots()[0].Nick).toBe('Helpdesk')
      const failure = run.annotations
        .filter(a => a.level === 'error' && a.file === undefined)
        .map(a => a.message)
        .join('\n')
      expect(failure).toMatch(
        /@RBT#support failed \(40003 account does not exist: The profile APIs refuse this chatbot \(the vendor answered 40003 "portrait_set refused by the emulator"\), so the action cannot change its Nick\. In the manifest, set Nick back to "Helpdesk" \(the app's value\), or change it in the Chat console\.\)/
      )
      expect(run.summary).toContain('What to do: The profile APIs refuse this chatbot')
    })

    test(false, 'without a change there is nothing to refuse: ok, and no writing call', async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      refuseProfiles(40003, ['portrait_set'])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(results(run).map(r => [r.action, r.status])).toEqual([
        ['unchanged', 'ok'],
        ['unchanged', 'ok']
      ])
      expect(run.summary).toContain('<h2>Applied: 2 unchanged</h2>')
    })

    test(false, 'a robot that declares no profile field has nothing to compare, even when profiles cannot be read', async () => {
      vendor.seed([{ UserID: '@RBT#bare', Nick: 'Set in the console' }])
      refuseProfiles(60009, ['portrait_get', 'portrait_set'])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': 'robots:\n  - UserID: "@RBT#bare"\n' } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(0)
      expect(results(run).map(r => [r.action, r.status])).toEqual([['unchanged', 'ok']])
    })
  })

  describe('a delete whose answer was lost', () => {
    test(true, 'is reported ok when the robot is gone, though the retry was refused', async () => {
      const started = await startVendor()
      const v = started.vendor
      try {
        v.seed([{ UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' }, { UserID: '@RBT#billing', Nick: 'Billing' }, { UserID: '@RBT#legacy' }])
        // The delete takes effect, but its answer comes after the action's attempt timeout, shortened
        // to what a loopback answer never needs: less for the in-process run, which starts no process.
        v.inject({ kind: 'delay', ms: 3000, command: 'delete_robot' })
        const run = await runAgainst(v, {
          inputs: { ...started.inputs, prune: 'true' },
          files: { 'robots.yaml': MANIFEST },
          env: testTimingEnv({ timeoutMs: options.e2eOnly ? 500 : 300 })
        })

        expect(run.exitCode).toBe(0)
        expect(v.deleted()).toEqual(['@RBT#legacy'])
        expect(v.calls.filter(c => c.command === 'delete_robot').map(c => c.code)).toEqual([0, 10004])
        expect(results(run).find(r => r.UserID === '@RBT#legacy')).toMatchObject({ action: 'delete', status: 'ok', attempts: 2 })
      } finally {
        await v.stop()
      }
    })
  })
}

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results } from '../../emulator/runner.js'
import type { Runner } from './fault-matrix.js'
import { manifestOf, startVendor } from './vendor.js'

/**
 * A drift check (expect-no-changes) reads the app, writes nothing, and fails
 * the step when the plan has any write; the changes output counts the writing
 * calls made or planned.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every case
 * in-process (run() with the fake core); __tests__/e2e/specs-on-dist.test.ts runs
 * those marked `e2e` on the built dist/.
 */

const MANIFEST = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
])
const MATCHING = [
  { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
]

export function driftSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  /** Cases not marked e2e run only in-process. */
  const inProcess = !options.e2eOnly
  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => ({ vendor, inputs } = await startVendor()))
  afterEach(async () => vendor.stop())

  describe.each([
    ['an apply', 'false'],
    ['a dry run', 'true']
  ])('a drift check (expect-no-changes) in %s', (_mode, dryRun) => {
    if (inProcess || dryRun === 'true')
      it('fails when the app drifted, lists every change, and writes nothing', async () => {
        vendor.seed([{ UserID: '@RBT#support', Nick: 'Support (edited in the console)', SelfSignature: 'Ask me' }])
        const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': dryRun, 'expect-no-changes': 'true' }, files: { 'robots.yaml': MANIFEST } })

        expect(run.exitCode).toBe(1)
        expect(vendor.writes()).toEqual([])
        expect(run.outputs.changes).toBe('2')
        const failure = run.annotations.find(a => a.level === 'error' && a.message.includes('drifted'))?.message ?? ''
        expect(failure).toContain('The app has drifted from robots.yaml: 2 changes to make')
        expect(failure).toContain('@RBT#support: update Nick: "Support (edited in the console)" → "Support"')
        expect(failure).toContain('@RBT#billing: create')
        expect(results(run).map(r => [r.UserID, r.action, r.status])).toEqual([
          ['@RBT#support', 'update', 'ok'],
          ['@RBT#billing', 'create', 'ok']
        ])
        expect(run.summary).toContain('Drift: the app differs from the manifest — 2 changes to make')
      })

    if (inProcess || dryRun === 'false')
      it('passes when the app matches, with changes 0 and only reading calls', async () => {
        vendor.seed(MATCHING)
        const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': dryRun, 'expect-no-changes': 'true' }, files: { 'robots.yaml': MANIFEST } })

        expect(run.exitCode).toBe(0)
        expect(run.outputs.changes).toBe('0')
        expect(vendor.writes()).toEqual([])
        expect(new Set(vendor.calls.map(c => c.command))).toEqual(new Set(['get_all_robots', 'portrait_get']))
        expect(run.summary).toContain('No drift: the app matches the manifest')
      })

    if (inProcess)
      it('counts a robot prune would delete as drift', async () => {
        vendor.seed([...MATCHING, { UserID: '@RBT#legacy', Nick: 'Legacy' }])
        const run = await runAgainst(vendor, {
          inputs: { ...inputs, 'dry-run': dryRun, 'expect-no-changes': 'true', prune: 'true' },
          files: { 'robots.yaml': MANIFEST }
        })

        expect(run.exitCode).toBe(1)
        expect(vendor.writes()).toEqual([])
        expect(vendor.robots().map(r => r.UserID)).toContain('@RBT#legacy')
        expect(run.outputs.changes).toBe('1')
        expect(run.annotations.some(a => a.level === 'error' && a.message.includes('@RBT#legacy: delete'))).toBe(true)
      })

    if (inProcess)
      it('counts a retired robot the app still has as drift, and one it no longer has as none', async () => {
        vendor.seed([...MATCHING, { UserID: '@RBT#old' }])
        const manifest = `${MANIFEST}retired:\n  - "@RBT#old"\n  - "@RBT#gone"\n`
        const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': dryRun, 'expect-no-changes': 'true' }, files: { 'robots.yaml': manifest } })

        expect(run.exitCode).toBe(1)
        expect(vendor.writes()).toEqual([])
        expect(run.outputs.changes).toBe('1')
        expect(run.annotations.some(a => a.level === 'error' && a.message.includes('@RBT#old: delete'))).toBe(true)
        expect(run.annotations.some(a => a.level === 'error' && a.message.includes('@RBT#gone'))).toBe(false)
      })

    if (inProcess)
      it('does not count a robot the manifest does not list when prune is off', async () => {
        vendor.seed([...MATCHING, { UserID: '@RBT#legacy', Nick: 'Legacy' }])
        const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': dryRun, 'expect-no-changes': 'true' }, files: { 'robots.yaml': MANIFEST } })

        expect(run.exitCode).toBe(0)
        expect(run.outputs.changes).toBe('0')
      })
  })

  describe('a drift check that cannot see the app', () => {
    if (inProcess)
      it('refuses to run without credentials, making no call', async () => {
        const run = await runAgainst(vendor, {
          inputs: { endpoint: inputs.endpoint, 'expect-no-changes': 'true', 'dry-run': 'true' },
          files: { 'robots.yaml': MANIFEST }
        })

        expect(run.exitCode).toBe(1)
        expect(vendor.calls).toEqual([])
        expect(run.outputs.changes).toBe('')
        expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(
          /expect-no-changes compares the manifest with the app, so it needs sdkappid and secret-key/
        )
      })

    if (inProcess)
      it('fails, without a count, when the credentials are wrong', async () => {
        const run = await runAgainst(vendor, {
          inputs: { ...inputs, 'secret-key': 'not-the-key-of-this-app-0123456789', 'expect-no-changes': 'true' },
          files: { 'robots.yaml': MANIFEST }
        })

        expect(run.exitCode).toBe(1)
        expect(vendor.writes()).toEqual([])
        expect(run.outputs.changes).toBe('')
        expect(run.summary).toContain('Drift check: the app could not be compared')
      })
  })

  describe('the changes output', () => {
    it('is the number of writing calls made in an apply', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Old', SelfSignature: 'Ask me' }])
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(2)
      expect(run.outputs.changes).toBe('2')
    })

    if (inProcess)
      it('is the number of writing calls a dry run plans, without failing the step', async () => {
        vendor.seed([{ UserID: '@RBT#support', Nick: 'Old', SelfSignature: 'Ask me' }])
        const run = await runAgainst(vendor, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': MANIFEST } })

        expect(run.exitCode).toBe(0)
        expect(vendor.writes()).toEqual([])
        expect(run.outputs.changes).toBe('2')
      })

    if (inProcess)
      it('is 0 when an apply finds nothing to do', async () => {
        vendor.seed(MATCHING)
        const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })
        expect(run.outputs.changes).toBe('0')
      })

    if (inProcess)
      it('is empty in a dry run without credentials: the app was not compared', async () => {
        const run = await runAgainst(vendor, { inputs: { 'dry-run': 'true' }, files: { 'robots.yaml': MANIFEST } })

        expect(run.exitCode).toBe(0)
        expect(run.outputs.changes).toBe('')
      })
  })
}

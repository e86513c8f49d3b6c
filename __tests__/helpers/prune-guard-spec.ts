import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { errorText, results, type ActionRun } from '../../emulator/runner.js'
import { manifestOf, startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'
import { specCases } from './spec-cases.js'

/**
 * Prune cannot wipe an app by accident. A pull request that empties the
 * manifest, merged into a workflow with prune: true, would delete every robot,
 * and the vendor keeps a deleted UserID reserved for ever: the run stops
 * before any call instead. Every deletion that does happen is a warning
 * annotation naming the robot.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process (run() with the fake core);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/
 * the way the runner does.
 */
export function pruneGuardSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess } = specCases(options.e2eOnly)

  const APP = Array.from({ length: 3 }, (_, i) => ({ UserID: `@RBT#live${i}`, Nick: `Live ${i}` }))

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => {
    ;({ vendor, inputs } = await startVendor())
    vendor.seed(APP)
  })
  afterEach(async () => vendor.stop())

  function warnings(run: ActionRun): string[] {
    return run.annotations.filter(a => a.level === 'warning').map(a => a.message)
  }

  describe('prune with a manifest that lists no robots', () => {
    it.each(
      [
        ['robots: []', 'robots: []\n'],
        ['an empty flow list with comments', '# all gone\nrobots: [ ]   # nothing left\n'],
        ['CRLF line ends', 'robots: []\r\n'],
        ['a block list emptied to a comment', 'robots: []\n#  - UserID: "@RBT#live0"\n']
      ].filter(([name]) => !options.e2eOnly || name === 'robots: []')
    )('%s: stops before any call, says why and how to delete on purpose', async (_name, text) => {
      for (const dryRun of ['false', 'true']) {
        const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true', 'dry-run': dryRun }, files: { 'robots.yaml': text } })

        expect(run.exitCode).toBe(1)
        expect(vendor.calls).toEqual([])
        expect(vendor.robots()).toEqual(APP)
        const error = errorText(run)
        expect(error).toMatch(/prune is true but robots\.yaml lists no robots: this run would delete every robot of the app/)
        expect(error).toMatch(/list them under retired:/)
        expect(run.summary).toMatch(/lists no robots/)
        expect(results(run)).toEqual([])
      }
    })

    inProcess('without prune, an empty manifest is fine and deletes nothing', async () => {
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': 'robots: []\n' } })
      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toEqual([])
      expect(vendor.robots()).toEqual(APP)
    })

    inProcess('an invalid manifest with prune reports its own problems, and makes no call', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': 'robots:\n' } })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toEqual([])
      expect(run.annotations.map(a => a.message).join('\n')).toMatch(/robots has no value/)
    })
  })

  describe('every deletion is a warning naming the robot', () => {
    const KEEP = manifestOf([{ UserID: '@RBT#live0', Nick: 'Live 0' }])

    e2e('in apply mode, one warning per deleted robot', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': KEEP } })

      expect(run.exitCode).toBe(0)
      expect(vendor.deleted().sort()).toEqual(['@RBT#live1', '@RBT#live2'])
      const deleted = warnings(run).filter(m => /deleted/.test(m))
      expect(deleted).toHaveLength(2)
      expect(deleted.find(m => m.startsWith('@RBT#live1: deleted'))).toMatch(/cannot be undone/)
      expect(deleted.find(m => m.startsWith('@RBT#live2: deleted'))).toMatch(/cannot be undone/)
    })

    inProcess('in a dry run, one warning per robot that would be deleted', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true', 'dry-run': 'true' }, files: { 'robots.yaml': KEEP } })

      expect(vendor.writes()).toEqual([])
      expect(
        warnings(run)
          .filter(m => /would be deleted/.test(m))
          .map(m => m.split(':')[0])
          .sort()
      ).toEqual(['@RBT#live1', '@RBT#live2'])
    })

    inProcess('more deletions than GitHub shows warnings: every robot is still named, and deletions come before other warnings', async () => {
      vendor.reset()
      vendor.seed(Array.from({ length: 15 }, (_, i) => ({ UserID: `@RBT#old${i}` })))
      // A manifest warning (an undocumented UserID character) competes for the ten warning slots.
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#new.one' }]) } })

      expect(run.exitCode).toBe(0)
      expect(vendor.deleted()).toHaveLength(15)
      const shown = warnings(run)
      expect(shown).toHaveLength(10)
      const named = shown.join('\n')
      for (let i = 0; i < 15; i++) expect(named).toMatch(new RegExp(`@RBT#old${i}\\b`))
    })

    inProcess('a deletion that failed is not reported as deleted', async () => {
      vendor.inject({ kind: 'code', code: 10004, command: 'delete_robot', userId: '@RBT#live2' })
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': KEEP } })

      expect(run.exitCode).toBe(1)
      expect(
        warnings(run)
          .filter(m => /deleted/.test(m))
          .map(m => m.split(':')[0])
      ).toEqual(['@RBT#live1'])
    })
  })
}

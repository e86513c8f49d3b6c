import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results } from '../../emulator/runner.js'
import type { Runner } from './fault-matrix.js'
import { startVendor } from './vendor.js'

/**
 * Validation of the manifest as the user sees it: each problem on its line,
 * the step failed, no call made. One specification, two runners:
 * __tests__/unit/specs-in-process.test.ts runs every case in-process,
 * __tests__/e2e/specs-on-dist.test.ts the ones marked for the built action.
 */

/** The rules that also run on the built action. */
const E2E_RULES = ['a UserID without the @RBT# prefix', 'a YAML syntax error']

export function validationSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  /** A case for both runs (e2e true), or for the in-process run only. */
  const test = (e2e: boolean, name: string, fn: () => Promise<void>): void => {
    if (e2e || !options.e2eOnly) it(name, fn)
  }

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeAll(async () => ({ vendor, inputs } = await startVendor()))
  afterAll(async () => vendor.stop())

  /** Each rule: a manifest, the line and column of the problem, and words the message must have. */
  const RULES: Array<[string, string, number, number, RegExp]> = [
    ['a UserID without the @RBT# prefix', 'robots:\n  - UserID: "support"\n', 2, 13, /start with "?@RBT#/],
    ['a UserID over 32 bytes of UTF-8', 'robots:\n  - UserID: "@RBT#客服机器人小助手一号"\n', 2, 13, /35 bytes.*32/],
    ['a missing UserID', 'robots:\n  - Nick: Support\n', 2, 5, /UserID/],
    ['a UserID that is not a string', 'robots:\n  - UserID: 12345\n', 2, 13, /number.*quote/],
    ['an unquoted @', 'robots:\n  - UserID: @RBT#x\n', 2, 13, /quote/i],
    ['a Nick over 500 bytes', `robots:\n  - UserID: "@RBT#a"\n    Nick: "${'字'.repeat(200)}"\n`, 3, 11, /600 bytes.*500/],
    ['a SelfSignature that is a number', 'robots:\n  - UserID: "@RBT#a"\n    SelfSignature: 42\n', 3, 20, /number.*quote/],
    ['an unknown key, with the nearest known one', 'robots:\n  - UserID: "@RBT#a"\n    Nikc: A\n', 3, 5, /did you mean .?Nick/],
    ['a duplicate UserID, on the second one', 'robots:\n  - UserID: "@RBT#a"\n  - UserID: "@RBT#a"\n', 3, 13, /duplicate|already/i],
    ['robots that is not a list', 'robots:\n  UserID: "@RBT#a"\n', 2, 3, /list/],
    ['a YAML syntax error', 'robots:\n  - UserID: "@RBT#a\n', 2, 13, /.+/],
    ['tabs for indentation', 'robots:\n\t- UserID: "@RBT#a"\n', 2, 1, /tab/i]
  ]

  describe('validation of the manifest (built action)', () => {
    it.each(RULES.filter(([name]) => !options.e2eOnly || E2E_RULES.includes(name)))(
      'reports %s on its line, fails the step and calls nothing',
      async (_name, yaml, line, column, words) => {
        const before = vendor.calls.length
        const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })

        expect(run.exitCode).toBe(1)
        expect(vendor.calls.length).toBe(before)
        const onLine = run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml' && a.line === line)
        expect(onLine.map(a => a.message).join('\n')).toMatch(words)
        expect(onLine.some(a => a.col === column)).toBe(true)
        expect(run.summary).toContain('Manifest problems')
      }
    )

    test(true, 'reports every problem at once, and the valid entries are skipped, not lost', async () => {
      const yaml = 'robots:\n  - UserID: "@RBT#ok"\n  - UserID: "bad"\n  - UserID: "@RBT#two"\n    Nikc: x\n'
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })
      expect(run.exitCode).toBe(1)
      expect(run.annotations.filter(a => a.level === 'error' && a.file).map(a => a.line)).toEqual([3, 5])
      expect(results(run).map(r => [r.UserID, r.status])).toEqual([
        ['@RBT#ok', 'skipped'],
        ['bad', 'invalid'],
        ['@RBT#two', 'invalid']
      ])
      expect(JSON.parse(run.outputs.failed)).toEqual(['@RBT#ok', 'bad', '@RBT#two'])
    })

    test(false, 'refuses more than 20 robots before any call', async () => {
      const yaml = 'robots:\n' + Array.from({ length: 21 }, (_, i) => `  - UserID: "@RBT#r${i}"\n`).join('')
      const before = vendor.calls.length
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls.length).toBe(before)
      expect(run.annotations.map(a => a.message).join('\n')).toMatch(/21.*20/)
    })

    test(false, 'shows 10 annotations and says how many more are in the summary', async () => {
      const yaml = 'robots:\n' + Array.from({ length: 14 }, (_, i) => `  - UserID: "bad${i}"\n`).join('')
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': yaml } })
      const onLines = run.annotations.filter(a => a.level === 'error' && a.file)
      expect(onLines).toHaveLength(10)
      expect(onLines[9].message).toMatch(/4 more/)
      expect(run.summary.match(/does not start with/g)).toHaveLength(14)
    })

    test(true, 'validates offline in a dry run without credentials', async () => {
      const run = await runAgainst(vendor, { inputs: { 'dry-run': 'true' }, files: { 'robots.yaml': 'robots:\n  - UserID: "x"\n' } })
      expect(run.exitCode).toBe(1)
      expect(run.annotations[0]).toMatchObject({ level: 'error', file: 'robots.yaml', line: 2 })
    })

    test(true, 'annotates the manifest by its path from the repository root, however the input spells it', async () => {
      const run = await runAgainst(vendor, {
        inputs: { ...inputs, manifest: './config/../config/robots.yml' },
        files: { 'config/robots.yml': 'robots:\n  - UserID: "x"\n' }
      })
      expect(run.exitCode).toBe(1)
      expect(run.annotations.filter(a => a.file).map(a => a.file)).toEqual(['config/robots.yml'])
    })

    test(false, 'on a wrong input, still checks the manifest and accounts for every entry', async () => {
      const yaml = 'robots:\n  - UserID: "@RBT#a"\n  - UserID: "b"\n'
      const run = await runAgainst(vendor, { inputs: { ...inputs, endpoint: '', region: 'Singapur' }, files: { 'robots.yaml': yaml } })

      expect(run.exitCode).toBe(1)
      const errors = run.annotations.filter(a => a.level === 'error')
      expect(errors.find(a => a.file === 'robots.yaml')?.line).toBe(3)
      expect(errors.map(a => a.message).join('\n')).toMatch(/region "singapur" is not a region: did you mean singapore\?/)
      expect(results(run).map(r => [r.UserID, r.status])).toEqual([
        ['@RBT#a', 'skipped'],
        ['b', 'invalid']
      ])
      expect(run.summary).toContain('<h2>Apply failed: stopped before any call — 1 skipped, 1 invalid</h2>')
    })

    test(false, 'refuses half of the credentials in a dry run too, before any call', async () => {
      const before = vendor.calls.length
      const run = await runAgainst(vendor, {
        inputs: { 'dry-run': 'true', sdkappid: '1400000000' },
        files: { 'robots.yaml': 'robots:\n  - UserID: "@RBT#a"\n' }
      })
      expect(run.exitCode).toBe(1)
      expect(vendor.calls.length).toBe(before)
      expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(
        /Half a set of credentials: sdkappid is set but neither secret-key nor usersig is/
      )
    })

    test(false, 'titles the summary of an invalid manifest as not applied', async () => {
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': 'robots:\n  - UserID: "x"\n' } })
      expect(run.summary).toContain('<h2>Apply failed: the manifest has 1 problem — 1 invalid</h2>')
    })

    test(true, 'says which file it looked for when the manifest is missing', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, manifest: 'config/robots.yaml' }, files: {} })
      expect(run.exitCode).toBe(1)
      expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(/config\/robots\.yaml/)
      expect(run.summary).toMatch(/config\/robots\.yaml/)
    })
  })
}

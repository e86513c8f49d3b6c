import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorText, results, type ActionRun } from '../../emulator/runner.js'
import { manifestOf, emulatorPerTest } from './vendor.js'
import type { Runner } from './fault-matrix.js'

/**
 * Reporting under stress: big fields, every robot failing, markup in the
 * manifest, more problems than GitHub shows, and a runner whose files cannot
 * be written. Whatever happens the report stays within GitHub's limits, shows
 * text as text, and never ends in a crash.
 */

/** GitHub's caps: 1 MiB for a step's summary, 1 MB for an output. */
const SUMMARY_LIMIT = 1024 * 1024
const OUTPUT_LIMIT = 1_000_000

/**
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every case
 * in-process (run() with the fake core), __tests__/e2e/specs-on-dist.test.ts the ones
 * marked for the built action.
 */
export function stressSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  /** A case for both runs (e2e true), or for the in-process run only. */
  const test = (e2e: boolean, name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (e2e || !options.e2eOnly) it(name, fn, timeout)
  }

  const start = emulatorPerTest()

  /** A crash shows as a stack trace or an unhandled rejection on stderr; only RUNNER_DEBUG=1 may show a stack. */
  function expectNoCrash(run: ActionRun): void {
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
    expect(run.stderr).not.toMatch(/unhandled|uncaught|^\w*Error: /im)
  }

  function expectWithinLimits(run: ActionRun): void {
    expect(Buffer.byteLength(run.summary)).toBeLessThan(SUMMARY_LIMIT)
    for (const [name, value] of Object.entries(run.outputs)) expect([name, Buffer.byteLength(value) < OUTPUT_LIMIT]).toEqual([name, true])
  }

  function fileAnnotations(run: ActionRun, level: 'error' | 'warning'): ActionRun['annotations'] {
    return run.annotations.filter(a => a.level === level && a.file === 'robots.yaml')
  }

  describe('reporting under stress', () => {
    test(false, 'twenty robots with 500-byte fields, every one failing, stay within the summary and output limits', async () => {
      const { v, inputs } = await start()
      const robots = Array.from({ length: 20 }, (_, i) => ({
        UserID: `@RBT#${String(i).padStart(2, '0')}${'x'.repeat(25)}`,
        Nick: '"'.repeat(500),
        FaceUrl: `https://cdn.example.com/${'&'.repeat(476)}`,
        SelfSignature: '<'.repeat(500)
      }))
      v.inject({ kind: 'code', code: 10004, info: '<&>"'.repeat(2000), command: 'create_robot', times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': manifestOf(robots) } })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode, r.attempts])).toEqual(robots.map(r => [r.UserID, 'failed', 10004, 1]))
      expect(run.exitCode).toBe(1)
      expect(v.robots()).toEqual([])
      expect(v.calls.filter(call => call.command === 'create_robot')).toHaveLength(20)
      expect(JSON.parse(run.outputs.failed)).toEqual(robots.map(r => r.UserID))
      for (const robot of robots) expect(run.summary).toContain(robot.UserID)
      expectWithinLimits(run)
      expectNoCrash(run)
    })

    // Big manifests through the whole run: in-process; the built action reads the biggest one below.
    if (!options.e2eOnly)
      it.each([
        ['5,000 entries', 'robots:\n' + Array.from({ length: 5000 }, (_, i) => `  - UserID: "a${i}"\n`).join(''), 5000],
        [
          '2,000 entries with 480-byte UserIDs',
          'robots:\n' + Array.from({ length: 2000 }, (_, i) => `  - UserID: "@RBT#${String(i).padStart(5, '0')}${'x'.repeat(470)}"\n`).join(''),
          2000
        ]
      ])('a manifest of %s keeps every output under 1 MB and still lists every entry', async (_name, text, count) => {
        const { v, inputs } = await start()
        const run = await runAgainst(v, { inputs, files: { 'robots.yaml': text } })

        expect(run.exitCode).toBe(1)
        expect(v.calls).toHaveLength(0)
        const all = results(run)
        expect(all).toHaveLength(count)
        expect(all.every(r => r.status === 'invalid')).toBe(true)
        expect(all.map(r => r.line)).toEqual(Array.from({ length: count }, (_, i) => i + 2))
        expectWithinLimits(run)
        expectNoCrash(run)
      })

    // The most entries a manifest can hold (one a line, up to the last line yaml is given;
    // src/manifest/syntax.ts MAX_LINES): on the built action only (in-process it would only repeat the same work).
    if (options.e2eOnly)
      it('a manifest of 9,998 empty entries keeps every output under 1 MB, listing what fits', async () => {
        const { v, inputs } = await start()
        const run = await runAgainst(v, { inputs, files: { 'robots.yaml': 'robots:\n' + '-\n'.repeat(9998) } })

        expect(run.exitCode).toBe(1)
        expect(v.calls).toHaveLength(0)
        const listed = results(run)
        expect(listed.length).toBeGreaterThan(0)
        expect(listed.every(r => r.status === 'invalid')).toBe(true)
        expect(listed[0]).toMatchObject({ UserID: null, status: 'invalid', line: 2 })
        // Too many for the results output: it lists what fits and says how many it left out.
        expect(listed.length).toBeLessThan(9998)
        expect(listed[listed.length - 1].ErrorInfo).toMatch(/^…and \d+ more entries, not listed/)
        expect(run.annotations.find(a => a.level === 'error' && a.file === undefined)?.message).toMatch(/9999 problems/)
        expectWithinLimits(run)
        expectNoCrash(run)
      })

    test(true, 'shows markup from the manifest and the vendor as text in the summary', async () => {
      const { v, inputs } = await start()
      v.seed([{ UserID: '@RBT#old', Nick: '<b>old</b>' }, { UserID: '@RBT#<svg onload=alert(3)>' }])
      v.inject({ kind: 'code', code: 40005, info: '<script>alert(2)</script>', command: 'create_robot', userId: '@RBT#<i>x</i>' })
      const manifest = manifestOf([
        { UserID: '@RBT#img', Nick: '<img src=x onerror=alert(1)>' },
        { UserID: '@RBT#<i>x</i>', Nick: '<a href="javascript:alert(4)">x</a>' },
        { UserID: '@RBT#old', Nick: '<img src=y onerror=alert(5)>' }
      ])
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': manifest } })

      expect(results(run).map(r => [r.UserID, r.status, r.action, r.ErrorCode])).toEqual([
        ['@RBT#img', 'ok', 'create', 0],
        ['@RBT#<i>x</i>', 'failed', 'create', 40005],
        ['@RBT#old', 'ok', 'update', 0]
      ])
      expect(run.exitCode).toBe(1)
      expect(
        v
          .robots()
          .map(r => [r.UserID, r.Nick])
          .sort()
      ).toEqual([
        ['@RBT#<svg onload=alert(3)>', undefined],
        ['@RBT#img', '<img src=x onerror=alert(1)>'],
        ['@RBT#old', '<img src=y onerror=alert(5)>']
      ])
      expect(run.summary).toContain('&lt;img <code>src=x</code> <code>onerror=alert(1)&gt;</code>')
      expect(run.summary).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
      expect(run.summary).toContain(
        '&quot;<code>&lt;b&gt;old&lt;/b&gt;</code>&quot; → &quot;&lt;img <code>src=y</code> <code>onerror=alert(5)&gt;</code>&quot;'
      )
      for (const raw of ['<img', '<script', '<svg', '<i>', '<a ', '<b>old']) expect([raw, run.summary.includes(raw)]).toEqual([raw, false])
      expectNoCrash(run)
    })

    test(false, 'more than 10 failures: exactly 10 error annotations on their lines, the last saying how many more', async () => {
      const { v, inputs } = await start()
      const robots = Array.from({ length: 14 }, (_, i) => ({ UserID: `@RBT#bot${i}`, Nick: `Bot ${i}` }))
      v.inject({ kind: 'code', code: 10004, command: 'create_robot', times: Infinity })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': manifestOf(robots) } })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual(robots.map(r => [r.UserID, 'failed', 10004]))
      expect(run.exitCode).toBe(1)
      expect(v.robots()).toEqual([])
      const onLines = fileAnnotations(run, 'error')
      expect(onLines).toHaveLength(10)
      expect(onLines.map(a => a.line)).toEqual(
        results(run)
          .slice(0, 10)
          .map(r => r.line)
      )
      expect(onLines[9].message).toMatch(/and 4 more errors/)
      expect(onLines.slice(0, 9).some(a => /more error/.test(a.message))).toBe(false)
      expect(run.annotations.find(a => a.level === 'error' && a.file === undefined)?.message).toMatch(/14 of 14 entries did not reach ok: .*; 4 more failed\./)
      for (const robot of robots) expect(run.summary).toContain(`<b><code>${robot.UserID}</code></b> — failed`)
      expectNoCrash(run)
    })

    test(false, 'more than 10 warnings: exactly 10 warning annotations, the last saying how many more, and the step passes', async () => {
      const { v, inputs } = await start()
      const robots = Array.from({ length: 12 }, (_, i) => ({ UserID: `@RBT#bot.${i}` }))
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': manifestOf(robots) } })

      expect(results(run).map(r => [r.UserID, r.status])).toEqual(robots.map(r => [r.UserID, 'ok']))
      expect(run.exitCode).toBe(0)
      expect(v.robots()).toEqual(robots)
      const onLines = fileAnnotations(run, 'warning')
      expect(onLines).toHaveLength(10)
      expect(onLines[9].message).toMatch(/and 2 more warnings/)
      expect(run.summary.match(/contains &quot;.&quot;/g)).toHaveLength(12)
      expectNoCrash(run)
    })
  })

  describe('a runner whose files cannot be written', () => {
    const TWO = manifestOf([
      { UserID: '@RBT#support', Nick: 'Support' },
      { UserID: '@RBT#billing', Nick: 'Billing' }
    ])
    /** A directory where the runner's file should be; removed after the test. */
    const directories: string[] = []
    const directoryFor = async (prefix: string): Promise<string> => {
      directories.push(await mkdtemp(join(tmpdir(), prefix)))
      return directories[directories.length - 1]
    }
    afterEach(async () => {
      for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true })
    })

    test(true, 'outputs that cannot be written: the summary still lists every robot, and the step fails with a message, not a crash', async () => {
      const { v, inputs } = await start()
      const directory = await directoryFor('ccr-output-dir-')
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': TWO }, env: { GITHUB_OUTPUT: directory } })

      expect(
        v
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual(['@RBT#billing', '@RBT#support'])
      expect(run.summary).toMatch(/<tr><td><code>@RBT#support<\/code><\/td><td>Support<\/td><td>create<\/td><td>[^<]*<\/td><td>✅ ok<\/td>/)
      expect(run.summary).toMatch(/<tr><td><code>@RBT#billing<\/code><\/td><td>Billing<\/td><td>create<\/td><td>[^<]*<\/td><td>✅ ok<\/td>/)
      expect(run.exitCode).toBe(1)
      expect(errorText(run)).toMatch(/output/i)
      expectNoCrash(run)
    })

    test(true, 'a job summary that cannot be written: the outputs still hold every robot, and the step fails with a message, not a crash', async () => {
      const { v, inputs } = await start()
      const directory = await directoryFor('ccr-summary-dir-')
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': TWO }, env: { GITHUB_STEP_SUMMARY: directory } })

      expect(results(run).map(r => [r.UserID, r.status, r.action])).toEqual([
        ['@RBT#support', 'ok', 'create'],
        ['@RBT#billing', 'ok', 'create']
      ])
      expect(
        v
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual(['@RBT#billing', '@RBT#support'])
      expect(run.exitCode).toBe(1)
      expect(errorText(run)).toMatch(/summary/i)
      expectNoCrash(run)
    })
  })
}

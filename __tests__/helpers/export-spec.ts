import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SeedRobot, VendorEmulator } from '../../emulator/server.js'
import { errorText, makeWorkspace, results } from '../../emulator/runner.js'
import { startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'
import { specCases } from './spec-cases.js'

/**
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process (run() with the fake core);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/
 * the way the runner does.
 */
export function exportSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess } = specCases(options.e2eOnly)

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  const workspaces: string[] = []
  beforeEach(async () => ({ vendor, inputs } = await startVendor()))
  afterEach(async () => {
    await vendor.stop()
    for (const dir of workspaces.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  async function workspace(files: Record<string, string> = {}): Promise<string> {
    const dir = await makeWorkspace(files)
    workspaces.push(dir)
    return dir
  }

  /** An app set up by hand in the console: out of order, fields left unset or emptied, values YAML would misread. */
  const SEEDED: SeedRobot[] = [
    { UserID: '@RBT#support', Nick: 'Support', FaceUrl: 'https://cdn.example.com/robots/support.png', SelfSignature: 'Ask me: anything # really' },
    { UserID: '@RBT#billing', Nick: 'yes', SelfSignature: '' },
    { UserID: '@RBT#faq', Nick: '123' },
    { UserID: '@RBT#bare' },
    { UserID: '@RBT#kefu', Nick: '客服小助手', SelfSignature: '@home\n"quoted" line two' }
  ]

  const EXPECTED = `# yaml-language-server: $schema=https://raw.githubusercontent.com/org/create-chat-robots/v1/robots.schema.json
robots:
  - UserID: "@RBT#bare"
  - UserID: "@RBT#billing"
    Nick: yes
  - UserID: "@RBT#faq"
    Nick: "123"
  - UserID: "@RBT#kefu"
    Nick: 客服小助手
    SelfSignature: "@home\\n\\"quoted\\" line two"
  - UserID: "@RBT#support"
    Nick: Support
    FaceUrl: https://cdn.example.com/robots/support.png
    SelfSignature: "Ask me: anything # really"
`

  describe('export', () => {
    e2e('writes every robot of the app, sorted by UserID, UserIDs quoted, only the fields that are set, reading only', async () => {
      vendor.seed(SEEDED)
      const dir = await workspace()
      const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots.yaml' } })

      expect(run.exitCode).toBe(0)
      expect(await readFile(join(dir, 'robots.yaml'), 'utf8')).toBe(EXPECTED)
      expect(vendor.writes()).toEqual([])
      expect(new Set(vendor.calls.map(c => c.command))).toEqual(new Set(['get_all_robots', 'portrait_get']))
      // The run plans what it wrote against the same app: nothing to change.
      expect(run.outputs.changes).toBe('0')
      expect(results(run).map(r => [r.UserID, r.action, r.status])).toEqual([
        ['@RBT#bare', 'unchanged', 'ok'],
        ['@RBT#billing', 'unchanged', 'ok'],
        ['@RBT#faq', 'unchanged', 'ok'],
        ['@RBT#kefu', 'unchanged', 'ok'],
        ['@RBT#support', 'unchanged', 'ok']
      ])
      expect(run.log).toContain("Exported the app's 5 robots to robots.yaml.")
      expect(run.summary).toContain('<h3>Exported <code>robots.yaml</code></h3>')
      expect(run.summary).toContain('  - UserID: &quot;@RBT#support&quot;\n    Nick: Support\n')
    })

    inProcess('writes a manifest that passes the validator offline and plans to zero changes against the same app', async () => {
      vendor.seed(SEEDED)
      const dir = await workspace()
      expect((await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots/app.yaml' } })).exitCode).toBe(0)
      vendor.reset()
      vendor.seed(SEEDED)

      const validated = await runAgainst(vendor, { workspace: dir, inputs: { manifest: 'robots/app.yaml', 'dry-run': 'true' } })
      expect(validated.exitCode).toBe(0)
      expect(validated.annotations.filter(a => a.level !== 'notice')).toEqual([])
      expect(vendor.calls).toEqual([])

      const drift = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, manifest: 'robots/app.yaml', 'expect-no-changes': 'true' } })
      expect(drift.exitCode).toBe(0)
      expect(drift.outputs.changes).toBe('0')
      expect(vendor.writes()).toEqual([])

      const applied = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, manifest: 'robots/app.yaml' } })
      expect(applied.exitCode).toBe(0)
      expect(applied.outputs.changes).toBe('0')
      expect(vendor.writes()).toEqual([])
    })

    inProcess('replaces the manifest there, and writes robots: [] for an app without robots', async () => {
      const dir = await workspace({ 'robots.yaml': 'robots:\n  - UserID: "@RBT#gone"\n' })
      const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots.yaml' } })

      expect(run.exitCode).toBe(0)
      expect(await readFile(join(dir, 'robots.yaml'), 'utf8')).toMatch(/^# yaml-language-server: .*\nrobots: \[\]\n$/)
      expect(run.outputs.changes).toBe('0')
    })

    inProcess('shows a hostile value from the app as text in the summary, and writes it back as the same string', async () => {
      const nick = '</pre><script>alert(1)</script>\n\t@octocat'
      vendor.seed([{ UserID: '@RBT#x', Nick: nick }])
      const dir = await workspace()
      const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots.yaml' } })

      expect(run.summary).not.toContain('<script>')
      expect(await readFile(join(dir, 'robots.yaml'), 'utf8')).toContain('Nick: "</pre><script>alert(1)</script>\\n\\t@octocat"')
      expect(results(run)[0]).toMatchObject({ UserID: '@RBT#x', action: 'unchanged' })
    })

    inProcess('writes a value no manifest may hold as the app has it, and says the file is not ready, not that nothing was written', async () => {
      vendor.seed([{ UserID: '@RBT#x', Nick: 'red\u001b[31mtext' }])
      const dir = await workspace()
      const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots.yaml' } })

      expect(run.exitCode).toBe(1)
      expect(await readFile(join(dir, 'robots.yaml'), 'utf8')).toContain('Nick: "red\\u001b[31mtext"')
      const failure = errorText(run)
      expect(failure).toMatch(
        /robots\.yaml has 1 problem; it was written as the app has it, and is not ready to apply until they are fixed \(nothing was written to the app\)/
      )
      expect(vendor.calls.every(call => /get_all_robots|portrait_get/.test(call.command))).toBe(true)
    })

    inProcess('needs credentials, and makes no call without them', async () => {
      const dir = await workspace()
      const run = await runAgainst(vendor, { workspace: dir, inputs: { endpoint: inputs.endpoint, export: 'robots.yaml' } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toEqual([])
      expect(run.annotations.find(a => a.level === 'error')?.message).toContain("Input export reads the app's robots, so it needs sdkappid and secret-key")
    })

    inProcess('writes nothing when the app cannot be read', async () => {
      vendor.seed(SEEDED)
      vendor.inject({ command: 'portrait_get', kind: 'code', code: 40004, times: 1 })
      const dir = await workspace({ 'robots.yaml': 'robots: []\n' })
      const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots.yaml' } })

      expect(run.exitCode).toBe(1)
      expect(await readFile(join(dir, 'robots.yaml'), 'utf8')).toBe('robots: []\n')
      expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(/profiles of the app's robots could not be read \(40004.*nothing was exported/)
    })

    describe("refuses a path that would write outside the repository's files, before any call", () => {
      it.each(
        (
          [
            ['outside the workspace', '../robots.yaml', /points outside the workspace/],
            ['absolute', '/tmp/robots.yaml', /is an absolute path/],
            ['inside .git', '.git/hooks/pre-commit', /is inside \.git/],
            ['inside .git, spelt otherwise', 'docs/../.GIT/config', /is inside \.git/],
            ['the workspace itself', '.', /points outside the workspace/],
            ['a line break in its name, which would end a line of the log', 'robots.yaml\n::error::forged', /contains a control character/]
          ] as Array<[string, string, RegExp]>
        ).filter(([what]) => !options.e2eOnly || what.startsWith('a line break'))
      )('%s: %s', async (_what, path, message) => {
        vendor.seed(SEEDED)
        const dir = await workspace({ '.git/config': '[core]\n' })
        const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: path } })

        expect(run.exitCode).toBe(1)
        expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(message)
        expect(vendor.calls).toEqual([])
        expect(await readFile(join(dir, '.git/config'), 'utf8')).toBe('[core]\n')
      })

      inProcess('a symlink at the path, even to a file inside the workspace', async () => {
        const outside = join(tmpdir(), `ccr-outside-${process.pid}-${Date.now()}.yaml`)
        await writeFile(outside, 'untouched\n')
        const dir = await workspace({ 'real.yaml': 'robots: []\n' })
        await symlink(outside, join(dir, 'robots.yaml'))
        await symlink(join(dir, 'real.yaml'), join(dir, 'inside.yaml'))
        try {
          for (const path of ['robots.yaml', 'inside.yaml']) {
            const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: path } })
            expect(run.exitCode).toBe(1)
            expect(run.annotations.find(a => a.level === 'error')?.message).toContain('is a symlink')
          }
          expect(await readFile(outside, 'utf8')).toBe('untouched\n')
          expect(await readFile(join(dir, 'real.yaml'), 'utf8')).toBe('robots: []\n')
          expect(vendor.calls).toEqual([])
        } finally {
          await rm(outside, { force: true })
        }
      })

      inProcess('a folder that is a symlink out of the workspace, or into .git', async () => {
        const outside = join(tmpdir(), `ccr-outside-dir-${process.pid}-${Date.now()}`)
        await mkdir(outside)
        const dir = await workspace({ '.git/config': '[core]\n' })
        await symlink(outside, join(dir, 'robots'))
        await symlink(join(dir, '.git'), join(dir, 'meta'))
        try {
          const out = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots/app.yaml' } })
          expect(out.annotations.find(a => a.level === 'error')?.message).toContain('outside the workspace')
          const git = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'meta/hooks/post-checkout' } })
          expect(git.annotations.find(a => a.level === 'error')?.message).toContain('symlink into .git')
          expect([out.exitCode, git.exitCode]).toEqual([1, 1])
          expect(vendor.calls).toEqual([])
        } finally {
          await rm(outside, { recursive: true, force: true })
        }
      })

      inProcess('a directory', async () => {
        const dir = await workspace({ 'robots/keep': '' })
        const run = await runAgainst(vendor, { workspace: dir, inputs: { ...inputs, export: 'robots' } })
        expect(run.exitCode).toBe(1)
        expect(run.annotations.find(a => a.level === 'error')?.message).toContain('is a directory')
      })
    })
  })
}

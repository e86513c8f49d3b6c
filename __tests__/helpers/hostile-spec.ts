import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { rm, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { makeWorkspace, results, type ActionRun } from '../../emulator/runner.js'
import { startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'

/**
 * Hostile and broken manifests: each ends in a clear
 * error that names the file (and the line, where there is one), makes no call
 * and fails the step.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every case
 * in-process (run() with the fake core), __tests__/e2e/specs-on-dist.test.ts the ones
 * marked for the built action.
 */
export function hostileSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  /** A case for both runs (e2e true), or for the in-process run only. */
  const test = (e2e: boolean, name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (e2e || !options.e2eOnly) it(name, fn, timeout)
  }

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeAll(async () => ({ vendor, inputs } = await startVendor()))
  afterAll(async () => vendor.stop())

  /** Nine anchors, each a list of nine aliases of the one before: 9^9 "lol"s if expanded. */
  const ALIAS_BOMB = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    'robots: *i',
    ''
  ].join('\n')

  interface Hostile {
    name: string
    /** The workspace and the manifest input. */
    setup: () => Promise<{ workspace: string; manifest: string }>
    /** What the error must say, besides the manifest's name. */
    says: RegExp
    /** The line the error must be annotated on, when the problem has one. */
    line?: number
  }

  /** Every workspace the cases make, removed at the end. */
  const made: string[] = []
  afterAll(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  async function workspace(files: Record<string, string | Buffer> = {}): Promise<string> {
    made.push(await makeWorkspace(files))
    return made[made.length - 1]
  }

  async function workspaceWith(files: Record<string, string | Buffer>, manifest = 'robots.yaml'): Promise<{ workspace: string; manifest: string }> {
    return { workspace: await workspace(files), manifest }
  }

  async function workspaceWithLink(target: (outside: string) => string): Promise<{ workspace: string; manifest: string }> {
    const outside = await workspace({ 'outside.yaml': 'robots:\n  - UserID: "@RBT#outside"\n' })
    const inside = await workspace()
    await symlink(target(outside), join(inside, 'robots.yaml'))
    return { workspace: inside, manifest: 'robots.yaml' }
  }

  const HOSTILE: Hostile[] = [
    {
      name: 'a YAML alias bomb ("billion laughs")',
      setup: () => workspaceWith({ 'robots.yaml': ALIAS_BOMB }),
      says: /Anchors \(&a\) and aliases are not supported/,
      line: 1
    },
    {
      name: 'a 20 MB file',
      setup: () => workspaceWith({ 'robots.yaml': 'robots: []\n#' + 'x'.repeat(20 * 1024 * 1024) }),
      says: /20,971,5\d\d bytes; the limit is 1,048,576 bytes/
    },
    {
      name: 'a manifest path that is a directory',
      setup: () => workspaceWith({ 'config/robots.yaml': 'robots: []\n' }, 'config'),
      says: /is a directory/
    },
    {
      name: '/dev/zero through a symlink in the workspace',
      setup: () => workspaceWithLink(() => '/dev/zero'),
      says: /manifest "robots.yaml" is a symlink/
    },
    {
      name: 'a FIFO',
      setup: async () => {
        const fifo = await workspace()
        execFileSync('mkfifo', [join(fifo, 'robots.yaml')])
        return { workspace: fifo, manifest: 'robots.yaml' }
      },
      says: /FIFO/
    },
    {
      name: 'a symlink to a file outside the workspace',
      setup: () => workspaceWithLink(outside => join(outside, 'outside.yaml')),
      says: /manifest "robots.yaml" is a symlink/
    },
    {
      name: 'a manifest input of ../outside.yaml',
      setup: () => workspaceWith({ 'robots.yaml': 'robots: []\n' }, '../outside.yaml'),
      says: /points outside the workspace/
    },
    {
      name: 'an absolute manifest input',
      setup: () => workspaceWith({ 'robots.yaml': 'robots: []\n' }, '/etc/passwd'),
      says: /is an absolute path/
    },
    {
      name: 'invalid UTF-8 bytes',
      setup: () =>
        workspaceWith({
          'robots.yaml': Buffer.concat([Buffer.from('robots:\n  - UserID: "@RBT#a"\n    Nick: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')])
        }),
      says: /not valid UTF-8 \(the first bad byte is on line 3\)/
    },
    {
      name: 'duplicate keys',
      setup: () => workspaceWith({ 'robots.yaml': 'robots:\n  - UserID: "@RBT#a"\n    Nick: A\n    Nick: B\n' }),
      says: /Duplicate key "Nick" \(first on line 3\)/,
      line: 4
    },
    {
      name: 'values nested 10,000 deep',
      setup: () => workspaceWith({ 'robots.yaml': 'robots: ' + '['.repeat(10_000) + '\n' }),
      says: /nests values more than 32 levels deep/,
      line: 1
    },
    {
      name: 'half a million tiny values',
      setup: () => workspaceWith({ 'robots.yaml': 'robots: [' + '1,'.repeat(500_000) + ']\n' }),
      says: /too complex to read/,
      line: 1
    },
    {
      name: 'tabs for indentation',
      setup: () => workspaceWith({ 'robots.yaml': 'robots:\n\t- UserID: "@RBT#a"\n' }),
      says: /Tabs are not allowed for indentation/,
      line: 2
    }
  ]

  /** A crash shows as a stack trace or an unhandled rejection on stderr. */
  function expectNoCrash(run: ActionRun): void {
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
    expect(run.stderr).not.toMatch(/unhandled|uncaught/i)
  }

  describe('hostile and broken manifests', () => {
    // On the built action: what could hang or exhaust a process (a device, a FIFO, a huge file, an alias bomb).
    const ON_DIST = ['a YAML alias bomb ("billion laughs")', 'a 20 MB file', '/dev/zero through a symlink in the workspace', 'a FIFO']
    it.each(HOSTILE.filter(h => !options.e2eOnly || ON_DIST.includes(h.name)))(
      '$name: a clear error naming the file, no call, exit 1 (a hang is killed at 10 s; speed is bench P5)',
      async ({ setup, says, line }) => {
        const { workspace, manifest } = await setup()
        const before = vendor.calls.length
        const run = await runAgainst(vendor, { inputs: { ...inputs, manifest }, workspace, timeoutMs: 10_000 })

        expect(run.exitCode).toBe(1)
        expect(vendor.calls.length).toBe(before)
        const errors = run.annotations.filter(a => a.level === 'error')
        expect(errors.map(a => a.message).join('\n')).toMatch(says)
        // The step's failure names the manifest as the user gave it.
        expect(errors.some(a => a.file === undefined && a.message.includes(manifest))).toBe(true)
        if (line !== undefined) {
          expect(errors.some(a => a.file === 'robots.yaml' && a.line === line && says.test(a.message))).toBe(true)
        }
        expect(run.summary).toContain(manifest)
        // No robot can end ok from a manifest that could not be read.
        expect(results(run).filter(r => r.status === 'ok')).toEqual([])
        expect(JSON.parse(run.outputs.created)).toEqual([])
        expectNoCrash(run)
      }
    )

    test(false, 'annotates an invalid UTF-8 byte on its line', async () => {
      const bytes = Buffer.concat([Buffer.from('robots:\n  - UserID: "@RBT#a"\n    Nick: "'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')])
      const before = vendor.calls.length
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': bytes } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls.length).toBe(before)
      expect(results(run)).toEqual([])
      expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', file: 'robots.yaml', line: 3 }))
    })
  })

  describe('byte order marks and CRLF line ends', () => {
    const ROBOTS = 'robots:\n  - UserID: "@RBT#bom"\n    Nick: Bom\n  - UserID: "@RBT#crlf"\n    Nick: Crlf\n'

    const ENDINGS: Array<[string, string]> = [
      ['a UTF-8 BOM', '\uFEFF' + ROBOTS],
      ['CRLF line ends', ROBOTS.replace(/\n/g, '\r\n')],
      ['a UTF-8 BOM and CRLF line ends', '\uFEFF' + ROBOTS.replace(/\n/g, '\r\n')]
    ]
    it.each(ENDINGS.filter(([name]) => !options.e2eOnly || name === 'a UTF-8 BOM and CRLF line ends'))(
      'a manifest with %s is accepted and its robots created',
      async (_name, text) => {
        vendor.reset()
        const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': text } })

        expect(run.exitCode).toBe(0)
        expect(results(run).map(r => [r.UserID, r.status, r.action, r.line])).toEqual([
          ['@RBT#bom', 'ok', 'create', 2],
          ['@RBT#crlf', 'ok', 'create', 4]
        ])
        expect(vendor.robots()).toEqual([
          { UserID: '@RBT#bom', Nick: 'Bom' },
          { UserID: '@RBT#crlf', Nick: 'Crlf' }
        ])
        expect(vendor.robots().some(r => /[\r\uFEFF]/.test(JSON.stringify(r)))).toBe(false)
      }
    )

    test(false, 'with a BOM and CRLF line ends, problems are reported on their right lines and columns', async () => {
      const text = '\uFEFFrobots:\r\n  - UserID: "@RBT#a"\r\n    Nikc: A\r\n  - UserID: "bad"\r\n'
      const before = vendor.calls.length
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': text } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls.length).toBe(before)
      expect(run.annotations.filter(a => a.level === 'error' && a.file).map(a => [a.line, a.col])).toEqual([
        [3, 5],
        [4, 13]
      ])
      expect(results(run).map(r => [r.UserID, r.status, r.line])).toEqual([
        ['@RBT#a', 'invalid', 2],
        ['bad', 'invalid', 4]
      ])
    })
  })
}

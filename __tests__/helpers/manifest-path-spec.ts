import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { errorText, makeWorkspace, results, shownText, type ActionRun } from '../../emulator/runner.js'
import { FakeGitHub } from './github-api.js'
import type { EventRunner } from './pr-comment-spec.js'
import { secretsOf, startVendor } from './vendor.js'

/**
 * The manifest is a plain file of the tree. A pull request can commit a
 * symlink (git stores it as one) but cannot make the job read .git/: the
 * checkout writes the token into .git/config, and a YAML error that quotes it
 * would publish it in the PR comment, which the runner does not mask. So a
 * symlink anywhere on the path, or a path under .git/, is refused before it is
 * read, and no message quotes more than a short excerpt of the file.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs
 * every case in-process (run() with the fake core, the comment to a FakeGitHub);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/.
 */

const TOKEN = 'ghs_' + 'T'.repeat(36)
/** What actions/checkout leaves in .git/config: the token, base64 in a header. */
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
const GIT_CONFIG = `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://github.com/acme/robots\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`
const MANIFEST = 'robots:\n  - UserID: "@RBT#support"\n    Nick: Support\n'
/** The longest run of file content a message may quote. */
const MAX_EXCERPT = 40

export function manifestPathSpec(runAction: EventRunner, options: { e2eOnly: boolean }): void {
  /** Cases not marked e2e run only in-process. */
  const inProcess = !options.e2eOnly
  let vendor: VendorEmulator
  let inputs: Record<string, string>
  let github: FakeGitHub
  let apiUrl: string
  beforeAll(async () => ({ vendor, inputs } = await startVendor()))
  afterAll(async () => vendor.stop())
  beforeEach(async () => {
    vendor.reset()
    github = new FakeGitHub(TOKEN)
    apiUrl = await github.start()
  })
  afterEach(async () => github.stop())

  /** Everything a person or a later step can read, the PR comments included. */
  function everything(run: ActionRun): string {
    return shownText(
      run,
      github.comments.map(c => c.body)
    )
  }

  /** A checkout: the tree plus the .git/config that holds the token. */
  async function checkout(files: Record<string, string> = {}): Promise<string> {
    const workspace = await makeWorkspace({ '.git/config': GIT_CONFIG, '.git/HEAD': 'ref: refs/heads/main\n', 'real/robots.yaml': MANIFEST, ...files })
    return workspace
  }

  /** The action on a pull request, with a token that can comment: the worst case for a leak. */
  async function runOnPullRequest(workspace: string, manifest = 'robots.yaml'): Promise<ActionRun> {
    try {
      return await runAction({
        workspace,
        inputs: { ...inputs, manifest, 'dry-run': 'true', 'github-token': TOKEN },
        event: {
          name: 'pull_request',
          payload: {
            action: 'synchronize',
            pull_request: { number: 7, head: { repo: { full_name: 'acme/robots' } }, base: { repo: { full_name: 'acme/robots' } } },
            repository: { name: 'robots', owner: { login: 'acme' } }
          }
        },
        env: { GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'acme/robots' },
        timeoutMs: 15_000
      })
    } finally {
      await rm(workspace, { recursive: true, force: true })
    }
  }

  function expectRefused(run: ActionRun, says: RegExp): void {
    expect(run.exitCode).toBe(1)
    expect(vendor.calls).toEqual([])
    expect(errorText(run)).toMatch(says)
    expect(results(run).filter(r => r.status === 'ok')).toEqual([])
    const seen = everything(run)
    for (const secret of [TOKEN, BASIC, 'AUTHORIZATION', 'extraheader', 'repositoryformatversion', ...secretsOf(vendor)]) expect(seen).not.toContain(secret)
  }

  describe('the manifest path is refused before it is read', () => {
    it('robots.yaml committed as a symlink to .git/config', async () => {
      const workspace = await checkout()
      await symlink('.git/config', join(workspace, 'robots.yaml'))
      expectRefused(await runOnPullRequest(workspace), /manifest "robots.yaml" is a symlink/)
    })

    if (inProcess)
      it('robots.yaml committed as a symlink to a harmless file of the tree', async () => {
        const workspace = await checkout()
        await symlink('real/robots.yaml', join(workspace, 'robots.yaml'))
        expectRefused(await runOnPullRequest(workspace), /manifest "robots.yaml" is a symlink: .*plain file/)
      })

    if (inProcess)
      it('a path through a symlinked directory that points at .git', async () => {
        const workspace = await checkout()
        await symlink('.git', join(workspace, 'config'))
        expectRefused(await runOnPullRequest(workspace, 'config/config'), /manifest "config\/config" passes through a symlink \(config\)/)
      })

    if (inProcess)
      it('a path through a symlinked directory inside the tree', async () => {
        const workspace = await checkout()
        await symlink('real', join(workspace, 'linked'))
        expectRefused(await runOnPullRequest(workspace, 'linked/robots.yaml'), /passes through a symlink \(linked\)/)
      })

    if (inProcess)
      it('a dangling symlink', async () => {
        const workspace = await checkout()
        await symlink('nowhere.yaml', join(workspace, 'robots.yaml'))
        expectRefused(await runOnPullRequest(workspace), /is a symlink/)
      })

    if (inProcess)
      it.each(['.git/config', './.git/config', 'real/../.git/config', '.GIT/config', '.git', 'vendor/lib/.git/config'])(
        'a manifest input of %s (under .git/)',
        async manifest => {
          const workspace = await checkout()
          await mkdir(join(workspace, 'vendor/lib/.git'), { recursive: true })
          await writeFile(join(workspace, 'vendor/lib/.git/config'), GIT_CONFIG)
          expectRefused(await runOnPullRequest(workspace, manifest), /lies under \.git\//)
        }
      )
  })

  describe('no message quotes more than a short excerpt of the file', () => {
    const SECRET = randomBytes(60).toString('base64').replace(/[+/=]/g, 'x')
    const DIGITS = Array.from(randomBytes(80), b => String(b % 10)).join('')
    const HOSTILE: Array<[string, string, string]> = [
      ['a copy of .git/config committed as robots.yaml', GIT_CONFIG.replace(BASIC, SECRET), SECRET],
      ['a long token after a tab', `robots:\n\t- x: ${SECRET}\n`, SECRET],
      ['a long unknown key in a robot', `robots:\n  - UserID: "@RBT#a"\n    ${SECRET}: x\n`, SECRET],
      ['a long unknown top-level key', `${SECRET}: 1\nrobots: []\n`, SECRET],
      ['a long duplicate key', `robots:\n  - UserID: "@RBT#a"\n    ${SECRET}: x\n    ${SECRET}: y\n`, SECRET],
      ['a long tag', `robots:\n  - UserID: "@RBT#a"\n    Nick: !${SECRET} x\n`, SECRET],
      ['a long anchor', `robots:\n  - UserID: "@RBT#a"\n    Nick: &${SECRET} x\n`, SECRET],
      ['a long alias', `robots:\n  - UserID: "@RBT#a"\n    Nick: *${SECRET}\n`, SECRET],
      ['a long alias as a key', `robots:\n  - UserID: "@RBT#a"\n    *${SECRET} : x\n`, SECRET],
      ['a long number as a Nick', `robots:\n  - UserID: "@RBT#a"\n    Nick: ${DIGITS}\n`, DIGITS],
      // A field's own value is shown as the robot's data; a value nobody shows is not.
      ['a plain value of 70 characters starting with @', `robots:\n  - UserID: "@RBT#a"\n    Extra: @${SECRET.slice(0, 70)}\n`, SECRET.slice(0, 70)],
      ['a long key before a value starting with @', `robots:\n  - UserID: "@RBT#a"\n    ${SECRET}: @x\n`, SECRET],
      ['a long block scalar header', `robots:\n  - UserID: "@RBT#a"\n    Nick: |${SECRET}\n      x\n`, SECRET],
      ['a long directive', `%${SECRET} x\n---\nrobots: []\n`, SECRET]
    ]

    // An unknown key is quoted in the annotation, the summary and the comment: it also runs on the built action.
    it.each(HOSTILE.filter(([name]) => inProcess || name === 'a long unknown key in a robot'))('%s', async (_name, text, secret) => {
      const run = await runOnPullRequest(await checkout({ 'robots.yaml': text }))
      expect(vendor.writes()).toEqual([])
      const seen = everything(run)
      const quoted = Array.from({ length: secret.length - MAX_EXCERPT }, (_, i) => secret.slice(i, i + MAX_EXCERPT + 1)).filter(piece => seen.includes(piece))
      expect(quoted).toEqual([])
    })
  })
}

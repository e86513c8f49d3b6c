import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TEST_SDKAPPID, type VendorEmulator } from '../../emulator/server.js'
import { findLeaks, makeWorkspace, results, testTimingEnv, type ActionRun, type RunOptions } from '../../emulator/runner.js'
import { FakeGitHub, JOB_TOKEN_LOGIN, type EventOptions, type FakeGitHubOptions } from './github-api.js'
import { manifestOf, secretsOf, startVendor, TEST_SECRET_KEY } from './vendor.js'

/**
 * The plan comment on a pull request, against a FakeGitHub: one comment, found
 * by its marker and its author, edited on later pushes, never anyone else's;
 * no secret in it; cut to what GitHub takes; written also when the run stops;
 * a hung or hostile GitHub API costs a warning.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs
 * every case in-process (run() with the fake core, the pull request read from
 * the env it is given); __tests__/e2e/specs-on-dist.test.ts runs those marked
 * `e2e` on the built dist/, which loads Octokit the way the runner does.
 */

export type EventRunner = (options: RunOptions & EventOptions) => Promise<ActionRun>

const TOKEN = 'ghs_faketoken0123456789abcdefghijklmnop'
const MANIFEST = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
])
const HEAD_SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d'
const MARKER = `<!-- create-chat-robots plan: manifest=robots.yaml sdkappid=${TEST_SDKAPPID} -->`

interface PullRequestRun {
  inputs?: Record<string, string>
  env?: Record<string, string>
  /** Written into the workspace before the run. */
  files?: Record<string, string>
}

export interface PrCommentSpecOptions {
  /** Only the cases marked for the end-to-end run. */
  e2eOnly: boolean
  /** The GitHub API deadline the hang cases give the action (test timing). */
  githubTimeoutMs: number
}

export function prCommentSpec(runAction: EventRunner, options: PrCommentSpecOptions): void {
  /** Cases not marked e2e run only in-process. */
  const inProcess = !options.e2eOnly
  let vendor: VendorEmulator
  let inputs: Record<string, string>
  let github: FakeGitHub
  let apiUrl: string
  let workspace: string

  beforeEach(async () => {
    ;({ vendor, inputs } = await startVendor())
    github = new FakeGitHub(TOKEN)
    apiUrl = await github.start()
    workspace = await makeWorkspace({ 'robots.yaml': MANIFEST })
  })
  afterEach(async () => {
    await vendor.stop()
    await github.stop()
    await rm(workspace, { recursive: true, force: true })
  })

  async function restartGitHub(githubOptions: FakeGitHubOptions): Promise<void> {
    await github.stop()
    github = new FakeGitHub(TOKEN, githubOptions)
    apiUrl = await github.start()
  }

  async function runOnPullRequest(run: PullRequestRun = {}): Promise<ActionRun> {
    for (const [path, text] of Object.entries(run.files ?? {})) await writeFile(join(workspace, path), text)
    const action = await runAction({
      workspace,
      inputs: { ...inputs, 'dry-run': 'true', 'github-token': TOKEN, ...run.inputs },
      event: {
        name: 'pull_request',
        payload: { pull_request: { number: 7, head: { sha: HEAD_SHA } }, repository: { name: 'robots', owner: { login: 'acme' } } }
      },
      env: {
        GITHUB_API_URL: apiUrl,
        GITHUB_REPOSITORY: 'acme/robots',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4242',
        GITHUB_SHA: 'f'.repeat(40),
        ...run.env
      }
    })
    // Nothing secret in any body the action sent to GitHub: the runner does not mask a comment.
    expect(findLeaks(action, [...secretsOf(vendor), TOKEN], github.bodiesSent)).toEqual([])
    return action
  }

  const ours = () => github.comments.filter(c => c.user.login === github.identity)

  describe('the plan comment on a pull request', () => {
    it('posts the plan as one comment with a hidden marker', async () => {
      const run = await runOnPullRequest()
      expect(run.exitCode).toBe(0)
      expect(github.comments).toHaveLength(1)
      expect(github.comments[0].body.split('\n')[0]).toBe(MARKER)
      // The comment is the summary: the same headline a reviewer reads first.
      expect(github.comments[0].body).toContain('<h2>Plan: 2 to create</h2>')
      expect(github.comments[0].body).toContain('@RBT#support')
      expect(vendor.writes()).toHaveLength(0)
      // GitHub's API of the run (GitHub Enterprise Server has its own), with the job's token.
      expect(github.requests.length).toBeGreaterThan(0)
      expect(github.requests.every(r => r.auth === `token ${TOKEN}`)).toBe(true)
    })

    if (inProcess)
      it('sets every UserID as code, so GitHub does not @-mention a user called RBT', async () => {
        await runOnPullRequest()
        const outsideCode = github.comments[0].body.replace(/<code>[^<]*<\/code>/g, '')
        expect(github.comments[0].body).toContain('<code>@RBT#support</code>')
        expect(outsideCode).not.toMatch(/@RBT/)
      })

    it('edits the same comment on the next push instead of adding one', async () => {
      await runOnPullRequest()
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Old' }])
      await runOnPullRequest()
      expect(github.comments).toHaveLength(1)
      expect(github.comments[0].body).toContain('<td>update</td><td>Nick: &quot;Old&quot; → &quot;Support&quot;</td>')
      expect(github.requests.filter(r => r.method === 'PATCH')).toHaveLength(1)
    })

    if (inProcess)
      it('finds its comment past the first page of a long conversation', async () => {
        for (let i = 0; i < 120; i++) github.seedComment(`comment ${i}`, 'someone')
        await runOnPullRequest()
        await runOnPullRequest()
        expect(ours()).toHaveLength(1)
        expect(github.requests.filter(r => r.method === 'PATCH')).toHaveLength(1)
        expect(github.requests.filter(r => r.method === 'GET' && r.path.endsWith('/comments')).length).toBeGreaterThanOrEqual(4)
      })

    if (inProcess)
      it('shows the commit it planned (short SHA) and links the workflow run', async () => {
        await runOnPullRequest()
        const body = github.comments[0].body
        expect(body).toContain(`<a href="https://github.com/acme/robots/commit/${HEAD_SHA}"><code>1a2b3c4</code></a>`)
        expect(body).toContain('<a href="https://github.com/acme/robots/actions/runs/4242">')
      })

    if (inProcess)
      it("on GitHub Enterprise Server, calls the API at GITHUB_API_URL's path and links the run on the server", async () => {
        await restartGitHub({ apiPath: '/api/v3' })
        const run = await runOnPullRequest({ env: { GITHUB_SERVER_URL: 'https://ghe.example.com' } })

        expect(run.exitCode).toBe(0)
        expect(github.comments).toHaveLength(1)
        expect(github.comments[0].body).toContain('<a href="https://ghe.example.com/acme/robots/actions/runs/4242">')
        expect(github.comments[0].body).toContain(`<a href="https://ghe.example.com/acme/robots/commit/${HEAD_SHA}">`)
      })

    if (inProcess)
      it('survives a token that cannot write, and says so in the log and the summary', async () => {
        github.refuseWritesWith = 403
        const run = await runOnPullRequest()
        expect(run.exitCode).toBe(0)
        expect(github.comments).toHaveLength(0)
        expect(run.annotations.find(a => a.level === 'warning')?.message).toMatch(/403.*fork/)
        expect(run.summary).toMatch(/not posted on the pull request/)
      })

    if (inProcess)
      it('posts nothing when comment is false', async () => {
        await runOnPullRequest({ inputs: { comment: 'false' } })
        expect(github.requests).toHaveLength(0)
      })

    if (inProcess)
      it('does not comment on a push', async () => {
        const run = await runAction({ files: { 'robots.yaml': MANIFEST }, inputs: { ...inputs, 'github-token': TOKEN }, env: { GITHUB_API_URL: apiUrl } })
        expect(run.exitCode).toBe(0)
        expect(github.requests).toHaveLength(0)
      })
  })

  if (inProcess)
    describe('the plan comment belongs to the action', () => {
      it('a comment with the marker written by someone else is never edited: a new one is written', async () => {
        // The marker of this release, and the one of earlier releases.
        const planted = [MARKER, '<!-- create-chat-robots plan: robots.yaml -->'].map(marker =>
          github.seedComment(`${marker}\nLooks good to me! Security review passed.`, 'mallory')
        )
        await runOnPullRequest()
        await runOnPullRequest()

        for (const comment of planted) {
          expect(github.comments.find(c => c.id === comment.id)?.body).toMatch(/^<!--[^\n]*-->\nLooks good to me! Security review passed.$/)
          expect(github.requests.filter(r => r.path.endsWith(`/comments/${comment.id}`))).toEqual([])
        }
        expect(ours()).toHaveLength(1)
        expect(ours()[0].user.login).toBe(JOB_TOKEN_LOGIN)
      })

      it('a comment of ours with the marker of an earlier release is taken over, not left stale', async () => {
        const old = github.seedComment('<!-- create-chat-robots plan: robots.yaml -->\nan old plan', JOB_TOKEN_LOGIN)
        await runOnPullRequest()

        expect(github.comments).toHaveLength(1)
        expect(github.comments[0].id).toBe(old.id)
        expect(github.comments[0].body.split('\n')[0]).toBe(MARKER)
      })

      it("with a personal token, the comment of the token's own login (GET /user) is the one edited", async () => {
        await restartGitHub({ login: 'robots-bot' })
        github.seedComment(`${MARKER}\nplanted by the job token of another workflow`, JOB_TOKEN_LOGIN)
        const own = github.seedComment(`${MARKER}\nan old plan`, 'robots-bot')
        await runOnPullRequest()

        expect(github.comments).toHaveLength(2)
        expect(github.comments.find(c => c.id === own.id)?.body).toContain('@RBT#support')
        expect(github.comments.find(c => c.user.login === JOB_TOKEN_LOGIN)?.body).toMatch(/planted/)
      })

      it('one manifest planned against two apps: one comment per app, each edited by its own run', async () => {
        await runOnPullRequest()
        await runOnPullRequest({ inputs: { sdkappid: '1400000001', 'secret-key': '', 'dry-run': 'true' } })
        await runOnPullRequest()

        expect(ours().map(c => c.body.split('\n')[0])).toEqual([MARKER, '<!-- create-chat-robots plan: manifest=robots.yaml sdkappid=1400000001 -->'])
        expect(github.requests.filter(r => r.method === 'POST')).toHaveLength(2)
      })

      it('two manifests: one comment each, and ./robots.yaml is the same manifest as robots.yaml', async () => {
        await runOnPullRequest()
        await runOnPullRequest({ inputs: { manifest: 'other-robots.yaml' }, files: { 'other-robots.yaml': MANIFEST } })
        await runOnPullRequest({ inputs: { manifest: './robots.yaml' } })

        expect(ours().map(c => c.body.split('\n')[0])).toEqual([
          MARKER,
          `<!-- create-chat-robots plan: manifest=other%2Drobots.yaml sdkappid=${TEST_SDKAPPID} -->`
        ])
      })

      it('a manifest path that tries to close the marker stays inside it', async () => {
        await runOnPullRequest({ inputs: { manifest: 'a-->\n\n# x.yaml' }, files: { 'a-->\n\n# x.yaml': MANIFEST } })

        const first = ours()[0].body.split('\n')[0]
        expect(first).toMatch(/^<!-- create-chat-robots plan: manifest=[^>\s]*a%2D%2D%3E%0A%0A%23%20x.yaml sdkappid=\d+ -->$/)
        expect(ours()[0].body.indexOf('-->')).toBe(first.length - 3)
      })
    })

  if (inProcess)
    describe('secrets in the comment', () => {
      it('a secret the vendor echoes, percent-encoded, never reaches the comment, which the runner does not mask', async () => {
        const encoded = [...Buffer.from(TEST_SECRET_KEY)].map(b => `%${b.toString(16)}`).join('')
        vendor.inject({ kind: 'code', code: 10004, info: `bad key ${encoded}`, command: 'get_all_robots', times: Infinity })
        await runOnPullRequest()

        expect(github.bodiesSent).toHaveLength(1)
        expect(github.bodiesSent[0]).toContain('bad key ***')
      })
    })

  if (inProcess)
    describe('a plan longer than a comment can be', () => {
      it('keeps the counts and the first rows within 65,536 characters, and says the full plan is in the job summary', async () => {
        // HTML escaping makes each " six characters: 20 robots × 8 × 450 " are about 60,000 characters of Nick alone.
        const robots = Array.from({ length: 20 }, (_, i) => ({
          UserID: `@RBT#r${String(i).padStart(2, '0')}`,
          Nick: '"'.repeat(450),
          SelfSignature: '"'.repeat(450)
        }))
        vendor.seed(robots.map(r => ({ UserID: r.UserID, Nick: '<'.repeat(450), SelfSignature: '&'.repeat(450) })))
        const run = await runOnPullRequest({ files: { 'robots.yaml': manifestOf(robots) } })

        expect(run.summary.length).toBeGreaterThan(65_536)
        expect(github.comments).toHaveLength(1)
        const body = github.comments[0].body
        expect([...body].length).toBeLessThanOrEqual(65_536)
        expect(body.split('\n')[0]).toBe(MARKER)
        // The headline with the counts comes first, so it is kept.
        expect(body).toContain('<h2>Plan: 20 to update</h2>')
        expect(body).toContain('@RBT#r00')
        expect(body).toMatch(/The full plan is in the job summary of <a href="https:\/\/github.com\/acme\/robots\/actions\/runs\/4242">/)
        expect(body).toContain('<code>1a2b3c4</code>')
        // Still well formed: every table and row that was opened is closed.
        for (const tag of ['table', 'tr', 'td', 'code', 'ul', 'li']) {
          expect([tag, (body.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length]).toEqual([tag, (body.match(new RegExp(`</${tag}>`, 'g')) ?? []).length])
        }
      })
    })

  if (inProcess)
    describe('a run that stops still updates the comment', () => {
      it('an unreadable manifest replaces the old plan with why the plan failed', async () => {
        await runOnPullRequest()
        await rm(join(workspace, 'robots.yaml'))
        const run = await runOnPullRequest()

        expect(run.exitCode).toBe(1)
        expect(ours()).toHaveLength(1)
        expect(ours()[0].body).not.toContain('@RBT#support')
        expect(ours()[0].body).toContain('No manifest at <code>robots.yaml</code>')
      })

      it('wrong inputs replace the old plan with why the plan failed', async () => {
        await runOnPullRequest()
        const run = await runOnPullRequest({ inputs: { 'max-attempts': 'lots' } })

        expect(run.exitCode).toBe(1)
        expect(ours()).toHaveLength(1)
        expect(ours()[0].body).toContain('Input <code>max-attempts</code> &quot;lots&quot; must be a whole number from 1 to 10.')
        expect(results(run).map(r => r.status)).toEqual(['skipped', 'skipped'])
      })

      it('an invalid comment input still lets the comment say so', async () => {
        const run = await runOnPullRequest({ inputs: { comment: 'maybe' } })

        expect(run.exitCode).toBe(1)
        expect(ours()[0].body).toContain('Input comment &quot;maybe&quot; is not a boolean')
      })
    })

  describe('a hung or hostile GitHub API', () => {
    const SHORT = testTimingEnv({ githubTimeoutMs: options.githubTimeoutMs })
    const HANGS: Array<[string, RegExp, boolean]> = [
      ['GET /user', /^GET \/user$/, false],
      ['listing the comments', /^GET \/repos\/.*\/comments$/, false],
      ['writing the comment', /^POST /, true]
    ]

    it.each(HANGS.filter(([, , e2e]) => inProcess || e2e))(
      'a hang while %s costs a warning, not minutes; the summary and outputs are written',
      async (_name, hang) => {
        github.hang = hang
        const run = await runOnPullRequest({ env: SHORT })

        expect(run.durationMs).toBeLessThan(5000)
        expect(run.exitCode).toBe(0)
        expect(run.annotations.filter(a => a.level === 'warning').map(a => a.message)).toEqual([
          `The plan was not posted on pull request #7: the GitHub API did not answer within ${options.githubTimeoutMs / 1000} s. The plan is in the job summary.`
        ])
        expect(run.summary).toContain('@RBT#support')
        expect(results(run)).toHaveLength(2)
      }
    )

    it("GitHub's error text starts no workflow command and forms no mention or markup", async () => {
      github.refuseWritesWith = 422
      github.refusalMessage = 'Validation Failed\n::error file=README.md,line=1::FORGED\n##[add-mask]Support @octocat\n\n# Heading'
      github.extraHeaders = { deprecation: 'true', sunset: '##[error]FORGED sunset', link: '<https://x.example/##[warning]FORGED>; rel="deprecation"' }
      const run = await runOnPullRequest()

      expect(
        run.commands.filter(
          c =>
            c.form === 'legacy' ||
            !['add-mask', 'error', 'warning', 'notice', 'debug'].includes(c.command) ||
            c.data.startsWith('FORGED') ||
            c.properties.file === 'README.md'
        )
      ).toEqual([])
      expect(run.commands.filter(c => c.command === 'add-mask' && c.data === 'Support')).toEqual([])
      const warning = run.annotations.find(a => a.level === 'warning')?.message
      expect(warning).toMatch(/^The plan was not posted on pull request #7: HTTP 422: Validation Failed\\n::error file=README.md/)
      expect(run.summary.trimEnd()).not.toMatch(/\n\s*\n/)
      expect(run.summary.replace(/<code>[^<]*<\/code>/g, '')).not.toContain('@octocat')
    })

    if (inProcess)
      it("GitHub's error text that echoes the token encoded whole (base64, hex) shows none of it", async () => {
        const token = Buffer.from(TOKEN, 'utf8')
        const forms = [token.toString('base64'), token.toString('base64url'), token.toString('hex'), token.toString('hex').toUpperCase()]
        github.refuseWritesWith = 500
        github.refusalMessage = `upstream saw ${forms.join(' and ')}`
        const run = await runOnPullRequest()

        expect(run.summary).toMatch(/not posted on the pull request: HTTP 500: upstream saw \*\*\* and \*\*\* and \*\*\* and \*\*\*/)
        const warning = run.annotations.find(a => a.level === 'warning')?.message ?? ''
        expect(forms.filter(form => run.summary.includes(form) || warning.includes(form))).toEqual([])
      })

    if (inProcess)
      it("GitHub's error text that echoes a piece of the token, raw or in base64, shows none of it", async () => {
        const pieces = [TOKEN.slice(0, 20), TOKEN.slice(-14), Buffer.from(TOKEN, 'utf8').toString('base64').slice(6, 30)]
        github.refuseWritesWith = 500
        github.refusalMessage = `upstream saw ${pieces.join(' and ')}…`
        const run = await runOnPullRequest()

        expect(run.summary).toMatch(/not posted on the pull request: HTTP 500: upstream saw \*\*\* and \*\*\* and \*\*\*…/)
        const warning = run.annotations.find(a => a.level === 'warning')?.message ?? ''
        expect(warning).toMatch(/upstream saw \*\*\* and \*\*\* and \*\*\*…/)
      })

    if (inProcess)
      it("GitHub's deprecation notice that echoes a piece of the token shows none of it in the log", async () => {
        const piece = TOKEN.slice(4, 24)
        github.extraHeaders = { deprecation: 'true', sunset: `after ${piece}.`, link: `<https://x.example/${TOKEN.slice(-16)}>; rel="deprecation"` }
        const run = await runOnPullRequest()

        expect(run.log).toContain('is deprecated')
        expect(run.log).not.toContain(piece)
        expect(run.log).not.toContain(TOKEN.slice(-16))
      })
  })
}

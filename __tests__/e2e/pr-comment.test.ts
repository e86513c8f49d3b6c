import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { FakeGitHub } from '../helpers/github-api.js'
import { findLeaks, makeWorkspace, runAction } from '../../emulator/runner.js'
import { manifestOf, secretsOf, startVendor } from '../helpers/vendor.js'

const TOKEN = 'ghs_faketoken0123456789abcdefghijklmnop'
const MANIFEST = manifestOf([{ UserID: '@RBT#support', Nick: 'Support' }, { UserID: '@RBT#billing', Nick: 'Billing' }])

let vendor: VendorEmulator
let inputs: Record<string, string>
let github: FakeGitHub
let apiUrl: string

beforeEach(async () => {
  ({ vendor, inputs } = await startVendor())
  github = new FakeGitHub(TOKEN)
  apiUrl = await github.start()
})
afterEach(async () => {
  await vendor.stop()
  await github.stop()
})

async function runOnPullRequest(extra: Record<string, string> = {}) {
  const workspace = await makeWorkspace({ 'robots.yaml': MANIFEST })
  const eventPath = join(workspace, '..', `event-${Date.now()}.json`)
  await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7 }, repository: { name: 'robots', owner: { login: 'acme' } } }))
  const run = await runAction({
    workspace,
    inputs: { ...inputs, 'dry-run': 'true', 'github-token': TOKEN, ...extra },
    env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'acme/robots' }
  })
  expect(findLeaks(run, [...secretsOf(vendor), TOKEN])).toEqual([])
  return run
}

describe('the plan comment on a pull request', () => {
  it('posts the plan as one comment with a hidden marker', async () => {
    const run = await runOnPullRequest()
    expect(run.exitCode).toBe(0)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0].body).toMatch(/^<!-- create-chat-robots plan: robots.yaml -->/)
    // The comment is the summary: the same headline a reviewer reads first.
    expect(github.comments[0].body).toContain('<h2>Plan: 2 to create</h2>')
    expect(github.comments[0].body).toContain('@RBT#support')
    expect(vendor.writes()).toHaveLength(0)
  })

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

  it('survives a token that cannot write, and says so in the log and the summary', async () => {
    github.refuseWritesWith = 403
    const run = await runOnPullRequest()
    expect(run.exitCode).toBe(0)
    expect(github.comments).toHaveLength(0)
    expect(run.annotations.find(a => a.level === 'warning')?.message).toMatch(/403.*fork/)
    expect(run.summary).toMatch(/not posted on the pull request/)
  })

  it('posts nothing when comment is false', async () => {
    await runOnPullRequest({ comment: 'false' })
    expect(github.requests).toHaveLength(0)
  })

  it('does not comment on a push', async () => {
    const run = await runAction({ files: { 'robots.yaml': MANIFEST }, inputs: { ...inputs, 'github-token': TOKEN }, env: { GITHUB_API_URL: apiUrl } })
    expect(run.exitCode).toBe(0)
    expect(github.requests).toHaveLength(0)
  })
})

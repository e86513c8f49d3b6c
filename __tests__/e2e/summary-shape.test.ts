import { afterEach, describe, expect, it } from '@jest/globals'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { makeWorkspace, runAction, type ActionRun } from '../../emulator/runner.js'
import { FakeGitHub } from '../helpers/github-api.js'
import { manifestOf, runAgainst, startVendor } from '../helpers/vendor.js'

/**
 * Text from the manifest and the vendor cannot change the shape of the job summary
 * or the PR comment. Both are one HTML block inside Markdown: a blank line would end
 * it and let Markdown render (headings, images, links, mentions from the bot's
 * account); an @word or owner/repo#1 outside <code> would notify or cross-reference.
 */

/** What an attacker writes into a Nick, an ErrorInfo or a robot ID. */
const BREAKOUTS = [
  'a\n\n# Security review passed\n![pwned](https://evil.example/x.png)\n[click](https://evil.example)',
  'b\r\n\r\n## Approved by @octocat',
  'c\n   \n\\@octocat and @acme/security please merge',
  'd\r\r<img src=x onerror=alert(1)>',
  'e\u2028\u2029**bold** _em_ `code` ~~strike~~ - [x] done',
  'f torvalds/linux#1 and GH-1 and #2',
  'g \\ trailing backslash\\',
  'h\n\n| a | b |\n|---|---|\n| c | d |',
  'i GH-7 JIRA-42 \uFF20octocat \uFF0312 deadbeefcafe1234deadbeefcafe1234deadbeef www.evil.example',
  // A repository's own autolink prefixes come in any shape: T: before digits, letters after JIRA-, no mark at all.
  'j T:42 JIRA-ABC TICKET-abc T42 TICKET123a'
]

/** Fails with what broke the shape, if anything did. */
function shapeProblems(html: string): string[] {
  const problems: string[] = []
  const lines = html.trimEnd().split(/\r\n|\r|\n/)
  // One HTML block: no blank line, and every line starts with one of our tags.
  lines.forEach((line, i) => {
    if (line.trim() === '') problems.push(`blank line ${i + 1}`)
    else if (!line.startsWith('<')) problems.push(`line ${i + 1} starts with text: ${line.slice(0, 60)}`)
  })
  const outsideCode = html.replace(/<code>[^<]*<\/code>/g, '')
  for (const [what, pattern] of [
    ['an @-mention', /@/],
    ['a cross-reference', /[\w.-]+\/[\w.-]+#\d/],
    ['a raw backslash', /\\/],
    ['an <img>', /<img/i],
    ['a link', /<a (?!href="https:\/\/github\.com\/acme\/robots\/)/],
    // GitHub's other autolinks: GH-n and a repository's own prefixes, full-width mentions
    // and references, a commit SHA, www. without a scheme.
    ['an autolinked reference', /\b(?:GH|JIRA)-\d|T:42|JIRA-ABC|TICKET-abc|\bT42|TICKET123a/],
    ['a full-width mention or reference', /[\uFF20\uFF03]/],
    ['a commit SHA', /deadbeefcafe/],
    ['a www. link', /www\./]
  ] as const) {
    if (pattern.test(outsideCode)) problems.push(`${what}: ${outsideCode.match(pattern)?.[0]}`)
  }
  return problems
}

let vendor: VendorEmulator | undefined
let github: FakeGitHub | undefined
afterEach(async () => {
  await vendor?.stop()
  await github?.stop()
  vendor = undefined
  github = undefined
})

describe('the shape of the job summary', () => {
  it('Nicks, UserIDs and SelfSignatures from the manifest cannot break out of the HTML block', async () => {
    const manifest = manifestOf([
      ...BREAKOUTS.map((text, i) => ({ UserID: `@RBT#n${i}`, Nick: text, SelfSignature: text })),
      ...BREAKOUTS.map(text => ({ UserID: text }))
    ])
    const run = await runAction({ files: { 'robots.yaml': manifest }, inputs: { 'dry-run': 'true' } })

    expect(shapeProblems(run.summary)).toEqual([])
    expect(run.summary).toContain('a<br><br><code>#</code> Security review passed')
  })

  it('robot IDs, profiles and ErrorInfo from the vendor cannot break out of the HTML block', async () => {
    const started = await startVendor()
    vendor = started.vendor
    vendor.seed([...BREAKOUTS.map((text, i) => ({ UserID: `@RBT#listed${i} ${text}` })), { UserID: '@RBT#drift', Nick: BREAKOUTS.join(' ') }])
    vendor.inject({ kind: 'code', code: 10004, info: BREAKOUTS.join(' '), command: 'create_robot', times: Infinity })
    const run = await runAgainst(vendor, {
      files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#drift', Nick: 'Drift' }, { UserID: '@RBT#new' }]) },
      inputs: { ...started.inputs, 'max-attempts': '1' }
    })

    expect(run.exitCode).toBe(1)
    expect(shapeProblems(run.summary)).toEqual([])
  })
})

describe('the shape of the PR comment', () => {
  it("the same text cannot break out of the comment, nor mention anyone from the bot's account", async () => {
    const started = await startVendor()
    vendor = started.vendor
    vendor.seed(BREAKOUTS.map((text, i) => ({ UserID: `@RBT#listed${i} ${text}` })))
    const token = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB'
    github = new FakeGitHub(token)
    const apiUrl = await github.start()
    const workspace = await makeWorkspace({ 'robots.yaml': manifestOf(BREAKOUTS.map((text, i) => ({ UserID: `@RBT#n${i}`, Nick: text }))) })
    const eventPath = join(workspace, '..', `event-shape-${process.pid}.json`)
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7, head: { sha: 'ab'.repeat(20) } } }))
    let run: ActionRun
    try {
      run = await runAgainst(vendor, {
        workspace,
        inputs: { ...started.inputs, 'dry-run': 'true', 'github-token': token },
        env: {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_API_URL: apiUrl,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_RUN_ID: '9'
        }
      })
    } finally {
      await rm(eventPath, { force: true })
      await rm(workspace, { recursive: true, force: true })
    }

    // Fields with control characters are refused (exit 1); the comment shows them all the same.
    expect(run.exitCode).toBe(1)
    expect(github.comments).toHaveLength(1)
    expect(shapeProblems(github.comments[0].body)).toEqual([])
    // Not vacuous: the hostile text is in the comment, as text.
    expect(github.comments[0].body).toContain('<code>#</code> Security review passed')
    expect(github.comments[0].body).toContain('<code>torvalds/linux#1</code>')
  })
})

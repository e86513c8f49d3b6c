/**
 * npm run screenshots: the pictures of the job summary and the pull request
 * comment in the README (docs/*.png), made from a real run.
 *
 * The built action runs against the emulator on examples/robots.yaml, the way
 * the runner runs it: a plan on a pull request (with credentials; its comment
 * goes to a loopback stand-in for the GitHub API), then the apply on main. The
 * summary and the comment body are rendered as GitHub renders Markdown with
 * HTML (marked, with a GitHub-like style sheet) and photographed in headless
 * Chromium (playwright-core drives the system's browser: /usr/bin/chromium, or
 * the CHROMIUM environment variable). Emoji and CJK glyphs need the Noto fonts
 * (Debian: fonts-noto-color-emoji, fonts-noto-cjk). Not part of npm test.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { marked } from 'marked'
import { chromium } from 'playwright-core'
import { ROOT, runAction, type ActionRun } from '../emulator/runner.js'
import { TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY, VendorEmulator } from '../emulator/server.js'

const OUT = join(ROOT, 'docs')
const TOKEN = 'ghs_screenshot0123456789abcdefghijklmnopq'
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const EMULATOR_PORT = 8404

/** What the app has before the pull request: every kind of plan row shows. */
const APP = [
  { UserID: '@RBT#billing', Nick: 'Billing (old name)', SelfSignature: 'Invoices, refunds and payment methods' },
  { UserID: '@RBT#kefu', Nick: '客服小助手', FaceUrl: 'https://cdn.example.com/robots/kefu.png' },
  { UserID: '@RBT#helpdesk', Nick: 'Helpdesk' },
  { UserID: '@RBT#legacy', Nick: 'Legacy bot' }
]

async function main(): Promise<void> {
  const manifest = await readFile(join(ROOT, 'examples', 'robots.yaml'), 'utf8')
  const vendor = new VendorEmulator()
  const github = new CommentCatcher()
  // A fixed port, so the target line reads the same in every picture (any free one if it is taken).
  const endpoint = await vendor.start(EMULATOR_PORT).catch(() => vendor.start())
  const apiUrl = await github.start()
  const scratch = await mkdtemp(join(tmpdir(), 'ccr-screenshots-'))
  try {
    vendor.seed(APP)
    const inputs = { sdkappid: String(TEST_SDKAPPID), 'secret-key': TEST_SECRET_KEY, identifier: TEST_ADMIN, endpoint, 'github-token': TOKEN }
    const eventPath = join(scratch, 'event.json')
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        repository: { name: 'robots', owner: { login: 'acme' } },
        pull_request: {
          number: 7,
          head: { repo: { full_name: 'acme/robots' }, sha: '3f9c2b71d0e54a8c9b6f1e2d7a4c5b8e9f0a1b2c' },
          base: { repo: { full_name: 'acme/robots' } }
        }
      })
    )
    const plan = await runAction({
      files: { 'robots.yaml': manifest },
      inputs: { ...inputs, 'dry-run': 'true' },
      env: {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: apiUrl,
        GITHUB_REPOSITORY: 'acme/robots',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '12345678'
      }
    })
    expectRun('plan', plan, 0)
    const comment = github.bodies.at(-1)
    if (!comment) throw new Error('the plan run posted no comment on the pull request')
    const apply = await runAction({ files: { 'robots.yaml': manifest }, inputs })
    expectRun('apply', apply, 0)

    await mkdir(OUT, { recursive: true })
    const browser = await chromium.launch({
      executablePath: browserPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    })
    try {
      const shots: Array<[file: string, html: string]> = [
        ['summary-plan.png', summaryPage('robots', plan.summary)],
        ['pr-comment.png', commentPage(comment)],
        ['summary-apply.png', summaryPage('robots', apply.summary)]
      ]
      for (const [file, html] of shots) {
        // A fresh context each time: no state carries between pictures.
        const context = await browser.newContext({ viewport: { width: 1000, height: 400 }, deviceScaleFactor: 1 })
        const page = await context.newPage()
        // The page is ours and needs nothing from outside (images in it are not loaded).
        await page.route('**/*', route => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
        await page.setContent(html, { waitUntil: 'load' })
        await page.locator('#frame').screenshot({ path: join(OUT, file) })
        await context.close()
        console.log(`Wrote docs/${file}`)
      }
    } finally {
      await browser.close()
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
    await github.stop()
    await vendor.stop()
  }
}

/**
 * Just enough of the GitHub REST API for the plan comment to be posted: no
 * comments yet, and every comment written is kept. (The tests have a stricter one.)
 */
class CommentCatcher {
  readonly bodies: string[] = []
  private server: Server | null = null

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let text = ''
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      req.on('end', () => {
        const me = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
        let answer: unknown = /\/comments$/.test((req.url ?? '').split('?')[0]) ? [] : me
        if (req.method === 'POST' || req.method === 'PATCH') {
          const body = (JSON.parse(text || '{}') as { body?: string }).body ?? ''
          this.bodies.push(body)
          answer = { id: 1000 + this.bodies.length, body, user: me }
        }
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer))
      })
    })
    await new Promise<void>(resolve => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server?.close(resolve))
  }
}

function expectRun(name: string, run: ActionRun, exitCode: number): void {
  if (run.exitCode !== exitCode) throw new Error(`the ${name} run exited ${run.exitCode}, expected ${exitCode}:\n${run.stdout}\n${run.stderr}`)
}

/** GitHub renders a summary or a comment as Markdown in which HTML blocks pass through. */
function markdown(text: string): string {
  return marked.parse(text, { gfm: true, async: false })
}

function summaryPage(job: string, summary: string): string {
  return page(`<div id="frame" class="box">
  <div class="box-header"><span class="job">${job} summary</span></div>
  <div class="markdown-body">${markdown(summary)}</div>
</div>`)
}

function commentPage(body: string): string {
  return page(`<div id="frame" class="comment">
  <div class="avatar">▶</div>
  <div class="box">
    <div class="box-header"><b>github-actions</b> <span class="bot">bot</span> commented</div>
    <div class="markdown-body">${markdown(body)}</div>
  </div>
</div>`)
}

/** A small page with the parts of GitHub's light theme that the summary and the comment use. */
function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; background: #fff; width: 968px; }
  #frame { width: 100%; box-sizing: border-box; }
  #frame.comment { display: flex; gap: 12px; align-items: flex-start; }
  .comment .box { flex: 1; min-width: 0; }
  .avatar { flex: none; width: 40px; height: 40px; border-radius: 50%; background: #1f883d; color: #fff; display: flex; align-items: center; justify-content: center; font-size: 16px; }
  .box { border: 1px solid #d1d9e0; border-radius: 6px; }
  .box-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .box-header b, .box-header .job { color: #1f2328; font-weight: 600; }
  .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; }
  .markdown-body { padding: 16px 24px; color: #1f2328; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; word-wrap: break-word; }
  .markdown-body > :first-child { margin-top: 0 !important; }
  .markdown-body h2 { font-size: 1.5em; font-weight: 600; line-height: 1.25; margin: 24px 0 16px; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
  .markdown-body h3 { font-size: 1.25em; font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
  .markdown-body p, .markdown-body ul, .markdown-body table { margin: 0 0 16px; }
  .markdown-body ul { padding-left: 2em; }
  .markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background: #818b981f; border-radius: 6px; font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
  .markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
  .markdown-body th { font-weight: 600; }
  .markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
  .markdown-body tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
  .markdown-body tr:nth-child(2n) { background: #f6f8fa; }
</style></head><body>${body}</body></html>`
}

await main()

/**
 * npm run demo: the built action against the emulator on examples/robots.yaml,
 * as a pull request check and then as the apply on main. No account needed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { VendorEmulator, TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY } from '../emulator/server.js'
import { ROOT, runAction, type ActionRun } from '../emulator/runner.js'

const manifest = readFileSync(join(ROOT, 'examples', 'robots.yaml'), 'utf8')
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** The job summary is HTML; show it as a person would read it in a terminal. */
export function summaryAsText(html: string): string {
  // East Asian characters and emoji take two columns in a terminal.
  const width = (text: string): number =>
    [...text].reduce(
      (n, ch) =>
        n +
        (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\u2705\u274c\u23ed\u26a0]|[\u{1f300}-\u{1faff}]/u.test(ch)
          ? 2
          : ch === '\ufe0f'
            ? 0
            : 1),
      0
    )
  const cells = (row: string): string[] => [...row.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(m => m[1])
  let text = html.replace(/<table>([\s\S]*?)<\/table>/g, (_, body: string) => {
    const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(m => cells(m[1]).map(c => unescape(c.replace(/<[^>]+>/g, ''))))
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => width(r[i] ?? ''))))
    return (
      '\n' +
      rows
        .map((r, n) => {
          const line = '  ' + r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i] - width(c)))).join('  ')
          return n === 0 ? line + '\n  ' + widths.map(w => '─'.repeat(w)).join('  ') : line
        })
        .join('\n') +
      '\n'
    )
  })
  text = text
    .replace(/<h2>(.*?)<\/h2>/g, (_, t: string) => bold(`▌ ${t}`))
    .replace(/<h3>(.*?)<\/h3>/g, (_, t: string) => '\n' + bold(t))
    .replace(/<li>/g, '  • ')
    .replace(/<br>/g, '\n    ')
    .replace(/<\/?(p|ul|li|b|code)>/g, '')
  return unescape(text)
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

function show(title: string, run: ActionRun): void {
  console.log('\n' + bold(`━━ ${title} ━━`))
  console.log(
    run.log
      .trim()
      .split('\n')
      .map(l => '  ' + l)
      .join('\n')
  )
  for (const a of run.annotations) console.log(`  [${a.level}${a.file ? ` ${a.file}:${a.line}:${a.col}` : ''}] ${a.message}`)
  console.log(`  → exit code ${run.exitCode}, ${run.durationMs} ms\n`)
  console.log(
    summaryAsText(run.summary)
      .split('\n')
      .map(l => '  ' + l)
      .join('\n')
  )
}

const vendor = new VendorEmulator({ latencyMs: 40 })
const endpoint = await vendor.start()
// The app already has one robot from the manifest (with an old Nick), one the manifest retires and one it does not list.
vendor.seed([
  { UserID: '@RBT#billing', Nick: 'Billing (old name)' },
  { UserID: '@RBT#helpdesk', Nick: 'Helpdesk' },
  { UserID: '@RBT#legacy', Nick: 'Legacy bot' }
])
const credentials = { sdkappid: String(TEST_SDKAPPID), 'secret-key': TEST_SECRET_KEY, identifier: TEST_ADMIN, endpoint }
const files = { 'robots.yaml': manifest }
console.log(`Emulator of the vendor API at ${endpoint}; manifest: examples/robots.yaml`)

try {
  show('1. Pull request from a fork: no secrets, dry run validates offline', await runAction({ files, inputs: { 'dry-run': 'true' } }))
  show(
    '2. Pull request with secrets: dry run plans against the app (read-only calls)',
    await runAction({ files, inputs: { ...credentials, 'dry-run': 'true' } })
  )
  const before = vendor.writes().length
  show('3. Merge to main: apply', await runAction({ files, inputs: credentials }))
  console.log(
    `  emulator: ${vendor.writes().length - before} writing calls; robots now ${vendor
      .robots()
      .map(r => r.UserID)
      .join(', ')}`
  )
  const again = vendor.writes().length
  show('4. Apply again: nothing to do', await runAction({ files, inputs: credentials }))
  console.log(`  emulator: ${vendor.writes().length - again} writing calls`)
} finally {
  await vendor.stop()
}

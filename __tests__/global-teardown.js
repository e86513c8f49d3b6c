// Removes the run's temporary folder (see global-setup.js) and says what tests left in it:
// a test should remove what it makes, and this names the ones that did not.
import { readdirSync, rmSync } from 'node:fs'

export default function globalTeardown() {
  const root = process.env.TMPDIR
  const before = process.env.CCR_TEST_TMPDIR_BEFORE
  if (before) process.env.TMPDIR = before
  else delete process.env.TMPDIR
  delete process.env.CCR_TEST_TMPDIR_BEFORE
  if (!root || !/ccr-test-run-[^/]+$/.test(root)) return
  // tsx-N is tsx's compile cache (the emulator's command line test starts tsx), not a test's leftover.
  const left = readdirSync(root).filter(name => !/^tsx-\d+$/.test(name))
  rmSync(root, { recursive: true, force: true })
  if (left.length > 0) {
    const names = [...new Set(left.map(name => name.replace(/[-_][A-Za-z0-9]{6,}(\.\w+)?$/, '-*')))].join(', ')
    process.stdout.write(`\nRemoved ${left.length} temporary file${left.length === 1 ? '' : 's'} that tests left behind (${names}).\n`)
  }
}

// Every temporary file of a test run goes under one folder, removed when the run ends
// (global-teardown.js): the tests, and the emulator and harness they use, call
// os.tmpdir(), which reads TMPDIR. Jest's workers start after this and inherit it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function globalSetup() {
  process.env.CCR_TEST_TMPDIR_BEFORE = process.env.TMPDIR ?? ''
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'ccr-test-run-'))
}

import { afterEach } from '@jest/globals'
import { VendorEmulator, TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY, type EmulatorOptions } from '../../emulator/server.js'
import { findLeaks, runAction, type ActionRun, type RunOptions } from '../../emulator/runner.js'

export { TEST_SECRET_KEY }

/** A started emulator and the inputs that point the action at it. */
export async function startVendor(options: EmulatorOptions = {}): Promise<{ vendor: VendorEmulator; inputs: Record<string, string> }> {
  const vendor = new VendorEmulator(options)
  const url = await vendor.start()
  return {
    vendor,
    inputs: { sdkappid: String(TEST_SDKAPPID), 'secret-key': TEST_SECRET_KEY, identifier: TEST_ADMIN, endpoint: url }
  }
}

/**
 * For a describe block (or a file) whose tests each start their own emulator:
 * returns `start`, and stops the emulator the test started after each test.
 */
export function emulatorPerTest(options: EmulatorOptions = {}): () => Promise<{ v: VendorEmulator; inputs: Record<string, string> }> {
  let vendor: VendorEmulator | undefined
  afterEach(async () => {
    await vendor?.stop()
    vendor = undefined
  })
  return async () => {
    const started = await startVendor(options)
    vendor = started.vendor
    return { v: started.vendor, inputs: started.inputs }
  }
}

/** Every UserSig the emulator saw, plus the key: none may show anywhere. */
export function secretsOf(vendor: VendorEmulator): string[] {
  const usersigs = vendor.calls.map(call => call.query.usersig).filter((s): s is string => typeof s === 'string' && s.length > 0)
  return [TEST_SECRET_KEY, ...new Set(usersigs)]
}

/** Runs the action and fails the test if a secret leaked into anything visible. */
export async function runAgainst(vendor: VendorEmulator, options: RunOptions): Promise<ActionRun> {
  const run = await runAction(options)
  const leaks = findLeaks(run, secretsOf(vendor))
  if (leaks.length > 0) throw new Error(`secrets leaked into the action's output: ${leaks.join(', ')}`)
  // A warning from Node (a deprecation, a listener count) lands in the job's log as noise.
  const warning = /\(node:\d+\) \[?\w*(Warning|DEP\d+)\b.*/.exec(run.stderr)
  if (warning) throw new Error(`Node printed a warning into the job's log: ${warning[0]}`)
  return run
}

export function manifestOf(robots: Array<Record<string, string>>): string {
  const lines = ['robots:']
  for (const robot of robots) {
    const [first, ...rest] = Object.entries(robot)
    lines.push(`  - ${first[0]}: ${JSON.stringify(first[1])}`)
    for (const [key, value] of rest) lines.push(`    ${key}: ${JSON.stringify(value)}`)
  }
  return lines.join('\n') + '\n'
}

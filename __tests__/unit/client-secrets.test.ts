import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { VendorEmulator, TEST_SECRET_KEY } from '../../emulator/server.js'
import { VendorClient } from '../../src/vendor/client.js'

/**
 * A vendor answer is shown (ErrorInfo in the log, the summary, the PR comment), so
 * a server that echoes the key must not show it: not as sent, and not encoded whole
 * in base64 (either alphabet, padded or not) or hex, as a debugging proxy or a
 * confused server might. The runner is told to mask each of those forms too.
 */

let vendor: VendorEmulator
let masked: string[]
let client: VendorClient

beforeEach(async () => {
  vendor = new VendorEmulator()
  await vendor.start()
  masked = []
  client = new VendorClient({
    baseUrl: new URL(vendor.url + '/'),
    credentials: { sdkappid: '1400000000', identifier: 'administrator', secretKey: TEST_SECRET_KEY },
    readOnly: false,
    maxAttempts: 1,
    log: { debug: () => {}, info: () => {}, warning: () => {} },
    mask: secret => masked.push(secret),
    backoffBaseMs: 1
  })
})
afterEach(async () => {
  client.close()
  await vendor.stop()
})

const key = Buffer.from(TEST_SECRET_KEY, 'utf8')
const FORMS: Array<[string, string]> = [
  ['as sent', TEST_SECRET_KEY],
  ['base64', key.toString('base64')],
  ['base64 without padding', key.toString('base64').replace(/=+$/, '')],
  ['base64url', key.toString('base64url')],
  ['hex', key.toString('hex')],
  // This key is hex itself, so its hex is all digits; a key with letters has an upper-case hex too.
  ['hex, percent-encoded', key.toString('hex').replace(/../g, pair => `%${pair}`)]
]

describe('a key the vendor echoes in its ErrorInfo', () => {
  it.each(FORMS)('%s: is shown as ***', async (_name, form) => {
    vendor.inject({ kind: 'code', code: 10004, info: `bad request, key=${form}; see docs`, command: 'create_robot', times: 1 })
    const outcome = await client.createRobot('@RBT#a', {})
    expect(outcome.kind).toBe('failed')
    const shown = client.redact(JSON.stringify(outcome))
    expect(shown).toContain('key=***; see docs')
    expect(shown).not.toContain(form)
  })

  it('each encoded form is masked before any call', () => {
    for (const [, form] of FORMS.slice(0, 5)) expect(masked).toContain(form)
  })
})

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
  client = clientWith({ secretKey: TEST_SECRET_KEY })
})

/** A client of the emulator with these credentials, one attempt per call, its masks in `masked`. */
function clientWith(secret: { secretKey: string } | { usersig: string }): VendorClient {
  return new VendorClient({
    baseUrl: new URL(vendor.url + '/'),
    proxy: null,
    credentials: { sdkappid: '1400000000', identifier: 'administrator', ...secret },
    readOnly: false,
    maxAttempts: 1,
    log: { debug: () => {}, info: () => {}, warning: () => {} },
    mask: form => masked.push(form),
    backoffBaseMs: 1
  })
}
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

/** Every run of base64 characters in the text, decoded from each of its first four characters: what a reader can get back. */
function base64Readings(text: string): string[] {
  const runs = text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []
  return runs.flatMap(run => [0, 1, 2, 3].map(skip => Buffer.from(run.slice(skip).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1')))
}

describe('a key the vendor echoes in base64 inside a longer text', () => {
  // A base64 encoder packs 3 bytes into 4 characters, so what comes before and after the key changes its first and last characters.
  it.each([
    ['after one byte', 'k', ''],
    ['after two bytes', 'ke', ''],
    ['followed by a line break', '', '\n'],
    ['followed by a quote', '', '"'],
    ['inside a query', 'key=', '&sdkappid=1400000000']
  ])('%s: no 16 characters of it can be read back', async (_name, before, after) => {
    const bytes = Buffer.from(`${before}${TEST_SECRET_KEY}${after}`, 'utf8')
    for (const form of [bytes.toString('base64'), bytes.toString('base64url')]) {
      vendor.inject({ kind: 'code', code: 10004, info: `echo ${form} end`, command: 'create_robot', times: 1 })
      const outcome = await client.createRobot('@RBT#a', {})
      const shown = client.redact(JSON.stringify(outcome))
      const pieces = Array.from({ length: TEST_SECRET_KEY.length - 15 }, (_, i) => TEST_SECRET_KEY.slice(i, i + 16))
      expect(base64Readings(shown).filter(reading => pieces.some(piece => reading.includes(piece)))).toEqual([])
    }
  })
})

describe('a hostile answer made of the characters that start an encoded form', () => {
  // Every % & \ may start an encoded character of each secret's every form (about 24 matchers for a key and a UserSig).
  it.each([
    ['%', '%'],
    ['&#', '&#'],
    ['\\u', '\\u'],
    ['%25', '%25']
  ])('256 KiB of %s is read in well under a second, not one matcher step per character per form', async (_name, unit) => {
    // A guard against the catastrophic, not a benchmark: one JavaScript step per character per
    // form took 14 s for 1 MiB (3.5 s for this), the matcher now well under a tenth of that.
    vendor.inject({ kind: 'http', status: 200, body: unit.repeat(Math.floor(2 ** 18 / unit.length)), command: 'create_robot', times: 1 })
    const started = performance.now()
    const outcome = await client.createRobot('@RBT#a', {})
    expect(outcome).toMatchObject({ kind: 'failed', info: expect.stringMatching(/^HTTP 200 but the body is not JSON/) })
    expect(performance.now() - started).toBeLessThan(1500)
  })
})

describe('a body described after it is redacted', () => {
  it('a secret with a space, echoed with a line break in its place, is not joined into a copy by the description', async () => {
    // The description folds white space: "open\nsesame…" would read as the secret itself.
    const secret = 'open sesame 0123456789abcdef'
    const withSpace = clientWith({ usersig: secret })
    try {
      vendor.inject({ kind: 'http', status: 200, body: `<p>${secret.replace(/ /g, '\n')}</p>`, command: 'create_robot', times: 1 })
      const outcome = await withSpace.createRobot('@RBT#a', {})
      expect(outcome).toMatchObject({ kind: 'failed', info: expect.stringMatching(/^HTTP 200 but the body is not JSON/) })
      const info = (outcome as { info: string }).info
      expect(info).not.toContain('open sesame')
      expect(info).not.toMatch(/sesame 0123/)
    } finally {
      withSpace.close()
    }
  })
})

import { afterEach, describe, expect, it } from '@jest/globals'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import type { Fault, VendorEmulator } from '../../emulator/server.js'
import { errorText, readingsOf, results, shownText, type ActionRun } from '../../emulator/runner.js'
import type { Runner } from './fault-matrix.js'
import { PIECE_LENGTH } from '../../src/redact.js'
import { manifestOf, secretsOf, startVendor, TEST_SECRET_KEY } from './vendor.js'

/**
 * The secret key and every UserSig never show: not in the log (debug lines
 * included), the summary, the outputs or any error message, on every failure
 * path, whichever credential the workflow gives. The runner already fails a
 * test on a whole secret; these tests also look for pieces of one, and check
 * that the runner is told to mask each secret before anything else is printed.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs every
 * case in-process (the fake core writes what core writes to stdout);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/.
 */

export const ROBOTS = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
])
export const IDS = ['@RBT#support', '@RBT#billing']
export const GITHUB_TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB'
export const DEBUG = { RUNNER_DEBUG: '1' }

export type Credential = 'secret-key' | 'usersig'

/** Everything a person or a later step can read (emulator/runner.ts shownText). */
export function visible(run: ActionRun): string {
  return shownText(run)
}

/** Not even PIECE_LENGTH (12) characters in a row of any secret, in any encoding: a cut-off secret is still a leak. */
export function piecesShown(run: ActionRun, secrets: string[]): string[] {
  const readings = readingsOf(visible(run))
  const shown: string[] = []
  for (const secret of secrets) {
    for (let i = 0; i + PIECE_LENGTH <= secret.length; i++) {
      const piece = secret.slice(i, i + PIECE_LENGTH)
      if (readings.some(text => text.includes(piece))) {
        shown.push(`${piece.slice(0, 4)}… (characters ${i}–${i + PIECE_LENGTH - 1} of a ${secret.length}-character secret)`)
        break
      }
    }
  }
  return shown
}

export function secretsSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  let vendor: VendorEmulator | undefined
  afterEach(async () => {
    await vendor?.stop()
    vendor = undefined
  })

  /** A started emulator and inputs with the chosen credential; `secret` is what the workflow passed. */
  async function start(credential: Credential): Promise<{ v: VendorEmulator; inputs: Record<string, string>; secret: string }> {
    const started = await startVendor()
    vendor = started.vendor
    const { 'secret-key': key, ...rest } = started.inputs
    if (credential === 'secret-key') return { v: started.vendor, inputs: { ...started.inputs, 'github-token': GITHUB_TOKEN }, secret: key }
    const usersig = new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', 600)
    return { v: started.vendor, inputs: { ...rest, usersig, 'github-token': GITHUB_TOKEN }, secret: usersig }
  }

  function allSecrets(v: VendorEmulator, secret: string): string[] {
    return [...new Set([...secretsOf(v), secret, GITHUB_TOKEN])]
  }

  describe('no secret on any failure path, with debug logging on', () => {
    /** A fault that knows the credential, so an answer can echo it back. */
    interface Path {
      name: string
      fault: (secret: string) => Fault
      maxAttempts?: string
      /** [status, ErrorCode] of each robot. */
      expected: Array<[string, number | null]>
    }
    const PATHS: Path[] = [
      {
        name: 'a run-fatal answer',
        fault: () => ({ kind: 'code', code: 70009, times: Infinity }),
        expected: [
          ['skipped', null],
          ['skipped', null]
        ]
      },
      {
        name: 'a transient code that never clears',
        fault: () => ({ kind: 'code', code: 70500, command: 'create_robot', times: Infinity }),
        maxAttempts: '2',
        expected: [
          ['failed', 70500],
          ['failed', 70500]
        ]
      },
      {
        name: 'connection resets',
        fault: () => ({ kind: 'reset', command: 'create_robot', times: Infinity }),
        maxAttempts: '2',
        expected: [
          ['failed', null],
          ['failed', null]
        ]
      },
      {
        name: 'a redirect to a URL carrying the credential',
        fault: secret => ({ kind: 'redirect', location: `https://collector.example.net/?sig=${encodeURIComponent(secret)}`, times: Infinity }),
        expected: [
          ['skipped', null],
          ['skipped', null]
        ]
      },
      {
        name: 'HTTP 502 with a page that echoes the credential',
        fault: secret => ({
          kind: 'http',
          status: 502,
          body: `<html><body>upstream failed for ${secret}</body></html>`,
          command: 'create_robot',
          times: Infinity
        }),
        maxAttempts: '2',
        expected: [
          ['failed', null],
          ['failed', null]
        ]
      },
      {
        name: 'an ErrorInfo that echoes the credential',
        fault: secret => ({ kind: 'code', code: 10004, info: `invalid usersig or key: ${secret}`, command: 'create_robot', times: Infinity }),
        expected: [
          ['failed', 10004],
          ['failed', 10004]
        ]
      },
      {
        name: 'HTTP 200 with an HTML page that echoes the credential',
        fault: secret => ({ kind: 'http', status: 200, body: `<p>${secret}</p>`, command: 'create_robot', times: Infinity }),
        maxAttempts: '2',
        expected: [
          ['failed', null],
          ['failed', null]
        ]
      },
      {
        name: "HTTP 200 with JSON that is not the vendor's and echoes the credential",
        fault: secret => ({ kind: 'http', status: 200, body: JSON.stringify({ error: secret }), command: 'create_robot', times: Infinity }),
        maxAttempts: '2',
        expected: [
          ['failed', null],
          ['failed', null]
        ]
      }
    ]
    const CASES = PATHS.flatMap(path => (['secret-key', 'usersig'] as const).map(credential => ({ ...path, credential })))
      // On the built action: a redirect carrying the key, and a vendor echoing a ready UserSig.
      .filter(
        c =>
          !options.e2eOnly ||
          (c.credential === 'secret-key' && c.name.startsWith('a redirect')) ||
          (c.credential === 'usersig' && c.name.startsWith('an ErrorInfo'))
      )

    it.each(CASES)('$name, with $credential: nothing of a secret shows anywhere', async ({ fault, maxAttempts, expected, credential }) => {
      const { v, inputs, secret } = await start(credential)
      v.inject(fault(secret))
      const run = await runAgainst(v, {
        inputs: { ...inputs, ...(maxAttempts ? { 'max-attempts': maxAttempts } : {}) },
        files: { 'robots.yaml': ROBOTS },
        env: DEBUG
      })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual(IDS.map((id, i) => [id, ...expected[i]]))
      expect(run.exitCode).toBe(1)
      expect(v.robots()).toEqual([])
      expect(v.followedRedirects).toBe(0)
      expect(piecesShown(run, allSecrets(v, secret))).toEqual([])
    })

    it('an ErrorInfo that echoes the credential is shown with *** in its place', async () => {
      const { v, inputs, secret } = await start('secret-key')
      v.inject({ kind: 'code', code: 10004, info: `bad key ${secret} here`, command: 'create_robot', userId: '@RBT#billing' })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode, r.ErrorInfo])).toEqual([
        ['@RBT#support', 'ok', 0, ''],
        ['@RBT#billing', 'failed', 10004, 'bad key *** here']
      ])
      expect(v.robots().map(r => r.UserID)).toEqual(['@RBT#support'])
      expect(run.summary).toContain('bad key *** here')
    })
  })

  describe('masking comes first', () => {
    function maskLines(run: ActionRun): string[] {
      return run.stdout
        .split('\n')
        .filter(line => line.startsWith('::add-mask::'))
        .map(line => line.slice('::add-mask::'.length))
    }

    it.each(['secret-key', 'usersig'] as const)('with %s, every secret is masked before any other line is printed', async credential => {
      const { v, inputs, secret } = await start(credential)
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

      expect(results(run).map(r => [r.UserID, r.status])).toEqual(IDS.map(id => [id, 'ok']))
      expect(v.robots().map(r => r.UserID)).toEqual(IDS)
      const lines = run.stdout.split('\n')
      const firstOther = lines.findIndex(line => !line.startsWith('::add-mask::'))
      expect(firstOther).toBeGreaterThan(0)
      const maskedFirst = new Set(lines.slice(0, firstOther).map(line => line.slice('::add-mask::'.length)))
      // What the action holds: the credential it was given, the UserSigs it sent, the token.
      const held = new Set([secret, ...v.calls.map(call => call.query.usersig), GITHUB_TOKEN])
      expect([...held].filter(s => !maskedFirst.has(s)).map(s => s.slice(0, 4))).toEqual([])
      expect(lines[0]).toBe(`::add-mask::${secret}`)
    })

    it('a UserSig signed again mid-run is masked before the next line is printed', async () => {
      const { v, inputs, secret } = await start('secret-key')
      // Signed in the same second, the fresh UserSig still differs: it is valid longer (client.ts, refreshUserSig).
      v.inject({ kind: 'code', code: 70001, command: 'create_robot', userId: '@RBT#billing' })
      const run = await runAgainst(v, { inputs, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

      expect(results(run).map(r => [r.UserID, r.status, r.attempts])).toEqual([
        ['@RBT#support', 'ok', 1],
        ['@RBT#billing', 'ok', 2]
      ])
      expect(
        v
          .robots()
          .map(r => r.UserID)
          .sort()
      ).toEqual([...IDS].sort())
      const usersigs = [...new Set(v.calls.map(call => call.query.usersig))]
      expect(usersigs).toHaveLength(2)
      const lines = run.stdout.split('\n')
      const resigned = lines.findIndex(line => line.includes('signing a fresh one'))
      expect(resigned).toBeGreaterThan(0)
      expect(lines[resigned + 1]).toBe(`::add-mask::${usersigs[1]}`)
      expect(maskLines(run)).toEqual(expect.arrayContaining([secret, ...usersigs]))
    })
  })

  describe('inputs that would send or show credentials are refused', () => {
    const REFUSED: Array<[string, string, RegExp]> = [
      ['an ftp:// endpoint', 'ftp://robot:hunter2-pass@files.example.com/', /only https:\/\/ is allowed/],
      ['a plain http:// endpoint that is not loopback', 'http://robot:hunter2-pass@example.com/', /not loopback/],
      ['an endpoint with a user name and password', 'https://robot:hunter2-pass@adminapisgp.im.qcloud.com/', /must not contain a user name or password/],
      ['an endpoint with a password that is not a URL', 'https://robot:hunter2-pass@bad host.example.com/', /is not a URL/],
      ['an endpoint with a query that carries a UserSig', 'https://proxy.example.com/?usersig=hunter2-pass', /must not contain a query/]
    ]
    it.each(REFUSED.filter(([name]) => !options.e2eOnly || name.includes('query')))(
      '%s: refused before any call, without echoing the credential',
      async (_name, endpoint, says) => {
        const { v, inputs, secret } = await start('secret-key')
        const run = await runAgainst(v, { inputs: { ...inputs, endpoint }, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

        expect(run.exitCode).toBe(1)
        expect(v.calls).toHaveLength(0)
        // Every entry is still accounted for: skipped, with the input error as the reason.
        expect(results(run).map(r => [r.UserID, r.status])).toEqual([
          ['@RBT#support', 'skipped'],
          ['@RBT#billing', 'skipped']
        ])
        expect(String(results(run)[0].ErrorInfo)).toMatch(/^not applied: Input/)
        const failure = errorText(run)
        expect(failure).toMatch(/Input endpoint/)
        expect(failure).toMatch(says)
        expect(visible(run)).not.toContain('hunter2')
        expect(piecesShown(run, [secret, GITHUB_TOKEN])).toEqual([])
      }
    )

    if (!options.e2eOnly)
      it('both secret-key and usersig: refused without echoing either', async () => {
        const { v, inputs, secret } = await start('secret-key')
        const usersig = new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', 600)
        const run = await runAgainst(v, { inputs: { ...inputs, usersig }, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

        expect(run.exitCode).toBe(1)
        expect(v.calls).toHaveLength(0)
        // Every entry is still accounted for: skipped, with the input error as the reason.
        expect(results(run).map(r => [r.UserID, r.status])).toEqual([
          ['@RBT#support', 'skipped'],
          ['@RBT#billing', 'skipped']
        ])
        expect(String(results(run)[0].ErrorInfo)).toMatch(/^not applied: Input/)
        expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(/both set; set exactly one/)
        expect(piecesShown(run, [secret, usersig, GITHUB_TOKEN])).toEqual([])
      })
  })

  describe('a secret echoed in any encoding is redacted', () => {
    const CASES = ENCODINGS.flatMap(([encoding, encode]) => (['secret-key', 'usersig'] as const).map(credential => ({ encoding, encode, credential })))
      // On the built action, one of the forms an earlier main let through (the one nested deepest);
      // the redaction is the same code in-process, where every form runs.
      .filter(c => !options.e2eOnly || (c.credential === 'usersig' && /twice/.test(c.encoding)))

    it.each(CASES)("$encoding, with $credential: in an ErrorInfo and in a body that is not the vendor's", async ({ encode, credential }) => {
      const { v, inputs: given, secret: key } = await start(credential)
      const secret = credential === 'usersig' ? usersigWithStars() : key
      const inputs = credential === 'usersig' ? { ...given, usersig: secret } : given
      v.inject({ kind: 'code', code: 10004, info: `invalid usersig ${encode(secret)} rejected`, command: 'create_robot', userId: '@RBT#support' })
      v.inject({ kind: 'http', status: 200, body: `${encode(secret)} is not valid here`, command: 'create_robot', userId: '@RBT#billing', times: Infinity })
      const run = await runAgainst(v, { inputs: { ...inputs, 'max-attempts': '1' }, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual([
        ['@RBT#support', 'failed', 10004],
        ['@RBT#billing', 'failed', null]
      ])
      expect(results(run)[0].ErrorInfo).toBe('invalid usersig *** rejected')
      expect(String(results(run)[1].ErrorInfo)).toMatch(/^HTTP 200 but the body is not JSON \(\d+ characters starting "\*\*\* is not valid here"\)$/)
      expect(piecesShown(run, allSecrets(v, secret))).toEqual([])
    })
  })

  describe('a piece of a secret echoed back is redacted', () => {
    /** An answer that echoes part of a credential: the emulator fills {{usersig…}} with the request's own. */
    interface Echo {
      name: string
      info: string
      shown: string
      credential: Credential
    }
    const KEY_HEAD = TEST_SECRET_KEY.slice(0, 40)
    const KEY_TAIL = TEST_SECRET_KEY.slice(-30)
    const ECHOES: Echo[] = (['secret-key', 'usersig'] as const).flatMap(credential => [
      {
        name: 'the first 80 characters of the UserSig',
        info: 'invalid usersig={{usersig:0:80}}… (truncated)',
        shown: 'invalid usersig=***… (truncated)',
        credential
      },
      { name: 'the last 40 characters of the UserSig', info: 'signature …{{usersig:-40}} rejected', shown: 'signature …*** rejected', credential },
      {
        name: 'a URL cut in the middle of the UserSig',
        info: 'GET /v4/x?identifier={{identifier}}&usersig={{usersig:0:57}}',
        shown: 'GET /v4/x?identifier=administrator&usersig=***',
        credential
      }
    ])
    ECHOES.push({
      name: 'the secret key cut at both ends',
      info: `key ${KEY_HEAD}… or …${KEY_TAIL} is wrong`,
      shown: 'key ***… or …*** is wrong',
      credential: 'secret-key'
    })
    const CASES = ECHOES.filter(
      c => !options.e2eOnly || c.name.startsWith('the secret key') || (c.credential === 'secret-key' && c.name.startsWith('the first 80'))
    )

    it.each(CASES)('$name, with $credential: shown as *** in the ErrorInfo, nowhere else', async ({ info, shown, credential }) => {
      const { v, inputs, secret } = await start(credential)
      v.inject({ kind: 'code', code: 10004, info, command: 'create_robot', userId: '@RBT#support' })
      v.inject({
        kind: 'http',
        status: 502,
        body: `<html><body>upstream failed: ${info}</body></html>`,
        command: 'create_robot',
        userId: '@RBT#billing',
        times: Infinity
      })
      const run = await runAgainst(v, { inputs: { ...inputs, 'max-attempts': '1' }, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

      expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual([
        ['@RBT#support', 'failed', 10004],
        ['@RBT#billing', 'failed', null]
      ])
      expect(results(run)[0].ErrorInfo).toBe(shown)
      expect(piecesShown(run, allSecrets(v, secret))).toEqual([])
    })
  })

  describe('the endpoint is never echoed with its user name or password', () => {
    const SYNTAXES: Array<[string, string]> = [
      ['no "//" and a space in the host', 'https:alice-admin:hunter2-pass@bad host'],
      ['no scheme at all', 'alice-admin:hunter2-pass@proxy.example.com'],
      ['an upper-case scheme and a space', 'HTTPS://alice-admin:hunter2-pass@bad host.example.com/'],
      ['backslashes for slashes', 'https:\\\\alice-admin:hunter2-pass@proxy.example.com\\'],
      ['a percent-encoded colon in the user name', 'https://alice-admin%3Ahunter2-pass@proxy.example.com/'],
      ['an unclosed IPv6 host', 'https://alice-admin:hunter2-pass@[::1/'],
      ['a scheme-relative URL', '//alice-admin:hunter2-pass@proxy.example.com/'],
      ['a ws:// scheme', 'ws://alice-admin:hunter2-pass@proxy.example.com/']
    ]
    it.each(SYNTAXES.filter(([name]) => !options.e2eOnly || name.startsWith('no "//"')))(
      '%s: refused before any call, naming neither',
      async (_name, endpoint) => {
        const { v, inputs, secret } = await start('secret-key')
        const run = await runAgainst(v, { inputs: { ...inputs, endpoint }, files: { 'robots.yaml': ROBOTS }, env: DEBUG })

        expect(run.exitCode).toBe(1)
        expect(v.calls).toHaveLength(0)
        expect(errorText(run)).toMatch(/Input endpoint/)
        for (const word of ['hunter2', 'alice-admin']) expect(readingsOf(visible(run)).filter(text => text.includes(word))).toEqual([])
        expect(piecesShown(run, [secret, GITHUB_TOKEN])).toEqual([])
      }
    )

    it("the summary shows the target as scheme and host, without the endpoint's path", async () => {
      const { v, inputs } = await start('secret-key')
      const endpoint = `${inputs.endpoint.replace(/\/$/, '')}/proxy-token-abc123/`
      const run = await runAgainst(v, { inputs: { ...inputs, endpoint, 'dry-run': 'true' }, files: { 'robots.yaml': ROBOTS } })

      expect(run.summary).toContain(new URL(inputs.endpoint).origin)
      expect(visible(run)).not.toContain('proxy-token-abc123')
    })
  })
}

/** The ways a server or a proxy may echo a secret back: every one of them is a leak. */
const ENCODINGS: Array<[string, (secret: string) => string]> = [
  ['RFC 3986 (Python quote: * as %2A)', secret => secret.replace(/[*]/g, '%2A')],
  ['lower-case hex (%2a)', secret => secret.replace(/[*]/g, '%2a')],
  ['every byte percent-encoded, upper case', secret => [...Buffer.from(secret)].map(b => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')],
  ['every byte percent-encoded, lower case', secret => [...Buffer.from(secret)].map(b => `%${b.toString(16).padStart(2, '0')}`).join('')],
  ['percent-encoded twice (a URL inside a URL: %252A)', secret => encodeURIComponent(secret.replace(/[*]/g, '%2A'))],
  [
    'form-encoded, then every other letter encoded',
    secret =>
      [...secret]
        .map((c, i) => (i % 2 ? `%${c.charCodeAt(0).toString(16)}` : c))
        .join('')
        .replace(/[*]/g, '%2A')
  ],
  ['HTML character references', secret => secret.replace(/[*]/g, '&#42;').replace(/-/g, '&#x2D;')]
]

/** A UserSig with "*" and "-" in it, the characters the encodings above tell apart. */
function usersigWithStars(): string {
  for (let expire = 600; ; expire++) {
    const usersig = new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', expire) as string
    if (usersig.includes('*') && usersig.includes('-')) return usersig
  }
}

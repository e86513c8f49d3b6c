import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from '@jest/globals'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConnectProxy } from '../../emulator/connect-proxy.js'
import { findLeaks, makeWorkspace, results, type ActionRun, type RunOptions } from '../../emulator/runner.js'
import { TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY, VendorEmulator } from '../../emulator/server.js'
import { FakeGitHub } from './github-api.js'
import { makeTestCa, type TestCa } from './test-ca.js'
import { manifestOf, secretsOf } from './vendor.js'
import { specCases } from './spec-cases.js'

/**
 * Behind a proxy. Loopback is never proxied, so the emulator is
 * addressed as chat.example.test — a name only the test proxy resolves (to
 * 127.0.0.1) — over HTTPS with a certificate from a CA made for this run and
 * trusted through NODE_EXTRA_CA_CERTS. A call that reaches the emulator at that
 * name went through the proxy's tunnel; one that bypasses the proxy cannot
 * resolve the name at all.
 *
 * The proxy is chosen from the env run() is given (src/proxy.ts), which in the
 * runner is the process's. In-process, the two differ: the cases that set
 * process.env against the env given show that only the given one counts.
 *
 * One specification, two runners: __tests__/e2e/specs-on-dist.test.ts runs on the built
 * dist/ every case that needs the TLS session through the tunnel (the process
 * trusts the test CA at its start), for the vendor client and for the GitHub
 * client; __tests__/unit/specs-in-process.test.ts runs every other case in-process,
 * where a TLS session to the vendor cannot be trusted.
 */
export function proxySpec(runAction: (options: RunOptions) => Promise<ActionRun>, options: { e2eOnly: boolean }): void {
  // The cases whose calls reach the vendor (or GitHub) through the tunnel need the test CA trusted
  // (NODE_EXTRA_CA_CERTS, read when a process starts): they run on the built action only.
  const { inProcess, builtOnly } = specCases(options.e2eOnly)

  const HOST = 'chat.example.test'
  const PROXY_USER = 'runner'
  const PROXY_PASSWORD = 'pr0xy-s3cret-passw0rd'
  const MANIFEST = manifestOf([
    { UserID: '@RBT#support', Nick: 'Support' },
    { UserID: '@RBT#billing', Nick: 'Billing' }
  ])

  let ca: TestCa
  let vendor: VendorEmulator
  let proxy: ConnectProxy
  let proxyUrl: string
  let endpoint: string

  beforeAll(async () => {
    ca = await makeTestCa([HOST, 'github.example.test'])
  })
  afterAll(async () => ca.remove())

  beforeEach(async () => {
    vendor = new VendorEmulator({ tls: { key: ca.key, cert: ca.cert } })
    const port = new URL(await vendor.start()).port
    endpoint = `https://${HOST}:${port}`
    proxy = new ConnectProxy({
      hosts: { [HOST]: '127.0.0.1', 'github.example.test': '127.0.0.1' },
      credentials: { username: PROXY_USER, password: PROXY_PASSWORD }
    })
    proxyUrl = await proxy.start()
  })
  afterEach(async () => {
    await vendor.stop()
    await proxy.stop()
  })

  const withCredentials = (url: string): string => url.replace('http://', `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@`)

  /** In-process only: process.env holds exactly these proxy variables while `run` runs, then what it held before. */
  async function withProcessEnv<T>(variables: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
    const before = names.map(name => [name, process.env[name]] as const)
    const set = (name: string, value: string | undefined): void => {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    for (const name of names) set(name, variables[name])
    try {
      return await run()
    } finally {
      for (const [name, value] of before) set(name, value)
    }
  }

  async function run(env: Record<string, string>, inputs: Record<string, string> = {}) {
    const action = await runAction({
      inputs: { sdkappid: String(TEST_SDKAPPID), 'secret-key': TEST_SECRET_KEY, identifier: TEST_ADMIN, endpoint, ...inputs },
      files: { 'robots.yaml': MANIFEST },
      env: { NODE_EXTRA_CA_CERTS: ca.caFile, ...env }
    })
    expect(findLeaks(action, [...secretsOf(vendor), PROXY_PASSWORD])).toEqual([])
    expect(action.stdout + action.stderr + action.summary).not.toContain(`${PROXY_USER}:`)
    return action
  }

  describe('vendor calls behind a proxy', () => {
    builtOnly('go through a CONNECT tunnel to the vendor when HTTPS_PROXY is set, with its user name and password', async () => {
      const action = await run({ HTTPS_PROXY: withCredentials(proxyUrl) })

      expect(action.exitCode).toBe(0)
      expect(results(action).map(r => [r.UserID, r.action, r.status])).toEqual([
        ['@RBT#support', 'create', 'ok'],
        ['@RBT#billing', 'create', 'ok']
      ])
      expect(vendor.robots().map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#billing'])
      // Every call went through a tunnel to the vendor's name; the proxy never saw a URL.
      expect(proxy.tunnels.length).toBeGreaterThan(0)
      expect(new Set(proxy.tunnels)).toEqual(new Set([`${HOST}:${new URL(endpoint).port}`]))
      expect(proxy.requests.every(r => r.method === 'CONNECT')).toBe(true)
      expect(action.log).toContain(`through the proxy ${new URL(proxyUrl).host}`)
      // Each connection is a tunnel: none is opened ahead of the writes; each one carried a call.
      expect(vendor.connections.map(c => c.id)).toEqual([...new Set(vendor.calls.map(call => call.connection))])
    })

    builtOnly('read https_proxy in lower case too', async () => {
      const action = await run({ https_proxy: withCredentials(proxyUrl) }, { 'dry-run': 'true' })
      expect(action.exitCode).toBe(0)
      expect(proxy.tunnels.length).toBeGreaterThan(0)
    })

    inProcess('take the proxy from the env run() is given, not from process.env', async () => {
      const action = await withProcessEnv({}, () => run({ HTTPS_PROXY: withCredentials(proxyUrl) }, { 'max-attempts': '1' }))

      // Through the tunnel to the vendor's name, which only the proxy resolves. (The TLS session inside
      // it needs the test CA, which only a process started with it trusts: the call itself fails here.)
      expect(proxy.tunnels.length).toBeGreaterThan(0)
      expect(new Set(proxy.tunnels)).toEqual(new Set([`${HOST}:${new URL(endpoint).port}`]))
      expect(action.log).toContain(`through the proxy ${new URL(proxyUrl).host}`)
    })

    inProcess('go direct when the env run() is given names no proxy, even when process.env names one', async () => {
      const proxied = { HTTPS_PROXY: withCredentials(proxyUrl), https_proxy: withCredentials(proxyUrl) }
      const action = await withProcessEnv(proxied, () => run({}, { 'max-attempts': '1' }))

      // The proxy in process.env would have resolved the name; directly, it does not resolve.
      expect(proxy.requests).toEqual([])
      expect(vendor.calls).toHaveLength(0)
      expect(action.exitCode).toBe(1)
      expect(action.summary).toContain('ENOTFOUND')
      expect(action.log).not.toContain('through the proxy')
    })

    inProcess('bypass the proxy when the env run() is given says NO_PROXY, even when process.env does not', async () => {
      const action = await withProcessEnv({ HTTPS_PROXY: withCredentials(proxyUrl) }, () =>
        run({ HTTPS_PROXY: withCredentials(proxyUrl), NO_PROXY: HOST }, { 'max-attempts': '1' })
      )

      expect(proxy.requests).toEqual([])
      expect(action.summary).toContain('ENOTFOUND')
    })

    inProcess('say what the proxy answered when it wants credentials, and never show the proxy URL', async () => {
      const action = await run({ HTTPS_PROXY: proxyUrl }, { 'max-attempts': '1' })

      expect(action.exitCode).toBe(1)
      expect(proxy.requests.map(r => r.status)).toContain(407)
      expect(vendor.calls).toHaveLength(0)
      expect(action.summary).toContain('answered HTTP 407 to CONNECT')
    })

    inProcess('say so when the proxy cannot be reached, naming its host and port only', async () => {
      const closed = new ConnectProxy({ hosts: {} })
      const closedUrl = await closed.start()
      await closed.stop()
      const action = await run({ HTTPS_PROXY: withCredentials(closedUrl) }, { 'max-attempts': '1' })

      expect(action.exitCode).toBe(1)
      expect(action.summary).toContain(`the proxy <code>${new URL(closedUrl).host}</code> could not be reached`)
    })

    inProcess.each([
      ['the host itself', HOST],
      ['a domain suffix', 'example.test'],
      ['a suffix with a leading dot, among others', 'other.example, .example.test'],
      ['the host and port', `${HOST}:PORT`],
      ['*', '*']
    ])('bypass the proxy for a host NO_PROXY matches: %s', async (_what, noProxy) => {
      const action = await run(
        {
          HTTPS_PROXY: withCredentials(proxyUrl),
          NO_PROXY: noProxy.replace('PORT', new URL(endpoint).port)
        },
        { 'max-attempts': '1' }
      )

      // Not through the proxy, and directly the name does not resolve: the proxy never saw a request.
      expect(proxy.requests).toEqual([])
      expect(vendor.calls).toHaveLength(0)
      expect(action.exitCode).toBe(1)
      expect(action.summary).toContain('ENOTFOUND')
    })

    builtOnly('use the proxy when NO_PROXY (here in lower case) names other hosts only', async () => {
      const action = await run({ HTTPS_PROXY: withCredentials(proxyUrl), no_proxy: 'example.com,chat.example.test.internal' }, { 'dry-run': 'true' })
      expect(action.exitCode).toBe(0)
      expect(proxy.tunnels.length).toBeGreaterThan(0)
    })

    inProcess('never send calls to a loopback endpoint through the proxy', async () => {
      const direct = new VendorEmulator()
      const url = await direct.start()
      try {
        const action = await run({ HTTPS_PROXY: withCredentials(proxyUrl), HTTP_PROXY: withCredentials(proxyUrl) }, { endpoint: url })
        expect(action.exitCode).toBe(0)
        expect(direct.robots()).toHaveLength(2)
        expect(proxy.requests).toEqual([])
      } finally {
        await direct.stop()
      }
    })
  })

  describe('the plan comment behind a proxy', () => {
    const TOKEN = 'ghs_faketoken0123456789abcdefghijklmnop'
    let github: FakeGitHub
    let apiUrl: string

    beforeEach(async () => {
      github = new FakeGitHub(TOKEN)
      apiUrl = (await github.start()).replace('127.0.0.1', 'github.example.test')
    })
    afterEach(async () => github.stop())

    /** `offline`: no app credentials, so the only calls are GitHub's (plain http, no TLS to trust). */
    async function runOnPullRequest(env: Record<string, string>, { offline = false } = {}) {
      const workspace = await makeWorkspace({ 'robots.yaml': MANIFEST })
      const eventPath = join(workspace, '..', `event-${Date.now()}.json`)
      await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7 }, repository: { name: 'robots', owner: { login: 'acme' } } }))
      const app: Record<string, string> = offline ? {} : { sdkappid: String(TEST_SDKAPPID), 'secret-key': TEST_SECRET_KEY, identifier: TEST_ADMIN, endpoint }
      const action = await runAction({
        workspace,
        inputs: { ...app, 'dry-run': 'true', 'github-token': TOKEN },
        env: {
          NODE_EXTRA_CA_CERTS: ca.caFile,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_API_URL: apiUrl,
          GITHUB_REPOSITORY: 'acme/robots',
          ...env
        }
      })
      await rm(workspace, { recursive: true, force: true })
      await rm(eventPath, { force: true })
      expect(findLeaks(action, [...secretsOf(vendor), TOKEN, PROXY_PASSWORD])).toEqual([])
      return action
    }

    builtOnly('is posted through the proxy, as the calls to the vendor are', async () => {
      const action = await runOnPullRequest({ HTTPS_PROXY: withCredentials(proxyUrl), HTTP_PROXY: withCredentials(proxyUrl) })

      expect(action.exitCode).toBe(0)
      expect(github.comments).toHaveLength(1)
      expect(proxy.tunnels).toContain(`github.example.test:${new URL(apiUrl).port}`)
      expect(proxy.tunnels).toContain(`${HOST}:${new URL(endpoint).port}`)
    })

    builtOnly('bypasses the proxy for GitHub when NO_PROXY names it', async () => {
      const action = await runOnPullRequest({
        HTTPS_PROXY: withCredentials(proxyUrl),
        HTTP_PROXY: withCredentials(proxyUrl),
        NO_PROXY: 'github.example.test'
      })

      // Directly, the name does not resolve: the comment cannot be posted, and the run says so.
      expect(github.comments).toHaveLength(0)
      expect(proxy.tunnels.every(t => t.startsWith(`${HOST}:`))).toBe(true)
      expect(action.summary).toContain('The plan was not posted on the pull request')
    })

    inProcess('is posted through the proxy the env run() is given names, not process.env', async () => {
      const action = await withProcessEnv({}, () => runOnPullRequest({ HTTP_PROXY: withCredentials(proxyUrl) }, { offline: true }))

      expect(action.exitCode).toBe(0)
      expect(github.comments).toHaveLength(1)
      expect(new Set(proxy.tunnels)).toEqual(new Set([`github.example.test:${new URL(apiUrl).port}`]))
    })

    inProcess('goes to GitHub directly when the env run() is given names no proxy, even when process.env names one', async () => {
      const proxied = { HTTPS_PROXY: withCredentials(proxyUrl), HTTP_PROXY: withCredentials(proxyUrl), http_proxy: withCredentials(proxyUrl) }
      const action = await withProcessEnv(proxied, () => runOnPullRequest({}, { offline: true }))

      // The proxy in process.env would have resolved the name; directly, it does not resolve.
      expect(proxy.requests).toEqual([])
      expect(github.comments).toHaveLength(0)
      expect(action.summary).toContain('The plan was not posted on the pull request')
    })

    inProcess('bypasses the proxy for GitHub when the env run() is given says NO_PROXY, even when process.env does not', async () => {
      const action = await withProcessEnv({ HTTP_PROXY: withCredentials(proxyUrl) }, () =>
        runOnPullRequest({ HTTP_PROXY: withCredentials(proxyUrl), no_proxy: 'example.test' }, { offline: true })
      )

      expect(proxy.requests).toEqual([])
      expect(github.comments).toHaveLength(0)
      expect(action.summary).toContain('The plan was not posted on the pull request')
    })
  })
}

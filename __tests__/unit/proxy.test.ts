import { afterEach, describe, expect, it } from '@jest/globals'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import fc from 'fast-check'
import { proxyAuthorization, proxyCredentials } from '../../src/proxy-credentials.js'
import { ProxyVariableError, proxyFor } from '../../src/proxy.js'

/**
 * The proxy is chosen from the env given, by @actions/http-client's rules. In
 * every test process.env says something else: the opposite of the expected
 * answer, so a module that read it would answer wrongly.
 */

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const
type ProxyEnv = Partial<Record<(typeof VARIABLES)[number], string>>

const saved = VARIABLES.map(name => [name, process.env[name]] as const)
afterEach(() => {
  for (const [name, value] of saved) setVariable(name, value)
})

function setVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

function setProcessEnv(env: ProxyEnv): void {
  for (const name of VARIABLES) setVariable(name, env[name])
}

const DECOY = 'http://decoy.invalid:9'
/** For a test that expects no proxy: process.env names one for every scheme. */
const DECOY_PROXY: ProxyEnv = { HTTPS_PROXY: DECOY, https_proxy: DECOY, HTTP_PROXY: DECOY, http_proxy: DECOY }
/** For a test that expects a proxy: process.env bypasses every host, and names another proxy besides. */
const DECOY_BYPASS: ProxyEnv = { ...DECOY_PROXY, NO_PROXY: '*', no_proxy: '*' }

/** proxyFor with process.env set against the expected answer. */
function proxied(url: string, env: ProxyEnv, expected: string | null): string | null {
  setProcessEnv(expected === null ? DECOY_PROXY : DECOY_BYPASS)
  return proxyFor(new URL(url), env)?.href ?? null
}

const VENDOR = 'https://adminapisgp.im.qcloud.com/v4/openim_robot_http_svc/get_all_robots?usersig=x'
const PROXY = 'http://proxy.corp:3128/'

describe('the proxy comes from the env given, never from process.env', () => {
  it.each<[string, string, ProxyEnv, string | null]>([
    ['an https:// request uses HTTPS_PROXY', VENDOR, { HTTPS_PROXY: PROXY }, PROXY],
    ['https_proxy too', VENDOR, { https_proxy: PROXY }, PROXY],
    ['https_proxy wins over HTTPS_PROXY', VENDOR, { https_proxy: PROXY, HTTPS_PROXY: 'http://upper.corp:1' }, PROXY],
    ['an empty https_proxy does not hide HTTPS_PROXY', VENDOR, { https_proxy: '', HTTPS_PROXY: PROXY }, PROXY],
    ['an https:// request never uses HTTP_PROXY', VENDOR, { HTTP_PROXY: PROXY, http_proxy: PROXY }, null],
    ['an http:// request uses HTTP_PROXY', 'http://ghes.corp/api/v3', { HTTP_PROXY: PROXY, HTTPS_PROXY: 'http://other.corp:1' }, PROXY],
    ['http_proxy wins over HTTP_PROXY', 'http://ghes.corp/api/v3', { http_proxy: PROXY, HTTP_PROXY: 'http://upper.corp:1' }, PROXY],
    ['no variable: direct', VENDOR, {}, null],
    ['an https:// proxy stays https://', VENDOR, { HTTPS_PROXY: 'https://proxy.corp:8443' }, 'https://proxy.corp:8443/'],
    ['a host without a scheme is read as http://', VENDOR, { HTTPS_PROXY: 'proxy.corp' }, 'http://proxy.corp/'],
    ['an address and port without a scheme is read as http://', VENDOR, { HTTPS_PROXY: '10.0.0.5:3128' }, 'http://10.0.0.5:3128/'],
    // "proxy.corp:3128" parses as a URL whose scheme is "proxy.corp:", with no host.
    ['a name and port without a scheme names no proxy, as with @actions/http-client', VENDOR, { HTTPS_PROXY: 'proxy.corp:3128' }, null],
    ['a URL whose credentials are not valid percent-encoding names no proxy', VENDOR, { HTTPS_PROXY: 'http://ci:p%zz@proxy.corp:3128' }, null]
  ])('%s', (_name, url, env, expected) => {
    expect(proxied(url, env, expected)).toBe(expected)
  })

  it.each<[string, string]>([
    ['localhost', 'https://localhost:8443/v4/x'],
    ['127.0.0.1', 'https://127.0.0.1/v4/x'],
    ['any 127.*', 'http://127.5.6.7:8080/v4/x'],
    ['[::1]', 'https://[::1]:8443/v4/x'],
    ['[0:0:0:0:0:0:0:1], as the URL writes it', 'https://[0:0:0:0:0:0:0:1]/v4/x']
  ])('never proxies loopback: %s', (_name, url) => {
    expect(proxied(url, { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY }, null)).toBeNull()
  })

  it('names the variable, never its value, when it is not a URL even with http:// in front', () => {
    setProcessEnv(DECOY_PROXY)
    const read = () => proxyFor(new URL(VENDOR), { https_proxy: '10.0.0.5:s3cret', HTTPS_PROXY: PROXY })
    expect(read).toThrow(ProxyVariableError)
    expect(read).toThrow(/^https_proxy is not a proxy URL/)
    expect(read).not.toThrow(/s3cret|10\.0/)
  })
})

describe('NO_PROXY', () => {
  const with443 = (noProxy: string, expected: string | null, url = VENDOR) => proxied(url, { HTTPS_PROXY: PROXY, NO_PROXY: noProxy }, expected)

  it.each([
    ['*', '*'],
    ['the host', 'adminapisgp.im.qcloud.com'],
    ['the host in another case', 'AdminAPISGP.IM.QCloud.COM'],
    ['a domain suffix', 'qcloud.com'],
    ['a domain suffix with a leading dot', '.qcloud.com'],
    ['the host and the port its scheme implies', 'adminapisgp.im.qcloud.com:443'],
    ['one entry of a list, with spaces and empty entries', 'example.com, ,.qcloud.com ,']
  ])('bypasses the proxy for %s', (_name, noProxy) => {
    expect(with443(noProxy, null)).toBeNull()
  })

  it.each([
    ['another port', 'adminapisgp.im.qcloud.com:8443'],
    ['a suffix that does not start at a dot', 'loud.com'],
    ['a longer name', 'adminapisgp.im.qcloud.com.internal'],
    ['an address range (not supported)', '0.0.0.0/0'],
    ['only empty entries', ' , ,']
  ])('keeps the proxy for %s', (_name, noProxy) => {
    expect(with443(noProxy, PROXY)).toBe(PROXY)
  })

  it('matches an explicit port in the URL', () => {
    expect(with443('chat.example.test:8443', null, 'https://chat.example.test:8443/v4/x')).toBeNull()
    expect(with443('chat.example.test:443', PROXY, 'https://chat.example.test:8443/v4/x')).toBe(PROXY)
  })

  it('for http://, the implied port is 80', () => {
    expect(proxied('http://ghes.corp/api', { HTTP_PROXY: PROXY, NO_PROXY: 'ghes.corp:80' }, null)).toBeNull()
  })

  it('no_proxy wins over NO_PROXY', () => {
    expect(proxied(VENDOR, { HTTPS_PROXY: PROXY, no_proxy: 'example.com', NO_PROXY: '*' }, PROXY)).toBe(PROXY)
    expect(proxied(VENDOR, { HTTPS_PROXY: PROXY, no_proxy: '*', NO_PROXY: 'example.com' }, null)).toBeNull()
  })
})

describe('the proxy credentials', () => {
  it('are percent-decoded, as Proxy-Authorization sends them', () => {
    setProcessEnv(DECOY_BYPASS)
    const proxy = proxyFor(new URL(VENDOR), { HTTPS_PROXY: 'http://ci%20bot:p%40ss%3Aw%2Frd@proxy.corp:3128' })!
    expect(proxyCredentials(proxy)).toEqual({ username: 'ci bot', password: 'p@ss:w/rd' })
    expect(proxyAuthorization(proxy)).toBe(`Basic ${Buffer.from('ci bot:p@ss:w/rd').toString('base64')}`)
  })

  it('a user name alone is sent with an empty password; none, no header', () => {
    expect(proxyAuthorization(new URL('http://ci@proxy.corp:3128'))).toBe(`Basic ${Buffer.from('ci:').toString('base64')}`)
    expect(proxyAuthorization(new URL(PROXY))).toBeNull()
  })
})

describe('the same answers as @actions/http-client', () => {
  const URLS = [
    VENDOR,
    'https://console.tim.qq.com/v4/x',
    'https://chat.example.test:8443/v4/x',
    'http://github.example.test:3000/api/v3',
    'https://localhost:8443/',
    'https://127.0.0.1/',
    'https://[::1]:9/',
    'http://10.1.2.3/',
    'https://127.example.com/'
  ]
  const PROXIES = [
    undefined,
    '',
    PROXY,
    'https://p.corp',
    'proxy.corp',
    'proxy.corp:3128',
    '10.0.0.5:3128',
    'user:pw@10.0.0.5:3128',
    'http://ci%20bot:p%40ss@proxy.corp:3128',
    'http://u:p%zz@proxy.corp',
    'socks5://u:%zz@h:1',
    'bad host:1',
    'HTTP://UPPER.corp:1'
  ]
  const BYPASSES = [
    undefined,
    '',
    '*',
    'qq.com',
    '.qq.com',
    'console.tim.qq.com:443',
    'CHAT.EXAMPLE.TEST:8443',
    'example.test',
    'other.example, .qcloud.com',
    ' , ',
    'm.qq.com',
    'github.example.test:3000'
  ]

  /** What a choice comes to: the proxy used and the Proxy-Authorization sent, none, or an error. */
  function outcome(choose: () => { href: string; hostname: string; username: string; password: string } | null | undefined): unknown {
    try {
      const proxy = choose()
      if (!proxy?.hostname) return null
      const authorization = proxy.username || proxy.password ? `Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}` : null
      return { href: proxy.href, authorization }
    } catch {
      return 'throws'
    }
  }

  it('for every mix of variables, hosts and schemes', () => {
    const env = fc.record(
      {
        HTTPS_PROXY: fc.constantFrom(...PROXIES),
        https_proxy: fc.constantFrom(...PROXIES),
        HTTP_PROXY: fc.constantFrom(...PROXIES),
        http_proxy: fc.constantFrom(...PROXIES),
        NO_PROXY: fc.constantFrom(...BYPASSES),
        no_proxy: fc.constantFrom(...BYPASSES)
      },
      { requiredKeys: [] }
    )
    fc.assert(
      fc.property(fc.constantFrom(...URLS), env, (url, given) => {
        const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as ProxyEnv
        setProcessEnv(defined)
        // http-client's URL reads its credentials decoded.
        const theirs = outcome(() => getProxyUrl(new URL(url)))
        setProcessEnv({})
        const ours = outcome(() => {
          const proxy = proxyFor(new URL(url), defined)
          return proxy && { href: proxy.href, hostname: proxy.hostname, ...(proxyCredentials(proxy) ?? { username: '', password: '' }) }
        })
        expect(ours).toEqual(theirs)
      }),
      { numRuns: 1000 }
    )
  })
})

import { describe, expect, it } from '@jest/globals'
import { TEST_TIMING_ENV } from '../../src/constants.js'
import { InputError, parseEndpoint, readSettings, type Settings } from '../../src/inputs.js'
import { FakeCore, inputEnv } from '../helpers/fake-core.js'

/** Inputs as the runner passes them (action.yml defaults left out: the code must cope with empty ones). */
function settings(inputs: Record<string, string>, env: Record<string, string> = {}, planOnly: string | null = null): { settings: Settings; core: FakeCore } {
  const core = new FakeCore({ env: inputEnv(inputs) })
  return { settings: readSettings(core, { GITHUB_WORKSPACE: '/work/space', ...env }, planOnly), core }
}

function refusal(inputs: Record<string, string>, env: Record<string, string> = {}): string {
  try {
    settings(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('the inputs were accepted')
}

const CREDENTIALS = { sdkappid: '1400000000', 'secret-key': 'k3y-0123456789abcdef' }

describe('reading the inputs', () => {
  it('masks every secret before it writes anything else', () => {
    const { core } = settings({ ...CREDENTIALS, 'github-token': 'ghs_token0123456789', 'dry-run': 'true' }, {}, 'This pull_request event only plans.')
    const lines = core.stdout.split('\n')
    expect(lines.slice(0, 2)).toEqual(['::add-mask::k3y-0123456789abcdef', '::add-mask::ghs_token0123456789'])
    // What it says about the event comes after, and shows neither secret.
    expect(lines[2]).toBe('This pull_request event only plans.')
    expect(core.runnerView().log.join('\n')).not.toMatch(/k3y-|ghs_/)
  })

  it('does not repeat a secret when half a set of credentials is refused', () => {
    const message = refusal({ 'secret-key': 'k3y-0123456789abcdef', 'dry-run': 'true' })
    expect(message).toMatch(/sdkappid/)
    expect(message).not.toMatch(/k3y-/)
  })

  it('masks a usersig given instead of the key', () => {
    const { core } = settings({ sdkappid: '1400000000', usersig: 'eJyrVgrxCdYrSy1S' })
    expect(core.runnerView().masks).toEqual(['eJyrVgrxCdYrSy1S'])
  })

  it('gives defaults to inputs left empty', () => {
    const { settings: s } = settings(CREDENTIALS)
    expect(s).toMatchObject({ workspace: '/work/space', manifestPath: 'robots.yaml', dryRun: false, prune: false, maxAttempts: 5, comment: true, timing: {} })
    expect(s.vendor?.credentials).toEqual({ sdkappid: '1400000000', identifier: 'administrator', secretKey: 'k3y-0123456789abcdef' })
    expect(s.vendor?.baseUrl.href).toBe('https://console.tim.qq.com/')
  })

  it('reads values with white space around them as the runner passes them', () => {
    const { settings: s } = settings({ ...CREDENTIALS, 'dry-run': ' true\n', 'max-attempts': ' 3 ', manifest: ' config/robots.yaml ', region: ' Singapore ' })
    expect(s).toMatchObject({ dryRun: true, maxAttempts: 3, manifestPath: 'config/robots.yaml' })
    expect(s.vendor?.baseUrl.host).toBe('adminapisgp.im.qcloud.com')
  })

  it.each([
    ['true', true],
    ['True', true],
    ['yes', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['FALSE', false],
    ['no', false],
    ['off', false],
    ['0', false]
  ])('reads the boolean %s', (value, expected) => {
    expect(settings({ ...CREDENTIALS, prune: value }).settings.prune).toBe(expected)
  })

  it('refuses a boolean it cannot read, naming the input', () => {
    expect(refusal({ ...CREDENTIALS, prune: 'maybe' })).toMatch(/prune.*maybe.*true or false/)
  })

  it.each(['0', '11', '2.5', '-1', 'five'])('refuses max-attempts %s', value => {
    expect(refusal({ ...CREDENTIALS, 'max-attempts': value })).toMatch(/max-attempts.*1 to 10/)
  })

  it('needs an SDKAppID and a credential to write, and says which input is missing', () => {
    expect(refusal({})).toMatch(/sdkappid is required unless dry-run/)
    expect(refusal({ sdkappid: '1400000000' })).toMatch(/secret-key \(or usersig\)/)
    expect(refusal({ sdkappid: 'app-1', 'secret-key': 'x' })).toMatch(/"app-1" is not an SDKAppID/)
  })

  it('refuses both secret-key and usersig, without echoing either', () => {
    const message = refusal({ sdkappid: '1400000000', 'secret-key': 'k3y-secret', usersig: 'sig-secret' })
    expect(message).toMatch(/both set; set exactly one/)
    expect(message).not.toMatch(/k3y-secret|sig-secret/)
  })

  it('validates offline in a dry run without credentials', () => {
    const { settings: s, core } = settings({ 'dry-run': 'true' })
    expect(s.vendor).toBeNull()
    expect(core.runnerView().annotations).toEqual([])
  })

  it('refuses half a set of credentials even in a dry run: usually a secret the job cannot see', () => {
    for (const inputs of [{ sdkappid: '1400000000' }, { 'secret-key': 'k3y' }] as Array<Record<string, string>>) {
      expect(refusal({ ...inputs, 'dry-run': 'true' })).toMatch(/[Hh]alf a set of credentials/)
    }
  })

  it('checks a pull request from a fork offline, since GitHub gives it no secrets', () => {
    const core = new FakeCore({ env: inputEnv({ sdkappid: '1400000000', 'dry-run': 'true' }) })
    const s = readSettings(core, { GITHUB_WORKSPACE: '/work/space' }, 'This pull_request event only plans.', true)
    expect(s.vendor).toBeNull()
    expect(core.runnerView().annotations.filter(a => a.level === 'error')).toEqual([])
  })

  it('plans only on a plan-only event, whatever dry-run says, and warns when dry-run is false', () => {
    const said = 'This pull_request event only plans.'
    const { settings: s, core } = settings(CREDENTIALS, {}, said)
    expect(s.dryRun).toBe(true)
    expect(core.runnerView().annotations).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining(said) })])
    const quiet = settings({ ...CREDENTIALS, 'dry-run': 'true' }, {}, said)
    expect(quiet.settings.dryRun).toBe(true)
    expect(quiet.core.runnerView().annotations).toEqual([])
  })

  it("picks the region's domain, in any case, and suggests the nearest region for a typo", () => {
    expect(settings({ ...CREDENTIALS, region: 'FRANKFURT' }).settings.vendor?.target).toBe('region frankfurt (adminapiger.im.qcloud.com)')
    expect(refusal({ ...CREDENTIALS, region: 'Singapur' })).toMatch(/"singapur" is not a region: did you mean singapore\?/)
  })

  it('prefers the endpoint to the region', () => {
    const { settings: s } = settings({ ...CREDENTIALS, region: 'tokyo', endpoint: 'https://proxy.example.com/chat' })
    expect(s.vendor?.baseUrl.href).toBe('https://proxy.example.com/chat/')
    // What the summary shows: scheme and host, never the path (it may carry a token).
    expect(s.vendor?.target).toBe('endpoint https://proxy.example.com')
  })

  it('takes shortened waits from the test-only variable, and nothing from it in production', () => {
    expect(settings(CREDENTIALS).settings.timing).toEqual({})
    expect(settings(CREDENTIALS, { [TEST_TIMING_ENV]: '{"timeoutMs":1500,"backoffBaseMs":1}' }).settings.timing).toEqual({ timeoutMs: 1500, backoffBaseMs: 1 })
    for (const bad of ['1500', '{"timeoutMs":0}', '{"timeoutMs":"fast"}', '{"attempts":2}', 'not json', '[]']) {
      expect([bad, refusal(CREDENTIALS, { [TEST_TIMING_ENV]: bad })]).toEqual([
        bad,
        expect.stringMatching(new RegExp(`${TEST_TIMING_ENV} is for the action's own tests`))
      ])
    }
  })
})

describe('the endpoint', () => {
  it.each([
    ['https://proxy.example.com', 'https://proxy.example.com/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://localhost:9/base', 'http://localhost:9/base/'],
    ['http://[::1]:9/', 'http://[::1]:9/']
  ])('accepts %s', (endpoint, href) => {
    expect(parseEndpoint(endpoint).href).toBe(href)
  })

  it.each([
    ['a URL that is not one', 'https://bad host/', /is not a URL/],
    ['another scheme', 'ftp://files.example.com/', /only https:\/\/ is allowed/],
    ['plain http to another host', 'http://example.com/', /not loopback/],
    ['a user name and password', 'https://user:pass@example.com/', /must not contain a user name or password/],
    ['a query', 'https://example.com/?usersig=x', /must not contain a query/],
    ['a fragment', 'https://example.com/#x', /must not contain a query or fragment/]
  ])('refuses %s', (_name, endpoint, says) => {
    expect(() => parseEndpoint(endpoint)).toThrow(says)
  })

  it('does not repeat a password from a URL it cannot parse', () => {
    expect(() => parseEndpoint('https://robot:hunter2-pass@bad host/')).toThrow(/^(?![\s\S]*hunter2)/)
  })
})

describe("the vendor's proxy", () => {
  const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

  /** Reads the settings with process.env naming another proxy, which must not count. */
  function withDecoy<T>(read: () => T): T {
    const before = PROXY_VARIABLES.map(name => [name, process.env[name]] as const)
    Object.assign(process.env, { HTTPS_PROXY: 'http://decoy.invalid:9', HTTP_PROXY: 'http://decoy.invalid:9' })
    try {
      return read()
    } finally {
      for (const [name, value] of before) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  }

  it('is read from the env given, with its bypass list', () => {
    const proxied = withDecoy(() => settings(CREDENTIALS, { https_proxy: 'http://proxy.corp:3128' }).settings)
    expect(proxied.vendor?.proxy?.href).toBe('http://proxy.corp:3128/')
    const bypassed = withDecoy(() => settings(CREDENTIALS, { https_proxy: 'http://proxy.corp:3128', NO_PROXY: '.qq.com' }).settings)
    expect(bypassed.vendor?.proxy).toBeNull()
  })

  it('is none when the env given names none, whatever process.env says', () => {
    expect(withDecoy(() => settings(CREDENTIALS).settings).vendor?.proxy).toBeNull()
  })

  it('is never used for an http:// endpoint (loopback only), not even through HTTP_PROXY', () => {
    const { settings: s } = settings(
      { ...CREDENTIALS, endpoint: 'http://127.0.0.1:8080' },
      { HTTP_PROXY: 'http://proxy.corp:3128', HTTPS_PROXY: 'http://proxy.corp:3128' }
    )
    expect(s.vendor?.proxy).toBeNull()
  })

  it('refuses a variable that is not a URL, naming it and not its value', () => {
    const message = refusal(CREDENTIALS, { HTTPS_PROXY: '10.0.0.5:s3cret' })
    expect(message).toMatch(/^HTTPS_PROXY is not a proxy URL/)
    expect(message).not.toMatch(/s3cret/)
  })

  it('is not read for an offline dry run', () => {
    const { settings: s } = settings({ 'dry-run': 'true' }, { HTTPS_PROXY: '10.0.0.5:s3cret' })
    expect(s.vendor).toBeNull()
  })
})

/**
 * The emulator is the vendor the action is tested against, so it is tested
 * against the vendor's documentation: real HTTP, UserSigs from the vendor's own
 * npm package, one documented behaviour per test.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { deflateSync } from 'node:zlib'
import { REDIRECT_TARGET, TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY, VendorEmulator, type EmulatorOptions } from '../../emulator/server.js'
import { decodeUserSig, userSigHmac, verifyUserSig } from '../../emulator/usersig-verify.js'

// The vendor's package is CommonJS without types; exports.Api is the signer. Its package.json
// names "main" twice, which jest's resolver reads differently from Node's, so name the file.
const require = createRequire(import.meta.url)
const TLSSigAPIv2 = require('tls-sig-api-v2/TLSSigAPIv2.js') as {
  Api: new (sdkappid: number, key: string) => { genSig(identifier: string, expire: number): string }
}

function sign(identifier = TEST_ADMIN, { sdkappid = TEST_SDKAPPID, key = TEST_SECRET_KEY, expire = 86400 } = {}): string {
  return new TLSSigAPIv2.Api(sdkappid, key).genSig(identifier, expire)
}

const CREATE = 'openim_robot_http_svc/create_robot'
const GET_ALL = 'openim_robot_http_svc/get_all_robots'
const DELETE = 'openim_robot_http_svc/delete_robot'
const PORTRAIT_GET = 'profile/portrait_get'
const PORTRAIT_SET = 'profile/portrait_set'

// The reference's first test vector and the npm package's whole UserSig for it.
const VECTOR_USERSIG =
  'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__'

const running: VendorEmulator[] = []

async function startEmulator(options: EmulatorOptions = {}): Promise<VendorEmulator> {
  const emulator = new VendorEmulator(options)
  running.push(emulator)
  await emulator.start()
  return emulator
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(emulator => emulator.stop()))
})

interface CallOptions {
  /** Query parameters to replace; undefined removes one. */
  query?: Record<string, string | undefined>
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string
  method?: string
  signal?: AbortSignal
  redirect?: 'follow' | 'manual' | 'error'
}

function vendorUrl(emulator: VendorEmulator, path: string, overrides: CallOptions['query'] = {}): string {
  const url = new URL(`/v4/${path}`, emulator.url)
  const query: Record<string, string | undefined> = {
    sdkappid: String(TEST_SDKAPPID),
    identifier: TEST_ADMIN,
    usersig: sign(),
    random: String(randomInt(0, 2 ** 32)),
    contenttype: 'json',
    ...overrides
  }
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, value)
  }
  return url.toString()
}

function send(emulator: VendorEmulator, path: string, body: unknown = {}, options: CallOptions = {}): Promise<Response> {
  const method = options.method ?? 'POST'
  return fetch(vendorUrl(emulator, path, options.query), {
    method,
    body: method === 'GET' ? undefined : (options.raw ?? JSON.stringify(body)),
    headers: { 'Content-Type': 'application/json' },
    signal: options.signal,
    redirect: options.redirect
  })
}

type Envelope = Record<string, unknown> & { ActionStatus: string; ErrorCode: number; ErrorInfo: string }

async function call(emulator: VendorEmulator, path: string, body: unknown = {}, options: CallOptions = {}): Promise<Envelope> {
  const response = await send(emulator, path, body, options)
  expect(response.status).toBe(200)
  return (await response.json()) as Envelope
}

async function code(emulator: VendorEmulator, path: string, body: unknown = {}, options: CallOptions = {}): Promise<number> {
  return (await call(emulator, path, body, options)).ErrorCode
}

/**
 * The ErrorCodes of `count` calls sent at once over a few kept-alive connections:
 * fetch opens a connection per call, which costs a second for two hundred.
 */
async function codesOfMany(emulator: VendorEmulator, path: string, count: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(vendorUrl(emulator, path), { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, res => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve((JSON.parse(body) as Envelope).ErrorCode))
      })
      req.on('error', reject)
      req.end('{}')
    })
  try {
    return await Promise.all(Array.from({ length: count }, one))
  } finally {
    agent.destroy()
  }
}

/** Deflate and encode like a UserSig, to build malformed ones. */
function pack(text: string): string {
  return deflateSync(text).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_')
}

function bytesOf(length: number, char = 'a'): string {
  return char.repeat(length)
}

describe('UserSig verification', () => {
  it('accepts the reference UserSig of the first test vector', () => {
    const verdict = verifyUserSig(VECTOR_USERSIG, { sdkappid: 1400000000, identifier: 'xiaojun', secretKey: TEST_SECRET_KEY, now: 1700000000 })
    expect(verdict).toEqual({
      ok: true,
      userSig: { identifier: 'xiaojun', sdkappid: 1400000000, time: 1700000000, expire: 15552000, sig: 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=' }
    })
  })

  it.each([
    ['xiaojun', 15552000, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4='],
    ['administrator', 86400, 'yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=']
  ])('computes the reference TLS.sig for %s', (identifier, expire, sig) => {
    expect(userSigHmac({ identifier, sdkappid: 1400000000, time: 1700000000, expire }, TEST_SECRET_KEY)).toBe(sig)
  })

  it("accepts a UserSig from the vendor's npm package", () => {
    const verdict = verifyUserSig(sign('administrator'), {
      sdkappid: TEST_SDKAPPID,
      identifier: 'administrator',
      secretKey: TEST_SECRET_KEY,
      now: Math.floor(Date.now() / 1000)
    })
    expect(verdict.ok).toBe(true)
  })

  it('accepts a UserSig in its last valid second and refuses it one second later', () => {
    const expected = { sdkappid: 1400000000, identifier: 'xiaojun', secretKey: TEST_SECRET_KEY }
    expect(verifyUserSig(VECTOR_USERSIG, { ...expected, now: 1700000000 + 15552000 }).ok).toBe(true)
    expect(verifyUserSig(VECTOR_USERSIG, { ...expected, now: 1700000000 + 15552001 })).toMatchObject({ ok: false, code: 70001 })
  })

  it('refuses characters outside the UserSig alphabet instead of skipping them', () => {
    expect(decodeUserSig(`${VECTOR_USERSIG.slice(0, 20)}!${VECTOR_USERSIG.slice(20)}`)).toBeNull()
  })
})

describe('the envelope', () => {
  it('answers HTTP 200 with JSON and ActionStatus OK on success', async () => {
    const emulator = await startEmulator()
    const response = await send(emulator, GET_ALL)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, Robot_Account: [] })
  })

  it('answers HTTP 200 with ActionStatus FAIL and the code on failure', async () => {
    const emulator = await startEmulator()
    const envelope = await call(emulator, DELETE, { Robot_Account: '@RBT#none' })
    expect(envelope).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 10004 })
    expect(envelope.ErrorInfo).not.toBe('')
  })

  it('adds ErrorDisplay to profile answers only', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    expect(await call(emulator, PORTRAIT_GET, { To_Account: ['@RBT#1'], TagList: ['Tag_Profile_IM_Nick'] })).toHaveProperty('ErrorDisplay', '')
    expect(await call(emulator, GET_ALL)).not.toHaveProperty('ErrorDisplay')
  })
})

describe('routing', () => {
  it('answers 60009 for a path that is no API', async () => {
    const emulator = await startEmulator()
    const response = await fetch(`${emulator.url}/somewhere`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(200)
    expect(((await response.json()) as Envelope).ErrorCode).toBe(60009)
  })

  it('answers 60009 for an unknown command of a known service', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, 'openim_robot_http_svc/create_robots')).toBe(60009)
  })

  it('answers 60002 to a GET', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, undefined, { method: 'GET' })).toBe(60002)
  })
})

describe('URL checks', () => {
  it('answers 60012 when sdkappid is missing', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { sdkappid: undefined } })).toBe(60012)
  })

  it('answers 70016 for another SDKAppID', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { sdkappid: '1400000001' } })).toBe(70016)
  })

  it.each([
    ['missing', undefined],
    ['empty', '']
  ])('answers 70002 when usersig is %s', async (_, usersig) => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { usersig } })).toBe(70002)
  })

  it.each([
    ['not base64', 'not*base64!'],
    ['not zlib', Buffer.from('plain text').toString('base64').replace(/=/g, '_')],
    ['not JSON inside', pack('some plain text')],
    ['JSON without the signed fields', pack(JSON.stringify({ 'TLS.identifier': TEST_ADMIN }))]
  ])('answers 70003 for a UserSig that is %s', async (_, usersig) => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { usersig } })).toBe(70003)
  })

  it('answers 70014 for a UserSig signed for another SDKAppID', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { usersig: sign(TEST_ADMIN, { sdkappid: 1400000001 }) } })).toBe(70014)
  })

  it("answers 70013 when identifier differs from the UserSig's", async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { usersig: sign('xiaojun') } })).toBe(70013)
  })

  it('answers 70009 for a UserSig signed with another key', async () => {
    const emulator = await startEmulator()
    const otherKey = 'f'.repeat(64)
    expect(await code(emulator, GET_ALL, {}, { query: { usersig: sign(TEST_ADMIN, { key: otherKey }) } })).toBe(70009)
  })

  it('answers 70001 for an expired UserSig', async () => {
    const emulator = await startEmulator({ now: () => Math.floor(Date.now() / 1000) + 86401 })
    expect(await code(emulator, GET_ALL, {}, { query: { usersig: sign(TEST_ADMIN, { expire: 86400 }) } })).toBe(70001)
  })

  it('accepts the reference UserSig when the clock says it is still valid', async () => {
    const emulator = await startEmulator({ admins: ['xiaojun'], now: () => 1700000100 })
    expect(await code(emulator, GET_ALL, {}, { query: { identifier: 'xiaojun', usersig: VECTOR_USERSIG } })).toBe(0)
  })

  it('answers 60010 when a correctly signed identifier is not an app admin', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { identifier: 'xiaojun', usersig: sign('xiaojun') } })).toBe(60010)
  })

  it('accepts any identifier listed in admins', async () => {
    const emulator = await startEmulator({ admins: ['administrator', 'ops'] })
    expect(await code(emulator, GET_ALL, {}, { query: { identifier: 'ops', usersig: sign('ops') } })).toBe(0)
  })

  it.each([
    ['missing', undefined],
    ['not json', 'xml']
  ])('answers 60025 when contenttype is %s', async (_, contenttype) => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { contenttype } })).toBe(60025)
  })

  it.each([
    ['missing', undefined],
    ['negative', '-1'],
    ['not an integer', '1.5'],
    ['not a number', 'abc'],
    ['over 4294967295', '4294967296']
  ])('answers 60025 when random is %s', async (_, random) => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { random } })).toBe(60025)
  })

  it.each(['0', '4294967295'])('accepts random %s', async random => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, {}, { query: { random } })).toBe(0)
  })

  it("reports the first failing check in the vendor's order", async () => {
    const emulator = await startEmulator()
    // Wrong SDKAppID, no UserSig, no contenttype: the SDKAppID is reported.
    expect(await code(emulator, GET_ALL, {}, { query: { sdkappid: '1', usersig: undefined, contenttype: undefined } })).toBe(70016)
    // Bad UserSig and bad contenttype: the UserSig is reported.
    expect(await code(emulator, GET_ALL, {}, { query: { usersig: sign('xiaojun'), contenttype: 'xml' } })).toBe(70013)
  })
})

describe('request bodies', () => {
  it('answers 60002 to an empty body', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, undefined, { raw: '' })).toBe(60002)
  })

  it('answers 60003 to a body that is not JSON', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, GET_ALL, undefined, { raw: '{"UserID":' })).toBe(60003)
  })
})

describe('create_robot', () => {
  it('creates a chatbot with its profile', async () => {
    const emulator = await startEmulator()
    const robot = { UserID: '@RBT#001', Nick: 'Jarvis', FaceUrl: 'www.example.com/head.jpg', SelfSignature: 'hello, world' }
    expect(await call(emulator, CREATE, robot)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
    expect(emulator.robots()).toEqual([robot])
  })

  it('creates one chatbot for a repeated UserID and keeps the first profile', async () => {
    const emulator = await startEmulator()
    await call(emulator, CREATE, { UserID: '@RBT#001', Nick: 'Jarvis' })
    expect(await code(emulator, CREATE, { UserID: '@RBT#001', Nick: 'Friday' })).toBe(0)
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#001', Nick: 'Jarvis' }])
  })

  it('updates the profile on a repeated UserID when createUpdatesProfile is set', async () => {
    const emulator = await startEmulator({ createUpdatesProfile: true })
    await call(emulator, CREATE, { UserID: '@RBT#001', Nick: 'Jarvis', FaceUrl: 'a.png' })
    await call(emulator, CREATE, { UserID: '@RBT#001', Nick: 'Friday' })
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#001', Nick: 'Friday', FaceUrl: 'a.png' }])
  })

  it('ignores body keys it does not know', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, { UserID: '@RBT#001', Gender: 'x' })).toBe(0)
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#001' }])
  })

  it.each([
    ['missing', {}],
    ['not a string', { UserID: 1 }],
    ['without the @RBT# prefix', { UserID: 'RBT#001' }],
    ['33 bytes long', { UserID: `@RBT#${bytesOf(28)}` }],
    ['33 bytes of UTF-8 in fewer characters', { UserID: `@RBT#${'客'.repeat(9)}a` }]
  ])('answers 10004 when UserID is %s', async (_, body) => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, body)).toBe(10004)
    expect(emulator.robots()).toEqual([])
  })

  it('accepts a UserID of exactly 32 bytes', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, { UserID: `@RBT#${'客'.repeat(9)}` })).toBe(0)
  })

  it.each(['Nick', 'FaceUrl', 'SelfSignature'])('answers 10004 when %s is not a string', async field => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, { UserID: '@RBT#001', [field]: 7 })).toBe(10004)
    expect(emulator.robots()).toEqual([])
  })

  it.each(['Nick', 'FaceUrl', 'SelfSignature'])('answers 40601 when %s is over 500 bytes', async field => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, { UserID: '@RBT#001', [field]: bytesOf(167, '字') })).toBe(40601)
    expect(emulator.robots()).toEqual([])
  })

  it('accepts profile fields of exactly 500 bytes', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, CREATE, { UserID: '@RBT#001', Nick: bytesOf(500), SelfSignature: bytesOf(500) })).toBe(0)
  })

  it('answers 10008 for the 21st chatbot', async () => {
    const emulator = await startEmulator()
    emulator.seed(Array.from({ length: 20 }, (_, i) => ({ UserID: `@RBT#${i}` })))
    expect(await code(emulator, CREATE, { UserID: '@RBT#new' })).toBe(10008)
    expect(emulator.robots()).toHaveLength(20)
  })

  it('still answers OK for an existing chatbot when the limit is reached', async () => {
    const emulator = await startEmulator({ robotLimit: 1 })
    await call(emulator, CREATE, { UserID: '@RBT#1' })
    expect(await code(emulator, CREATE, { UserID: '@RBT#1' })).toBe(0)
  })

  it('answers 70398 past the account limit, counting deleted chatbots', async () => {
    const emulator = await startEmulator({ accountLimit: 2 })
    emulator.seed([{ UserID: '@RBT#live' }, { UserID: '@RBT#gone', deleted: true }])
    expect(await code(emulator, CREATE, { UserID: '@RBT#new' })).toBe(70398)
  })

  it('answers 10004 for the UserID of a deleted chatbot, which stays reserved', async () => {
    const emulator = await startEmulator()
    await call(emulator, CREATE, { UserID: '@RBT#001' })
    await call(emulator, DELETE, { Robot_Account: '@RBT#001' })
    const envelope = await call(emulator, CREATE, { UserID: '@RBT#001' })
    expect(envelope.ErrorCode).toBe(10004)
    expect(envelope.ErrorInfo).toMatch(/reserved/)
    expect(emulator.robots()).toEqual([])
  })
})

describe('get_all_robots', () => {
  it('lists the live chatbots in creation order', async () => {
    const emulator = await startEmulator()
    for (const id of ['@RBT#b', '@RBT#a', '@RBT#c']) await call(emulator, CREATE, { UserID: id })
    await call(emulator, DELETE, { Robot_Account: '@RBT#a' })
    expect((await call(emulator, GET_ALL)).Robot_Account).toEqual(['@RBT#b', '@RBT#c'])
  })
})

describe('delete_robot', () => {
  it('deletes a chatbot and keeps its UserID as deleted', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1', Nick: 'One' }, { UserID: '@RBT#2' }])
    expect(await code(emulator, DELETE, { Robot_Account: '@RBT#1' })).toBe(0)
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#2' }])
    expect(emulator.deleted()).toEqual(['@RBT#1'])
  })

  it.each([
    ['unknown', { Robot_Account: '@RBT#none' }],
    ['missing', {}],
    ['not a string', { Robot_Account: ['@RBT#1'] }]
  ])('answers 10004 when Robot_Account is %s', async (_, body) => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    expect(await code(emulator, DELETE, body)).toBe(10004)
    expect(emulator.robots()).toHaveLength(1)
  })

  it('answers 10004 for a chatbot deleted before', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1', deleted: true }])
    expect(await code(emulator, DELETE, { Robot_Account: '@RBT#1' })).toBe(10004)
  })
})

describe('portrait_get', () => {
  it('returns the requested tags that are set, per account', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1', Nick: 'One', SelfSignature: 'hi' }])
    const envelope = await call(emulator, PORTRAIT_GET, {
      To_Account: ['@RBT#1'],
      TagList: ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Image']
    })
    expect(envelope).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 })
    expect(envelope.UserProfileItem).toEqual([
      { To_Account: '@RBT#1', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'One' }], ResultCode: 0, ResultInfo: '' }
    ])
  })

  it('answers 40003 for an unknown account inside an OK answer', async () => {
    const emulator = await startEmulator()
    emulator.seed([
      { UserID: '@RBT#1', Nick: 'One' },
      { UserID: '@RBT#gone', Nick: 'Gone', deleted: true }
    ])
    const envelope = await call(emulator, PORTRAIT_GET, { To_Account: ['@RBT#none', '@RBT#gone', '@RBT#1'], TagList: ['Tag_Profile_IM_Nick'] })
    expect(envelope.ErrorCode).toBe(0)
    expect((envelope.UserProfileItem as Array<{ ResultCode: number }>).map(item => item.ResultCode)).toEqual([40003, 40003, 0])
  })

  it('answers 40009 for an unknown tag', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    expect(await code(emulator, PORTRAIT_GET, { To_Account: ['@RBT#1'], TagList: ['Tag_Profile_IM_Gender2'] })).toBe(40009)
  })

  it.each([
    ['no accounts', { To_Account: [], TagList: ['Tag_Profile_IM_Nick'] }],
    ['101 accounts', { To_Account: Array.from({ length: 101 }, (_, i) => `@RBT#${i}`), TagList: ['Tag_Profile_IM_Nick'] }],
    ['a string for To_Account', { To_Account: '@RBT#1', TagList: ['Tag_Profile_IM_Nick'] }],
    ['no TagList', { To_Account: ['@RBT#1'] }]
  ])('answers 40001 for %s', async (_, body) => {
    const emulator = await startEmulator()
    expect(await code(emulator, PORTRAIT_GET, body)).toBe(40001)
  })

  it('accepts 100 accounts', async () => {
    const emulator = await startEmulator()
    const accounts = Array.from({ length: 100 }, (_, i) => `@RBT#${i}`)
    expect(await code(emulator, PORTRAIT_GET, { To_Account: accounts, TagList: ['Tag_Profile_IM_Nick'] })).toBe(0)
  })
})

describe('portrait_set', () => {
  it('sets profile tags of a chatbot', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1', Nick: 'Old', FaceUrl: 'a.png' }])
    expect(
      await code(emulator, PORTRAIT_SET, {
        From_Account: '@RBT#1',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'New' },
          { Tag: 'Tag_Profile_IM_SelfSignature', Value: 'hi' }
        ]
      })
    ).toBe(0)
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#1', Nick: 'New', FaceUrl: 'a.png', SelfSignature: 'hi' }])
  })

  it('answers 40003 for an unknown account', async () => {
    const emulator = await startEmulator()
    expect(await code(emulator, PORTRAIT_SET, { From_Account: '@RBT#none', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'x' }] })).toBe(40003)
  })

  it('answers 40009 for a tag that is not Nick, Image or SelfSignature', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    expect(await code(emulator, PORTRAIT_SET, { From_Account: '@RBT#1', ProfileItem: [{ Tag: 'Tag_Profile_IM_Gender', Value: 'x' }] })).toBe(40009)
  })

  it('answers 40001 for a value that is not a string', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    expect(await code(emulator, PORTRAIT_SET, { From_Account: '@RBT#1', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 5 }] })).toBe(40001)
  })

  it('answers 40601 for a value over 500 bytes and changes nothing', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1', Nick: 'Old' }])
    expect(
      await code(emulator, PORTRAIT_SET, {
        From_Account: '@RBT#1',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'New' },
          { Tag: 'Tag_Profile_IM_Image', Value: bytesOf(501) }
        ]
      })
    ).toBe(40601)
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#1', Nick: 'Old' }])
  })
})

describe('the call log', () => {
  it('records every call with its command, body, query, time and code', async () => {
    const emulator = await startEmulator()
    const before = Date.now()
    await call(emulator, CREATE, { UserID: '@RBT#1' }, { query: { random: '42' } })
    expect(emulator.calls).toEqual([
      {
        command: 'create_robot',
        service: 'openim_robot_http_svc',
        body: { UserID: '@RBT#1' },
        query: expect.objectContaining({ sdkappid: String(TEST_SDKAPPID), identifier: TEST_ADMIN, random: '42', contenttype: 'json' }),
        at: expect.any(Number),
        answeredAt: expect.any(Number),
        connection: 1,
        code: 0
      }
    ])
    expect(emulator.calls[0].at).toBeGreaterThanOrEqual(before)
    expect(emulator.calls[0].answeredAt).toBeGreaterThanOrEqual(emulator.calls[0].at)
    expect(emulator.connections).toEqual([{ id: 1, openedAt: expect.any(Number) }])
  })

  it('numbers the connections in opening order and records which one each call came on', async () => {
    const emulator = await startEmulator()
    const first = call(emulator, GET_ALL)
    const second = call(emulator, GET_ALL)
    await Promise.all([first, second])
    expect(emulator.connections.map(c => c.id)).toEqual([1, 2])
    expect(new Set(emulator.calls.map(c => c.connection))).toEqual(new Set([1, 2]))
    emulator.reset()
    expect(emulator.connections).toEqual([])
  })

  it('lists create_robot, delete_robot and portrait_set as writes', async () => {
    const emulator = await startEmulator()
    await call(emulator, CREATE, { UserID: '@RBT#1' })
    await call(emulator, GET_ALL)
    await call(emulator, PORTRAIT_GET, { To_Account: ['@RBT#1'], TagList: ['Tag_Profile_IM_Nick'] })
    await call(emulator, PORTRAIT_SET, { From_Account: '@RBT#1', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'x' }] })
    await call(emulator, DELETE, { Robot_Account: '@RBT#1' })
    expect(emulator.writes().map(write => write.command)).toEqual(['create_robot', 'portrait_set', 'delete_robot'])
  })

  it('forgets robots, calls and faults on reset', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }, { UserID: '@RBT#2', deleted: true }])
    emulator.inject({ kind: 'code', code: 70500 })
    await call(emulator, GET_ALL)
    emulator.inject({ kind: 'code', code: 70500 })
    emulator.reset()
    expect([emulator.robots(), emulator.deleted(), emulator.calls, emulator.pendingFaults]).toEqual([[], [], [], 0])
    expect(await code(emulator, GET_ALL)).toBe(0)
  })
})

describe('rate limiting', () => {
  /** A clock the test moves by hand, so no assertion depends on how fast the machine is. */
  function frozenClock(): { nowMs: () => number; advance: (ms: number) => void } {
    let ms = 1_700_000_000_000
    return {
      nowMs: () => ms,
      advance: by => {
        ms += by
      }
    }
  }

  it('answers 60007 to calls of one command past the limit within a second', async () => {
    const emulator = await startEmulator({ rateLimitPerSecond: 3, nowMs: frozenClock().nowMs })
    const codes = []
    for (let i = 0; i < 5; i++) codes.push(await code(emulator, GET_ALL))
    expect(codes).toEqual([0, 0, 0, 60007, 60007])
    expect(emulator.rateLimited).toBe(2)
  })

  it('limits each command on its own', async () => {
    const emulator = await startEmulator({ rateLimitPerSecond: 1, nowMs: frozenClock().nowMs })
    expect(await code(emulator, GET_ALL)).toBe(0)
    expect(await code(emulator, CREATE, { UserID: '@RBT#1' })).toBe(0)
    expect(await code(emulator, GET_ALL)).toBe(60007)
  })

  it('admits calls again once the window has slid past', async () => {
    const clock = frozenClock()
    const emulator = await startEmulator({ rateLimitPerSecond: 1, nowMs: clock.nowMs })
    expect(await code(emulator, GET_ALL)).toBe(0)
    clock.advance(999)
    expect(await code(emulator, GET_ALL)).toBe(60007)
    clock.advance(1)
    expect(await code(emulator, GET_ALL)).toBe(0)
  })

  it('allows 200 calls of a command per second by default and refuses the 201st', async () => {
    const emulator = await startEmulator({ nowMs: frozenClock().nowMs })
    const codes = await codesOfMany(emulator, GET_ALL, 201)
    expect(codes.filter(c => c === 60007)).toHaveLength(1)
  })

  it('counts the most calls within any 1000 ms, per command or overall', async () => {
    const clock = frozenClock()
    const emulator = await startEmulator({ nowMs: clock.nowMs })
    await call(emulator, GET_ALL)
    clock.advance(500)
    await call(emulator, GET_ALL)
    await call(emulator, CREATE, { UserID: '@RBT#1' })
    clock.advance(500)
    await call(emulator, GET_ALL)
    expect(emulator.maxCallsInAnyWindow('get_all_robots')).toBe(2)
    expect(emulator.maxCallsInAnyWindow('create_robot')).toBe(1)
    expect(emulator.maxCallsInAnyWindow()).toBe(3)
    expect(emulator.maxCallsInAnyWindow('delete_robot')).toBe(0)
  })
})

describe('latency', () => {
  it('adds latencyMs to every answer', async () => {
    const emulator = await startEmulator({ latencyMs: 60 })
    await call(emulator, GET_ALL)
    // Timed on a warm connection, so that the latency is what makes the wait.
    const started = Date.now()
    await call(emulator, GET_ALL)
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
  })
})

describe('fault injection', () => {
  it('answers an injected code without changing anything', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'code', code: 10002, info: 'internal error' })
    expect(await call(emulator, CREATE, { UserID: '@RBT#1' })).toEqual({ ActionStatus: 'FAIL', ErrorInfo: 'internal error', ErrorCode: 10002 })
    expect(emulator.robots()).toEqual([])
    expect(emulator.calls[0]).toMatchObject({ code: 10002, fault: 'code' })
  })

  it('uses a fault once by default', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'code', code: 70500 })
    expect(await code(emulator, GET_ALL)).toBe(70500)
    expect(await code(emulator, GET_ALL)).toBe(0)
  })

  it('uses a fault the given number of times, or forever', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'code', code: 70500, times: 2, command: 'get_all_robots' })
    emulator.inject({ kind: 'code', code: 60008, times: Infinity, command: 'delete_robot' })
    expect([await code(emulator, GET_ALL), await code(emulator, GET_ALL), await code(emulator, GET_ALL)]).toEqual([70500, 70500, 0])
    for (let i = 0; i < 5; i++) expect(await code(emulator, DELETE, { Robot_Account: '@RBT#1' })).toBe(60008)
  })

  it('applies a fault only to the command and account it matches', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'code', code: 10002, command: 'create_robot', userId: '@RBT#2' })
    expect(await code(emulator, GET_ALL)).toBe(0)
    expect(await code(emulator, CREATE, { UserID: '@RBT#1' })).toBe(0)
    expect(await code(emulator, CREATE, { UserID: '@RBT#2' })).toBe(10002)
    expect(emulator.robots().map(robot => robot.UserID)).toEqual(['@RBT#1'])
  })

  it('matches userId against Robot_Account, From_Account and To_Account too', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    emulator.inject({ kind: 'code', code: 40006, userId: '@RBT#1', times: 3 })
    expect(await code(emulator, PORTRAIT_GET, { To_Account: ['@RBT#0', '@RBT#1'], TagList: ['Tag_Profile_IM_Nick'] })).toBe(40006)
    expect(await code(emulator, PORTRAIT_SET, { From_Account: '@RBT#1', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'x' }] })).toBe(40006)
    expect(await code(emulator, DELETE, { Robot_Account: '@RBT#1' })).toBe(40006)
  })

  it('uses the first matching fault in injection order', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'code', code: 1, command: 'delete_robot' })
    emulator.inject({ kind: 'code', code: 2 })
    emulator.inject({ kind: 'code', code: 3 })
    expect(await code(emulator, GET_ALL)).toBe(2)
    expect(await code(emulator, GET_ALL)).toBe(3)
    expect(emulator.pendingFaults).toBe(1)
  })

  it('refuses a fault with a key it does not know', async () => {
    const emulator = await startEmulator()
    expect(() => emulator.inject({ kind: 'code', code: 1, UserID: '@RBT#1' } as never)).toThrow(/does not take UserID/)
  })

  it('answers a gateway error page for an http fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'http', status: 502 })
    const response = await send(emulator, CREATE, { UserID: '@RBT#1' })
    expect(response.status).toBe(502)
    expect(await response.text()).toMatch(/<html>/)
    expect(emulator.robots()).toEqual([])
    expect(emulator.calls[0]).toMatchObject({ code: null, fault: 'http' })
  })

  it('sends the given body with an http fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'http', status: 504, body: 'gateway timeout' })
    const response = await send(emulator, GET_ALL)
    expect([response.status, await response.text()]).toEqual([504, 'gateway timeout'])
  })

  it("echoes the request's usersig, whole or cut, in a code's info and an http body", async () => {
    const emulator = await startEmulator()
    const usersig = sign()
    emulator.inject({ kind: 'code', code: 70003, info: 'bad sig {{usersig:0:80}}… for {{identifier}}' })
    emulator.inject({ kind: 'http', status: 502, body: '<p>{{usersig:-40}}</p><p>{{usersig}}</p>' })
    expect((await call(emulator, CREATE, { UserID: '@RBT#1' }, { query: { usersig } })).ErrorInfo).toBe(`bad sig ${usersig.slice(0, 80)}… for ${TEST_ADMIN}`)
    expect(await (await send(emulator, CREATE, { UserID: '@RBT#1' }, { query: { usersig } })).text()).toBe(`<p>${usersig.slice(-40)}</p><p>${usersig}</p>`)
  })

  it('refuses an echo of something that is not a query parameter', async () => {
    const emulator = await startEmulator()
    expect(() => emulator.inject({ kind: 'code', code: 1, info: '{{secretKey}}' })).toThrow(/echoes \{\{secretKey\}\}, which is not one of sdkappid/)
  })

  it('cuts the body short of its Content-Length for a truncated fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'truncated' })
    const response = await send(emulator, GET_ALL)
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })

  it('answers HTTP 200 with the given body for an answer fault, changing nothing', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'answer', json: { ActionStatus: 'FAIL', ErrorCode: 0, ErrorInfo: '' } })
    expect(await call(emulator, CREATE, { UserID: '@RBT#1' })).toEqual({ ActionStatus: 'FAIL', ErrorCode: 0, ErrorInfo: '' })
    expect(emulator.robots()).toEqual([])
    expect(emulator.calls[0]).toMatchObject({ code: null, fault: 'answer' })
  })

  it('refuses an answer fault whose json is not an object', async () => {
    const emulator = await startEmulator()
    expect(() => emulator.inject({ kind: 'answer', json: [] as never })).toThrow(/fault.json must be a JSON object/)
  })

  it('answers HTTP 200 with HTML for a non-json fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'non-json' })
    const response = await send(emulator, GET_ALL)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).toMatch(/^<html>/)
    expect(() => JSON.parse(text) as unknown).toThrow()
  })

  it('drops the connection for a reset fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'reset' })
    await expect(send(emulator, GET_ALL)).rejects.toThrow()
    expect(emulator.calls[0]).toMatchObject({ code: null, fault: 'reset' })
  })

  it('never answers for a hang fault, and stop() still ends it', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'hang' })
    const hung = send(emulator, GET_ALL)
    const outcome = await Promise.race([
      hung.then(
        () => 'answered',
        () => 'failed'
      ),
      new Promise(resolve => setTimeout(resolve, 100, 'waiting'))
    ])
    expect(outcome).toBe('waiting')
    await emulator.stop()
    await expect(hung).rejects.toThrow()
  })

  it('answers normally after the delay of a delay fault, having applied the command on arrival', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'delay', ms: 300 })
    const started = Date.now()
    const answer = call(emulator, CREATE, { UserID: '@RBT#1' })
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#1' }])
    expect((await answer).ErrorCode).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(emulator.calls[0]).toMatchObject({ code: 0, fault: 'delay' })
  })

  it('answers a 302 to the redirect target for a redirect fault', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'redirect' })
    const response = await send(emulator, GET_ALL, {}, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${emulator.url}${REDIRECT_TARGET}`)
    expect(emulator.followedRedirects).toBe(0)
  })

  it('counts a client that follows the redirect', async () => {
    const emulator = await startEmulator()
    emulator.inject({ kind: 'redirect', status: 307 })
    await send(emulator, GET_ALL, {}, { redirect: 'follow' })
    expect(emulator.followedRedirects).toBe(1)
    expect(emulator.calls).toHaveLength(1)
  })
})

describe('the control API', () => {
  async function control(emulator: VendorEmulator, method: string, action: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${emulator.url}/__emulator/${action}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: response.status, json: (await response.json()) as Record<string, unknown> }
  }

  it('shows robots, deleted UserIDs and calls, with UserSigs redacted', async () => {
    const emulator = await startEmulator()
    emulator.seed([
      { UserID: '@RBT#1', Nick: 'One' },
      { UserID: '@RBT#2', deleted: true }
    ])
    await call(emulator, GET_ALL)
    const { status, json } = await control(emulator, 'GET', 'state')
    expect(status).toBe(200)
    expect(json).toMatchObject({ robots: [{ UserID: '@RBT#1', Nick: 'One' }], deleted: ['@RBT#2'], rateLimited: 0, followedRedirects: 0 })
    expect(json.calls).toEqual([expect.objectContaining({ command: 'get_all_robots', code: 0, query: expect.objectContaining({ usersig: '<redacted>' }) })])
  })

  it('does not record its own requests as calls', async () => {
    const emulator = await startEmulator()
    await control(emulator, 'GET', 'state')
    expect(emulator.calls).toEqual([])
  })

  it('injects a fault, with "Infinity" for times', async () => {
    const emulator = await startEmulator()
    expect((await control(emulator, 'POST', 'faults', { kind: 'code', code: 70500, times: 'Infinity' })).status).toBe(200)
    expect([await code(emulator, GET_ALL), await code(emulator, GET_ALL)]).toEqual([70500, 70500])
  })

  it('answers 400 for a malformed fault', async () => {
    const emulator = await startEmulator()
    const { status, json } = await control(emulator, 'POST', 'faults', { kind: 'explode' })
    expect(status).toBe(400)
    expect(json.error).toMatch(/fault.kind/)
  })

  it('seeds robots', async () => {
    const emulator = await startEmulator()
    await control(emulator, 'POST', 'seed', [{ UserID: '@RBT#1', Nick: 'One' }])
    expect(emulator.robots()).toEqual([{ UserID: '@RBT#1', Nick: 'One' }])
  })

  it('resets the state', async () => {
    const emulator = await startEmulator()
    emulator.seed([{ UserID: '@RBT#1' }])
    await call(emulator, GET_ALL)
    await control(emulator, 'POST', 'reset')
    expect([emulator.robots(), emulator.calls]).toEqual([[], []])
  })

  it('answers 404 for an unknown action', async () => {
    const emulator = await startEmulator()
    expect((await control(emulator, 'DELETE', 'state')).status).toBe(404)
  })
})

describe('the command line', () => {
  it('prints the URL and credentials, serves seeded robots and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'))
    const seedFile = join(dir, 'robots.json')
    writeFileSync(seedFile, JSON.stringify([{ UserID: '@RBT#seeded', Nick: 'Seed' }]))
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--seed', seedFile], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise<number | null>(resolve => child.on('exit', exitCode => resolve(exitCode)))
    try {
      const printed: string[] = []
      let url: string | undefined
      for await (const line of createInterface({ input: child.stdout })) {
        printed.push(line)
        const match = /^EMULATOR_URL=(.+)$/.exec(line)
        if (match !== null) {
          url = match[1]
          break
        }
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(printed.join('\n')).toContain(TEST_SECRET_KEY)
      expect(printed.join('\n')).toContain(String(TEST_SDKAPPID))
      const state = (await (await fetch(`${url}/__emulator/state`)).json()) as { robots: unknown }
      expect(state.robots).toEqual([{ UserID: '@RBT#seeded', Nick: 'Seed' }])
    } finally {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
    expect(await exited).toBe(0)
  })
})

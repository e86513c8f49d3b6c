/**
 * The build (scripts/build.ts): the licences dist/ carries, and what the parts of
 * @actions/core that it loads on first use still do when they are called.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIST, ENTRY_POINTS, NOTICE_FILE, ROOT, bundle, type Bundle } from '../../scripts/build.js'

let built: Bundle
beforeAll(async () => {
  built = await bundle(ENTRY_POINTS, 'dist')
})

describe('the notice file dist/licenses.txt', () => {
  const notice = (): string => readFileSync(join(DIST, NOTICE_FILE), 'utf8')

  it('is the one the build writes', () => {
    expect(notice()).toBe(new TextDecoder().decode(built.files.get(NOTICE_FILE)))
  })

  it('names every package with code in the bundle, with the text of its licence file', () => {
    expect(built.packages.map(pkg => pkg.name)).toEqual(expect.arrayContaining(['@actions/core', '@octokit/core', 'yaml', 'undici']))
    // One block per licence text: the packages it covers, a blank line, the text.
    const blocks = notice().split(`${'='.repeat(80)}\n`)
    for (const pkg of built.packages) {
      expect(pkg.licenseText.length).toBeGreaterThan(100)
      const block = blocks.find(b => b.split('\n\n')[0].split('\n').includes(`${pkg.name} ${pkg.version} (${pkg.license}), from ${pkg.licenseFile}`))
      expect({ pkg: pkg.name, text: block?.slice(block.indexOf('\n\n') + 2).trimEnd() }).toEqual({ pkg: pkg.name, text: pkg.licenseText })
    }
  })

  it('lists production dependencies only: no development tool is bundled', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> }
    for (const pkg of built.packages) {
      const entries = Object.entries(lock.packages).filter(([path, entry]) => path.endsWith(`node_modules/${pkg.name}`) && entry.version === pkg.version)
      expect({ pkg: pkg.name, production: entries.some(([, entry]) => !entry.dev) }).toEqual({ pkg: pkg.name, production: true })
    }
  })

  it('keeps every licence comment of the bundled code', () => {
    const comments: string[] = []
    for (const input of Object.keys(built.metafile.inputs).filter(path => path.startsWith('node_modules/'))) {
      const code = readFileSync(join(ROOT, input), 'utf8')
      // What esbuild counts as a legal comment: /*! or //!, or one that mentions @license or @preserve.
      for (const match of code.matchAll(/\/\*![\s\S]*?\*\/|\/\/!.*|\/\*(?:(?!\*\/)[\s\S])*@(?:license|preserve)[\s\S]*?\*\//g)) comments.push(match[0])
    }
    expect(comments.length).toBeGreaterThan(0)
    for (const comment of comments) {
      for (const line of comment
        .split('\n')
        .map(text =>
          text
            .replace(/^\s*(\/\*!?|\/\/!|\*\/|\*)?/, '')
            .replace(/\*\/\s*$/, '')
            .trim()
        )
        .filter(Boolean)) {
        expect(notice()).toContain(line)
      }
    }
  })
})

describe('the require that CommonJS code in the bundle needs', () => {
  const js = (): Array<[string, string]> =>
    [...built.files].filter(([name]) => name.endsWith('.js')).map(([name, contents]) => [name, new TextDecoder().decode(contents)])
  // After the #! line of an entry that has one.
  const defines = (code: string): boolean =>
    code.replace(/^#![^\n]*\n/, '').startsWith("import{createRequire as __createRequire}from'node:module';const require=__createRequire(")

  it('is defined in every file that says require, and only there', () => {
    const files = js()
    expect(files.length).toBeGreaterThan(5)
    for (const [name, code] of files) {
      const says = /\brequire\b/.test(defines(code) ? code.slice(code.indexOf(';const require=') + 15) : code)
      expect([name, defines(code)]).toEqual([name, says])
    }
    // esbuild's require helper (through which undici and tunnel require node's modules) is in one of them.
    expect(files.filter(([, code]) => defines(code)).length).toBeGreaterThan(0)
  })
})

describe("@actions/core's parts loaded on first use (oidc-utils.js, platform.js)", () => {
  const PROBE = join(ROOT, '__tests__', 'fixtures', 'core-probe.mjs')
  const REQUEST_TOKEN = 'probe-request-token'
  const ID_TOKEN = 'probe-id-token-0123456789'
  let server: Server
  let requests: Array<{ url: string; authorization: string | undefined }>
  let tokenUrl: string
  let bundled: string

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ value: ID_TOKEN }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`
    bundled = await mkdtemp(join(tmpdir(), 'ccr-probe-'))
    const { files } = await bundle([PROBE], bundled)
    for (const [name, contents] of files) await writeFile(join(bundled, name), contents)
    await writeFile(join(bundled, 'package.json'), '{"type":"module"}\n')
  })
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve))
    await rm(bundled, { recursive: true, force: true })
  })

  async function probe(script: string): Promise<string> {
    requests = []
    const child = spawn(process.execPath, [script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const code = await new Promise(resolve => child.on('close', resolve))
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    return stdout
  }

  it('are split out of the bundle, each in a chunk of its own', () => {
    const names = [...built.files.keys()]
    expect(names.filter(name => /^(oidc-utils|platform)-\w+\.js$/.test(name))).toHaveLength(2)
  })

  it('keep the whole API: the bundle prints what the unbundled package prints', async () => {
    const unbundled = await probe(PROBE)
    expect(await probe(join(bundled, 'core-probe.js'))).toBe(unbundled)
  })

  it('getIDToken asks the runner for a token, with the request token, and masks it', async () => {
    const stdout = await probe(join(bundled, 'core-probe.js'))
    expect(stdout).toContain(JSON.stringify({ getIDToken: { value: ID_TOKEN } }))
    expect(stdout).toContain(`::add-mask::${ID_TOKEN}`)
    expect(requests).toEqual([{ url: '/token?api-version=2.0&audience=probe-audience', authorization: `Bearer ${REQUEST_TOKEN}` }])
  })

  it('core.platform keeps its constants and getDetails', async () => {
    const first = JSON.parse((await probe(join(bundled, 'core-probe.js'))).split('\n').find(line => line.startsWith('{"exports"')) ?? '{}') as {
      exports: string[]
      platform: Record<string, unknown>
    }
    expect(first.exports).toEqual(expect.arrayContaining(['getIDToken', 'platform', 'summary', 'getInput']))
    expect(first.platform).toEqual({
      platform: process.platform,
      arch: process.arch,
      isWindows: process.platform === 'win32',
      isMacOS: process.platform === 'darwin',
      isLinux: process.platform === 'linux',
      getDetails: 'function'
    })
  })
})

/**
 * What the built action loads at start-up. Every run pays for it, and an upgrade of
 * @actions/core could silently bring back what the build keeps out: its OIDC client
 * (@actions/http-client, undici, tunnel) and platform helper (@actions/exec).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DIST, ENTRY_POINTS, bundle, type Bundle } from '../../scripts/build.js'
import { results, runAction } from '../../emulator/runner.js'

/** Loaded only when a function that needs them is called; never by an offline dry run. */
const LOADED_ON_FIRST_USE = ['@actions/exec', '@actions/http-client', '@actions/io', 'tunnel', 'undici']
/** Node's networking and compression: an offline dry run calls no one (the vendor client is loaded when there is an app to call). */
const NETWORK_BUILTINS = ['node:http', 'node:https', 'node:net', 'node:tls', 'node:zlib']

let built: Bundle
let hooks: string
beforeAll(async () => {
  built = await bundle(ENTRY_POINTS, 'dist')
  // A module hook that writes down every module the action imports, as a URL.
  hooks = await mkdtemp(join(tmpdir(), 'ccr-hooks-'))
  await writeFile(
    join(hooks, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  appendFileSync(process.env.CCR_LOAD_TRACE, result.url + '\\n')
  return result
}
`
  )
  await writeFile(join(hooks, 'register.mjs'), "import { register } from 'node:module'\nregister('./hooks.mjs', import.meta.url)\n")
})
afterAll(async () => {
  await rm(hooks, { recursive: true, force: true })
})

/** The packages whose code is in these files of dist/, from the build's metafile. */
function packagesIn(files: string[]): string[] {
  const packages = new Set<string>()
  for (const file of files) {
    for (const input of Object.keys(built.metafile.outputs[`dist/${file}`].inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
      if (match) packages.add(match[1])
    }
  }
  return [...packages].sort()
}

describe('start-up of the built action', () => {
  it('dist/ is what the sources build, so the build metafile describes it', () => {
    const inDist = readdirSync(DIST)
      .filter(name => name.endsWith('.js'))
      .sort()
    expect(inDist).toEqual([...built.files.keys()].filter(name => name.endsWith('.js')).sort())
    for (const name of inDist) {
      expect({ name, same: Buffer.compare(readFileSync(join(DIST, name)), built.files.get(name) ?? Buffer.alloc(0)) === 0 }).toEqual({ name, same: true })
    }
  })

  it('an offline dry run loads @actions/core and yaml, no chunk with undici, @actions/http-client, tunnel or @actions/exec, and no node:http, https or zlib', async () => {
    const trace = join(hooks, `trace-${process.pid}.txt`)
    await writeFile(trace, '')
    const run = await runAction({
      files: { 'robots.yaml': 'robots:\n  - UserID: "@RBT#one"\n    Nick: One\n  - UserID: "@RBT#two"\n    Nick: Two\n' },
      inputs: { 'dry-run': 'true' },
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(hooks, 'register.mjs')).href}`, CCR_LOAD_TRACE: trace }
    })
    expect(run.exitCode).toBe(0)
    expect(results(run).map(r => r.status)).toEqual(['ok', 'ok'])

    const imported = (await readFile(trace, 'utf8')).split('\n')
    const distUrl = pathToFileURL(DIST).href + '/'
    const loaded = [...new Set(imported.filter(url => url.startsWith(distUrl)).map(url => url.slice(distUrl.length)))].sort()
    expect(loaded).toContain('index.js')
    const packages = packagesIn(loaded)
    expect(packages.filter(name => LOADED_ON_FIRST_USE.includes(name))).toEqual([])
    expect(packages).toEqual(['@actions/core', 'yaml'])
    expect(imported).toContain('node:fs')
    expect(imported.filter(url => NETWORK_BUILTINS.includes(url))).toEqual([])
  })

  it('the bundle does hold those packages, in chunks loaded on first use', () => {
    const chunks = [...built.files.keys()].filter(name => name.endsWith('.js'))
    expect(packagesIn(chunks)).toEqual(expect.arrayContaining(LOADED_ON_FIRST_USE))
  })
})

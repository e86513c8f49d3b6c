/**
 * npm run build: bundles src/index.ts into dist/ with esbuild.
 *
 * Built for start-up time, because every run of the action pays it: ESM with code
 * splitting, so code needed only sometimes (the PR comment, the OIDC client) sits in
 * chunks loaded on first use; minified; and @actions/core's OIDC helper and platform
 * module swapped for stubs that import them on first use (see lazyCoreParts).
 *
 * dist/ is emptied first, so no chunk of an older build lingers, and the output is
 * deterministic: CI rebuilds and compares it with the committed dist/.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild'
import { parse } from 'yaml'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const DIST = join(ROOT, 'dist')
export const NOTICE_FILE = 'licenses.txt'
/** The Node that runs the action: `runs.using` in action.yml (node24). */
export const TARGET = (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } }).runs.using
if (!/^node\d+$/.test(TARGET)) throw new Error(`action.yml runs.using is "${TARGET}"; the build expects nodeNN`)

/**
 * @actions/core's core.js imports oidc-utils.js (→ @actions/http-client → undici, tunnel,
 * node's http, https, tls, net, zlib) and platform.js (→ @actions/exec → @actions/io,
 * child_process) at load time, for getIDToken() and core.platform.getDetails(), which the
 * action never calls. Bundlers cannot drop them: those modules are not provably free of
 * side effects, and core's `exports` map blocks deep imports. These stubs keep the API and
 * load the real module by dynamic import() when a function that needs it is called.
 */
const LAZY_STUBS: Record<string, { exports: string[]; stub: string }> = {
  'oidc-utils.js': {
    exports: ['OidcClient'],
    // core.js calls only OidcClient.getIDToken (checked in checkCoreStillFits).
    stub: `export class OidcClient {
  static async getIDToken(audience) {
    const real = await import('./oidc-utils.js')
    return real.OidcClient.getIDToken(audience)
  }
}
`
  },
  'platform.js': {
    exports: ['arch', 'getDetails', 'isLinux', 'isMacOS', 'isWindows', 'platform'],
    // The constants are os calls the real module makes the same way; only getDetails runs programs.
    stub: `import os from 'os'
export const platform = os.platform()
export const arch = os.arch()
export const isWindows = platform === 'win32'
export const isMacOS = platform === 'darwin'
export const isLinux = platform === 'linux'
export async function getDetails() {
  const real = await import('./platform.js')
  return real.getDetails()
}
`
  }
}

const CORE_JS = `${sep}@actions${sep}core${sep}lib${sep}core.js`

/** Fails the build when an upgrade of @actions/core changes what the stubs stand in for. */
async function checkCoreStillFits(coreLib: string): Promise<void> {
  const coreJs = readFileSync(join(coreLib, 'core.js'), 'utf8')
  const oidcUses = new Set([...coreJs.matchAll(/OidcClient\.(\w+)/g)].map(m => m[1]))
  if (oidcUses.size !== 1 || !oidcUses.has('getIDToken')) {
    throw new Error(`@actions/core's core.js now uses OidcClient.${[...oidcUses].join(', OidcClient.')}: update the oidc-utils.js stub in scripts/build.ts`)
  }
  for (const [file, { exports }] of Object.entries(LAZY_STUBS)) {
    const real = Object.keys(await import(pathToFileURL(join(coreLib, file)).href)).sort()
    if (real.join() !== exports.join()) {
      throw new Error(`@actions/core's ${file} now exports ${real.join(', ')}; the stub in scripts/build.ts has ${exports.join(', ')}: update the stub`)
    }
  }
}

/** The esbuild plugin that swaps core's oidc-utils.js and platform.js for LAZY_STUBS. */
export function lazyCoreParts(): Plugin {
  return {
    name: 'lazy-core-parts',
    setup(build) {
      const checked = new Map<string, Promise<void>>()
      build.onResolve({ filter: /^\.\/(oidc-utils|platform)\.js$/ }, async args => {
        // Only core.js's own imports; the stub's import() of the real file resolves normally.
        if (args.namespace !== 'file' || !args.importer.endsWith(CORE_JS)) return undefined
        if (!checked.has(args.resolveDir)) checked.set(args.resolveDir, checkCoreStillFits(args.resolveDir))
        await checked.get(args.resolveDir)
        const file = args.path.slice(2)
        return { path: `@actions/core/lib/${file}`, namespace: 'lazy-core', pluginData: { resolveDir: args.resolveDir, file } }
      })
      build.onLoad({ filter: /.*/, namespace: 'lazy-core' }, args => {
        const { resolveDir, file } = args.pluginData as { resolveDir: string; file: string }
        return { contents: LAZY_STUBS[file].stub, loader: 'js', resolveDir }
      })
    }
  }
}

/**
 * `yaml` resolves to its CommonJS build under node; its ESM build (the same code, which
 * writes a warning with console.warn instead of process.emitWarning) bundles without a
 * CommonJS wrapper and starts faster.
 */
function yamlEsm(): Plugin {
  return {
    name: 'yaml-esm',
    setup(build) {
      build.onResolve({ filter: /^yaml$/ }, async args => {
        const pkg = await build.resolve('yaml/package.json', { kind: args.kind, resolveDir: args.resolveDir })
        if (pkg.errors.length > 0) return { errors: pkg.errors }
        return { path: join(dirname(pkg.path), 'browser', 'index.js') }
      })
    }
  }
}

export interface Bundle {
  /** Path (relative to outdir) → contents, every file the build makes, the notice file included. */
  files: Map<string, Uint8Array>
  metafile: Metafile
  /** The third-party packages in the bundle, by name. */
  packages: BundledPackage[]
}

/** Bundles entry points the way dist/ is built; writes nothing. */
export async function bundle(entryPoints: string[], outdir: string): Promise<Bundle> {
  const options = {
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    platform: 'node',
    target: TARGET,
    // undici and tunnel are CommonJS and require() node's modules; an ES module has no require.
    // (Taken out again below from the files that never use it.)
    banner: { js: REQUIRE_BANNER },
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    // Collected into the notice file below, not thrown away.
    legalComments: 'external',
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [lazyCoreParts(), yamlEsm()]
  } satisfies BuildOptions
  const result = await build(options)
  const files = new Map<string, Uint8Array>()
  const legalComments: string[] = []
  for (const file of result.outputFiles) {
    const name = relative(resolve(ROOT, outdir), file.path).split(sep).join('/')
    if (name.endsWith('.LEGAL.txt')) legalComments.push(file.text.trim())
    else files.set(name, name.endsWith('.js') ? withoutUnusedRequire(file.text) : file.contents)
  }
  const packages = bundledPackages(result.metafile)
  files.set(NOTICE_FILE, new TextEncoder().encode(noticeText(packages, legalComments)))
  return { files, metafile: result.metafile, packages }
}

const REQUIRE_BANNER = "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);"

/**
 * A file of the bundle without the banner's require when nothing in it says
 * `require`: one module import and one createRequire less for Node to run at
 * every start (most of the files read at start are such files).
 */
function withoutUnusedRequire(code: string): Uint8Array {
  // esbuild keeps an entry's #! line first, and puts the banner after it.
  const shebang = /^#![^\n]*\n/.exec(code)?.[0] ?? ''
  const body = code.slice(shebang.length)
  const rest = body.startsWith(REQUIRE_BANNER) ? body.slice(REQUIRE_BANNER.length) : null
  return new TextEncoder().encode(rest !== null && !/\brequire\b/.test(rest) ? shebang + rest.replace(/^\n/, '') : code)
}

export interface BundledPackage {
  name: string
  version: string
  license: string
  licenseFile: string
  licenseText: string
  /** The package's own engines.node, if it states one. */
  node: string | undefined
}

/** Every package under node_modules/ that has at least one input in the bundle. */
export function bundledPackages(metafile: Metafile): BundledPackage[] {
  const dirs = new Set<string>()
  for (const [input, { bytes }] of Object.entries(metafile.inputs)) {
    if (bytes === 0) continue
    const match = /^(?:[\w-]+:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (match) dirs.add(match[1])
  }
  const missing: string[] = []
  const packages = [...dirs].map(dir => {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as {
      name: string
      version: string
      license?: string
      engines?: { node?: string }
    }
    const licenseFile = readdirSync(join(ROOT, dir)).find(name => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name))
    if (!licenseFile) missing.push(`${manifest.name} (${dir})`)
    return {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license ?? 'UNKNOWN',
      licenseFile: licenseFile ?? '',
      licenseText: licenseFile ? readFileSync(join(ROOT, dir, licenseFile), 'utf8').trim() : '',
      node: manifest.engines?.node
    }
  })
  if (missing.length > 0) {
    throw new Error(`No licence file found for the bundled ${missing.join(', ')}: add its licence text to dist/${NOTICE_FILE} by hand in scripts/build.ts`)
  }
  return packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function noticeText(packages: BundledPackage[], legalComments: string[]): string {
  const parts = [
    'Third-party software bundled in dist/ by scripts/build.ts: every package with code in the bundle,',
    'its licence, and the licence comments found in the bundled code.',
    ''
  ]
  // Packages whose licence files say the same (one author's packages, two versions of one) share one copy.
  const byText = new Map<string, BundledPackage[]>()
  for (const pkg of packages) byText.set(pkg.licenseText, [...(byText.get(pkg.licenseText) ?? []), pkg])
  for (const [text, group] of byText) {
    parts.push('='.repeat(80), ...group.map(pkg => `${pkg.name} ${pkg.version} (${pkg.license}), from ${pkg.licenseFile}`), '', text, '')
  }
  if (legalComments.length > 0) {
    parts.push('='.repeat(80), 'Licence comments in the bundled code', '', ...legalComments, '')
  }
  return parts.join('\n')
}

/** The lowest Node major a range admits: ">= 20" → 20, ">=0.6.11 <=0.7.0 || >=0.7.3" → 0. */
function lowestMajor(range: string): number {
  return Math.min(...range.split('||').map(alternative => Number(/(\d+)/.exec(alternative)?.[1] ?? 0)))
}

/** package.json's engines.node must admit no Node older than the build target and every bundled package need. */
function checkEngines(packages: BundledPackage[]): void {
  const ours = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? ''
  const needs = [
    { what: `the build target ${TARGET} (action.yml runs.using)`, major: Number(TARGET.slice(4)) },
    ...packages.filter(pkg => pkg.node).map(pkg => ({ what: `${pkg.name} ${pkg.version} (engines.node "${pkg.node}")`, major: lowestMajor(pkg.node ?? '') }))
  ]
  const strictest = needs.reduce((a, b) => (b.major > a.major ? b : a))
  if (!/^>=\s*\d+/.test(ours) || lowestMajor(ours) < strictest.major) {
    throw new Error(
      `package.json engines.node is "${ours}", but the bundle needs Node ${strictest.major} for ${strictest.what}: set it to ">=${strictest.major}"`
    )
  }
}

/** The entry points: the action (action.yml runs.main) and the command line (package.json bin), sharing their chunks. */
export const ENTRY_POINTS = ['src/index.ts', 'src/cli.ts']
/** Files of dist/ that are run as programs: the bin of package.json, from a clone or an npm install. */
const EXECUTABLES = new Set(['cli.js'])

/** Empties dist/, then writes the bundle of the entry points and dist/package.json. */
async function main(): Promise<void> {
  const { files, packages } = await bundle(ENTRY_POINTS, 'dist')
  checkEngines(packages)
  rmSync(DIST, { recursive: true, force: true })
  mkdirSync(DIST, { recursive: true })
  // The repository's package.json is ESM too, but dist/ must say so on its own.
  files.set('package.json', new TextEncoder().encode('{"type":"module"}\n'))
  let total = 0
  for (const [name, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(DIST, name)
    if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, contents, { mode: EXECUTABLES.has(name) ? 0o755 : 0o644 })
    if (EXECUTABLES.has(name)) chmodSync(path, 0o755)
    total += contents.byteLength
    console.log(`dist/${name}  ${(contents.byteLength / 1000).toFixed(1)} kB`)
  }
  console.log(`dist/ total  ${(total / 1000).toFixed(1)} kB in ${files.size} files`)
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main()

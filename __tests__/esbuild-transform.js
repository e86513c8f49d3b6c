/**
 * Jest transform for the project's TypeScript: esbuild strips the types, file by
 * file, in about a millisecond each (ts-jest took seconds per worker on a cold
 * cache). Type errors are `npm run typecheck`'s job, which CI runs first.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { transformSync } from 'esbuild'

const ESBUILD_VERSION = JSON.parse(readFileSync(new URL('../node_modules/esbuild/package.json', import.meta.url), 'utf8')).version

export default {
  getCacheKey(source, filename) {
    return createHash('sha256').update(`esbuild ${ESBUILD_VERSION}\0${filename}\0${source}`).digest('hex')
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
      // The decorators and class fields of tsconfig.json's target, whatever esbuild's defaults.
      tsconfigRaw: { compilerOptions: { target: 'ES2023', useDefineForClassFields: true } }
    })
    return { code, map }
  }
}

/**
 * Minifies every script ncc wrote to dist/. ncc's own --minify leaves the chunks
 * of dynamic imports (here: @actions/github, loaded only for the PR comment)
 * untouched, and esbuild makes the main file smaller than ncc's terser does.
 * Every job that uses the action downloads all of dist/, so every byte is paid.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'esbuild'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
for (const name of readdirSync(dist).filter(file => file.endsWith('.js'))) {
  const path = join(dist, name)
  const before = readFileSync(path, 'utf8')
  const { code } = transformSync(before, { minify: true, format: 'esm', target: 'node20', legalComments: 'none' })
  writeFileSync(path, code)
  console.log(`${name}: ${Math.round(before.length / 1000)} kB → ${Math.round(code.length / 1000)} kB`)
}

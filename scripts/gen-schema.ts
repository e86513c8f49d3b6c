/**
 * Writes robots.schema.json from src/manifest/schema.ts. With --check, changes nothing
 * and exits 1 when the committed file differs (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { SCHEMA_FILE, manifestJsonSchemaText } from '../src/manifest/schema.js'

const target = fileURLToPath(new URL(`../${SCHEMA_FILE}`, import.meta.url))
const wanted = manifestJsonSchemaText()

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => null)
  if (committed === wanted) {
    console.log(`${SCHEMA_FILE} is up to date.`)
  } else {
    console.error(`${SCHEMA_FILE} ${committed === null ? 'is missing' : 'differs from src/manifest/schema.ts'}: run npm run schema and commit the result.`)
    process.exitCode = 1
  }
} else {
  await writeFile(target, wanted)
  console.log(`Wrote ${SCHEMA_FILE}.`)
}

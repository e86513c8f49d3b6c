/**
 * Run the emulator by hand or from a workflow job:
 *
 *   tsx emulator/cli.ts [--port N] [--latency MS] [--seed robots.json]
 *
 * The last line it prints is `EMULATOR_URL=http://127.0.0.1:PORT`, so a parent
 * process can wait for that line and parse it.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { VendorEmulator, type SeedRobot } from './server.js'

const USAGE = 'usage: tsx emulator/cli.ts [--port N] [--latency MS] [--seed robots.json]'

function nonNegativeInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number, got "${value}"\n${USAGE}`)
  return Number(value)
}

function readSeed(file: string): SeedRobot[] {
  const robots: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(robots)) {
    throw new Error(`${file}: expected a JSON array of robots like [{"UserID":"@RBT#001","Nick":"Jarvis"}]`)
  }
  return robots as SeedRobot[]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) {
    console.log(USAGE)
    return
  }
  const emulator = new VendorEmulator({ latencyMs: nonNegativeInteger(values.latency, '--latency') })
  if (values.seed !== undefined) emulator.seed(readSeed(values.seed))
  const url = await emulator.start(nonNegativeInteger(values.port, '--port'))

  console.log(
    [
      'Tencent Cloud Chat REST API emulator',
      `  endpoint     ${url}`,
      '  test credentials (fake values, valid only here):',
      `    sdkappid   ${emulator.sdkappid}`,
      `    identifier ${emulator.admins[0]}`,
      `    secret key ${emulator.secretKey}`,
      `  robots       ${emulator.robots().length} seeded`,
      `  control API  GET ${url}/__emulator/state, POST ${url}/__emulator/{faults,seed,reset}`,
      '  stop with Ctrl-C',
      `EMULATOR_URL=${url}`
    ].join('\n')
  )

  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      }
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})

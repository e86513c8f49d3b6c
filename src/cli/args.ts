/**
 * The command line: which command, which flags. Credentials come only from the
 * environment (a flag would leave them in the shell's history and in `ps`), so
 * no flag takes one.
 */
import { parseArgs } from 'node:util'
import { Input } from '../constants.js'

export type CommandName = 'validate' | 'plan' | 'apply' | 'export'

export interface Command {
  name: CommandName
  /** Manifests to validate (validate only: one run each); otherwise one. */
  manifests: string[]
  /** export's PATH. */
  exportPath: string | null
  region: string | null
  endpoint: string | null
  prune: boolean
  expectNoChanges: boolean
  maxAttempts: string | null
  json: boolean
  verbose: boolean
}

export type Parsed = { kind: 'command'; command: Command } | { kind: 'help'; text: string } | { kind: 'usage-error'; message: string }

/** The environment variables the CLI reads, and the inputs of action.yml they stand for. */
export const ENV = {
  sdkappid: 'TENCENT_CHAT_SDKAPPID',
  secretKey: 'TENCENT_CHAT_SECRET_KEY',
  usersig: 'TENCENT_CHAT_USERSIG',
  identifier: 'TENCENT_CHAT_IDENTIFIER',
  region: 'TENCENT_CHAT_REGION',
  endpoint: 'TENCENT_CHAT_ENDPOINT'
} as const

const NAME = 'create-chat-robots'

/** The variables, each with what it holds, in one column. */
const CREDENTIALS = [
  "The app's credentials come from the environment only, never from a flag:",
  ...(
    [
      [ENV.sdkappid, "the app's SDKAppID"],
      [ENV.secretKey, 'its secret key (a UserSig is signed from it)'],
      [ENV.usersig, 'or a ready UserSig instead'],
      [ENV.identifier, 'the admin account (default administrator)'],
      [ENV.region, 'the data centre (default china), or --region'],
      [ENV.endpoint, 'a base URL instead of the region, or --endpoint']
    ] as const
  ).map(([name, what]) => `  ${name.padEnd(26)}${what}`),
  'HTTPS_PROXY and NO_PROXY are honoured.'
].join('\n')

const APP_FLAGS = `  --region REGION        china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley or jakarta
  --endpoint URL         a base URL that overrides the region (https://; http:// for loopback only)
  --max-attempts N       attempts per call for transient failures, 1 to 10 (default 5)`
const COMMON_FLAGS = `  --json                 print the results JSON (the action's results output) instead of the table
  --verbose              print the whole log, debug lines included
  -h, --help             this help`

const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: ${NAME} <command> [options]

Makes the chatbot accounts of a Tencent Cloud Chat app match a robots.yaml manifest:
the same validator, planner and reports as the GitHub Action.

Commands:
  validate [MANIFEST...]   check manifests offline, as FILE:LINE:COL: error: message
  plan                     compare the manifest with the app; write nothing
  apply                    make the app match the manifest
  export [PATH]            write the app's robots as a manifest (default robots.yaml)

Run '${NAME} <command> --help' for a command's options.
Exit status: 0 success, 1 problems, failures or drift (plan --expect-no-changes), 2 usage errors.`,
  validate: `Usage: ${NAME} validate [MANIFEST...] [options]

Checks each manifest (default robots.yaml) offline, with no call and no credentials: every
problem is printed as FILE:LINE:COL: error: message (warnings likewise). Exit status 1 when
any manifest has an error.

Options:
  --manifest FILE        the manifest, as an alternative to the argument
${COMMON_FLAGS}`,
  plan: `Usage: ${NAME} plan [options]

Reads the app's robots and profiles and shows what an apply would do: create, update, delete
(with --prune, and robots under retired:) or unchanged. Writes nothing.

Options:
  --manifest FILE        the manifest (default robots.yaml)
  --prune                plan deletions of robots the manifest does not list
  --expect-no-changes    a drift check: exit status 1 when the plan has any create, update or delete
${APP_FLAGS}
${COMMON_FLAGS}

${CREDENTIALS}`,
  apply: `Usage: ${NAME} apply [options]

Makes the app match the manifest: the plan first, then only the writes it needs.

Options:
  --manifest FILE        the manifest (default robots.yaml)
  --prune                delete robots the manifest does not list (the vendor keeps their UserIDs reserved)
${APP_FLAGS}
${COMMON_FLAGS}

${CREDENTIALS}`,
  export: `Usage: ${NAME} export [PATH] [options]

Writes every robot the app has to PATH (default robots.yaml, inside the current directory),
sorted by UserID, with the profile fields that are set, and plans it against the app: nothing
to change. Only reads the app.

Options:
${APP_FLAGS}
${COMMON_FLAGS}

${CREDENTIALS}`
}

const FLAGS = {
  manifest: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  prune: { type: 'boolean' },
  'expect-no-changes': { type: 'boolean' },
  'max-attempts': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

type Flag = keyof typeof FLAGS

/** Which flags each command takes; any other is a usage error. */
const ALLOWED: Record<CommandName, Flag[]> = {
  validate: ['manifest', 'json', 'verbose', 'help'],
  plan: ['manifest', 'region', 'endpoint', 'prune', 'expect-no-changes', 'max-attempts', 'json', 'verbose', 'help'],
  apply: ['manifest', 'region', 'endpoint', 'prune', 'max-attempts', 'json', 'verbose', 'help'],
  export: ['region', 'endpoint', 'max-attempts', 'json', 'verbose', 'help']
}

const COMMANDS = Object.keys(ALLOWED) as CommandName[]

export function parseCommandLine(argv: string[]): Parsed {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return rest.length > 0 && first === 'help' && isCommand(rest[0]) ? { kind: 'help', text: HELP[rest[0]] } : { kind: 'help', text: HELP.main }
  }
  if (!isCommand(first)) {
    return usage(`unknown command ${JSON.stringify(first)}: use ${COMMANDS.join(', ')}.`, 'main')
  }
  let values: Partial<Record<Flag, string | boolean>>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({ args: rest, options: FLAGS, allowPositionals: true, strict: true }))
  } catch (error) {
    return usage(`${first}: ${error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error)}`, first)
  }
  if (values.help) return { kind: 'help', text: HELP[first] }
  const wrong = (Object.keys(values) as Flag[]).find(flag => !ALLOWED[first].includes(flag))
  if (wrong) return usage(`${first} does not take --${wrong}.`, first)

  const manifestFlag = typeof values.manifest === 'string' ? values.manifest : null
  const command: Command = {
    name: first,
    manifests: [],
    exportPath: null,
    region: typeof values.region === 'string' ? values.region : null,
    endpoint: typeof values.endpoint === 'string' ? values.endpoint : null,
    prune: values.prune === true,
    expectNoChanges: values['expect-no-changes'] === true,
    maxAttempts: typeof values['max-attempts'] === 'string' ? values['max-attempts'] : null,
    json: values.json === true,
    verbose: values.verbose === true
  }
  if (first === 'validate') {
    if (manifestFlag !== null && positionals.length > 0) return usage('validate takes the manifest as an argument or as --manifest, not both.', first)
    command.manifests = manifestFlag !== null ? [manifestFlag] : positionals.length > 0 ? positionals : ['robots.yaml']
    if (command.json && command.manifests.length > 1) return usage('--json prints the results of one manifest: validate one at a time.', first)
  } else if (first === 'export') {
    if (positionals.length > 1) return usage(`export takes one PATH, got ${positionals.length}.`, first)
    command.exportPath = positionals[0] ?? 'robots.yaml'
  } else {
    if (positionals.length > 0) return usage(`${first} takes no arguments (got ${JSON.stringify(positionals[0])}); give the manifest with --manifest.`, first)
    command.manifests = [manifestFlag ?? 'robots.yaml']
  }
  for (const [flag, value] of [
    ['manifest', manifestFlag],
    ['region', command.region],
    ['endpoint', command.endpoint],
    ['max-attempts', command.maxAttempts]
  ] as const) {
    if (value !== null && value.trim() === '') return usage(`--${flag} is empty.`, first)
  }
  return { kind: 'command', command }
}

function isCommand(name: string | undefined): name is CommandName {
  return COMMANDS.includes(name as CommandName)
}

function usage(message: string, help: CommandName | 'main'): Parsed {
  return { kind: 'usage-error', message: `${message}\nRun '${NAME} ${help === 'main' ? '' : `${help} `}--help' for usage.` }
}

/**
 * The action's words for its inputs, in the CLI's: an error about "Input region"
 * names --region here. Only the input names are replaced; the rest of the message is the action's.
 */
export function inCliWords(message: string): string {
  const names: Record<string, string> = {
    [Input.manifest]: 'MANIFEST',
    [Input.export]: 'PATH',
    [Input.region]: `--region (or ${ENV.region})`,
    [Input.endpoint]: `--endpoint (or ${ENV.endpoint})`,
    [Input.maxAttempts]: '--max-attempts',
    [Input.sdkappid]: ENV.sdkappid,
    [Input.secretKey]: ENV.secretKey,
    [Input.usersig]: ENV.usersig,
    [Input.identifier]: ENV.identifier,
    [Input.prune]: '--prune',
    [Input.expectNoChanges]: '--expect-no-changes'
  }
  const name = (input: string): string => names[input] ?? input
  return message
    .replace(/\bInputs ([\w-]+) and ([\w-]+)\b/g, (_, a: string, b: string) => `${name(a)} and ${name(b)}`)
    .replace(/\bInput ([\w-]+)\b/g, (_, a: string) => name(a))
    .replace(/\bset the manifest input to\b/g, 'give MANIFEST as')
    .replace(/\bthe manifest input\b/g, 'MANIFEST')
    .replace(
      /\bCheck the sdkappid, secret-key \(or usersig\) and identifier inputs\b/g,
      `Check ${ENV.sdkappid}, ${ENV.secretKey} (or ${ENV.usersig}) and ${ENV.identifier}`
    )
    .replace(/ See the job summary for details\.$/, '')
}

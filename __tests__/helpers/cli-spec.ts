import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import { parse } from 'yaml'
import type { CliRun } from '../../emulator/cli-runner.js'
import { parseWorkflowCommands } from '../../emulator/workflow-commands.js'
import { ROOT, makeWorkspace, testTimingEnv } from '../../emulator/runner.js'
import { TEST_ADMIN, TEST_SDKAPPID, TEST_SECRET_KEY, type SeedRobot, type VendorEmulator } from '../../emulator/server.js'
import type { CliRunner } from './cli-in-process.js'
import { specCases } from './spec-cases.js'
import { manifestOf, secretsOf, startVendor } from './vendor.js'

/**
 * The command line as a user runs it: in a directory of theirs, credentials in
 * the environment, against the emulator.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts runs
 * every case in-process (src/cli/run.ts with recording streams);
 * __tests__/e2e/cli.test.ts runs those marked `e2e` on the built dist/cli.js,
 * started by its #! line in a clean environment, on a real terminal (`script`)
 * and with a real Ctrl-C.
 */

const MANIFEST = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
])
const MATCHING: SeedRobot[] = [
  { UserID: '@RBT#support', Nick: 'Support', SelfSignature: 'Ask me' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
]
const fixture = (path: string): string => readFileSync(join(ROOT, '__tests__/fixtures/manifests', path), 'utf8')

/* eslint-disable no-control-regex -- control characters are what these tests look for */
const lines = (text: string): string[] => text.split('\n').filter(Boolean)
const ESCAPE = /\u001b/

export function cliSpec(runCli: CliRunner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess } = specCases(options.e2eOnly)

  let vendor: VendorEmulator
  let env: Record<string, string>
  let dirs: string[] = []
  beforeEach(async () => {
    const started = await startVendor()
    vendor = started.vendor
    env = {
      TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID),
      TENCENT_CHAT_SECRET_KEY: TEST_SECRET_KEY,
      TENCENT_CHAT_IDENTIFIER: TEST_ADMIN,
      TENCENT_CHAT_ENDPOINT: started.inputs.endpoint
    }
  })
  afterEach(async () => {
    await vendor.stop()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
    dirs = []
  })

  async function directory(files: Record<string, string> = {}): Promise<string> {
    const dir = await makeWorkspace(files)
    dirs.push(dir)
    return dir
  }

  /** Runs the CLI and fails the test when a secret shows in anything it printed. */
  async function cli(args: string[], cwd: string, extra: Record<string, string> = {}, tty = false): Promise<CliRun> {
    const run = await runCli(args, { cwd, env: { ...env, ...extra }, tty })
    const printed = run.stdout + run.stderr
    for (const secret of secretsOf(vendor)) expect(printed).not.toContain(secret)
    return run
  }

  describe('the create-chat-robots command', () => {
    const HELP: string[][][] = [[[]], [['--help']], [['validate', '--help']], [['plan', '-h']], [['apply', '--help']], [['export', '--help']]]
    it.each(HELP.filter((_, i) => !options.e2eOnly || i === 0))('prints help for %j and exits 0', async args => {
      const run = await cli(args, await directory())
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toMatch(/^Usage: create-chat-robots /)
    })

    inProcess('says where the credentials come from in the help of the commands that read the app', async () => {
      const run = await cli(['plan', '--help'], await directory())
      expect(run.stdout).toContain('TENCENT_CHAT_SECRET_KEY')
      expect(run.stdout).toContain('never from a flag')
      // One column for what each variable holds.
      const columns = run.stdout
        .split('\n')
        .filter(line => /^ {2}TENCENT_CHAT_/.test(line))
        .map(line => line.search(/(?<=TENCENT_CHAT_\w+ +)\S/))
      expect(columns).toHaveLength(6)
      expect(new Set(columns).size).toBe(1)
    })
  })

  describe('validate', () => {
    inProcess('checks a valid manifest offline, with no call even when credentials are set', async () => {
      const run = await cli(['validate'], await directory({ 'robots.yaml': MANIFEST }))
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toBe('robots.yaml: valid, 2 robots.\n')
      expect(run.stderr).toBe('')
      expect(vendor.calls).toEqual([])
    })

    inProcess('counts retired UserIDs apart from the robots', async () => {
      const run = await cli(['validate'], await directory({ 'robots.yaml': `${MANIFEST}retired:\n  - "@RBT#old"\n` }))
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toBe('robots.yaml: valid, 2 robots, 1 retired.\n')
    })

    e2e('prints every problem as FILE:LINE:COL: error: message and exits 1', async () => {
      const dir = await directory({ 'robots/app.yaml': fixture('invalid/many-problems.yaml') })
      const run = await cli(['validate', 'robots/app.yaml'], dir)

      expect(run.exitCode).toBe(1)
      expect(lines(run.stderr)).toEqual([
        'robots/app.yaml:4:5: error: Unknown key "Nikc": did you mean "Nick"?',
        expect.stringMatching(/^robots\/app\.yaml:5:13: error: UserID "support" does not start with "@RBT#"/),
        expect.stringMatching(/^robots\/app\.yaml:6:11: error: Nick is a number \(42\)/),
        expect.stringMatching(/^robots\/app\.yaml:7:5: error: Robot 3 has no UserID/),
        expect.stringMatching(/^robots\/app\.yaml:8:13: error: UserID "@RBT#support" is already used by the robot on line 3/)
      ])
      expect(run.stdout).toBe('robots/app.yaml: 5 errors.\n')
    })

    inProcess('prints warnings the same way, and a manifest with only warnings is valid', async () => {
      const run = await cli(['validate'], await directory({ 'robots.yaml': fixture('valid/unusual-userid.yaml') }))
      expect(run.exitCode).toBe(0)
      expect(lines(run.stderr)).toEqual([expect.stringMatching(/^robots\.yaml:3:13: warning: UserID "@RBT#support\.bot" contains "\."/)])
      expect(run.stdout).toBe('robots.yaml: valid, 1 robot (1 warning).\n')
    })

    inProcess('prints every problem, not the ten GitHub shows', async () => {
      const many = manifestOf(Array.from({ length: 14 }, (_, i) => ({ UserID: `robot-${i}` })))
      const run = await cli(['validate'], await directory({ 'robots.yaml': many }))
      expect(run.exitCode).toBe(1)
      expect(lines(run.stderr).filter(line => /^robots\.yaml:\d+:\d+: error: UserID "robot-\d+" does not start/.test(line))).toHaveLength(14)
      expect(run.stderr).not.toContain('job summary')
    })

    inProcess('names a manifest outside the current directory by a path from it', async () => {
      const dir = await directory({ 'repo/x': '', 'other/robots.yaml': fixture('invalid/missing-prefix.yaml') })
      const run = await cli(['validate', '../other/robots.yaml'], join(dir, 'repo'))
      expect(run.exitCode).toBe(1)
      expect(run.stderr).toMatch(/^\.\.\/other\/robots\.yaml:\d+:\d+: error: /m)
    })

    inProcess('validates several manifests, one verdict each, and fails when any has an error', async () => {
      const dir = await directory({ 'a/robots.yaml': MANIFEST, 'b/robots.yaml': fixture('invalid/missing-prefix.yaml') })
      const run = await cli(['validate', 'a/robots.yaml', 'b/robots.yaml'], dir)
      expect(run.exitCode).toBe(1)
      expect(lines(run.stdout)).toEqual(['a/robots.yaml: valid, 2 robots.', 'b/robots.yaml: 1 error.'])
    })

    inProcess('says so when there is no manifest', async () => {
      const run = await cli(['validate'], await directory())
      expect(run.exitCode).toBe(1)
      expect(run.stderr).toMatch(/^error: No manifest at robots\.yaml/m)
      // In the command line's words: no inputs, no job summary.
      expect(run.stderr).toMatch(/give MANIFEST as its path/)
      expect(run.stderr).not.toMatch(/manifest input|job summary/)
    })

    inProcess('names MANIFEST, not the manifest input, when a file is too long to be a manifest', async () => {
      const run = await cli(['validate'], await directory({ 'robots.yaml': 'robots: []\n' + '\n'.repeat(10_001) }))
      expect(run.exitCode).toBe(1)
      expect(run.stdout + run.stderr).toMatch(/Check that MANIFEST points at the right file/)
    })

    inProcess("names the environment's variables, not the action's inputs, when the app refuses the key", async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST })
      const run = await cli(['plan'], dir, { TENCENT_CHAT_SECRET_KEY: 'f'.repeat(64) })
      expect(run.exitCode).toBe(1)
      expect(run.stderr).toMatch(/Check TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_SECRET_KEY \(or TENCENT_CHAT_USERSIG\) and TENCENT_CHAT_IDENTIFIER/)
      expect(run.stderr).not.toMatch(/\binputs\b|job summary/)
    })

    inProcess("prints the action's results JSON with --json", async () => {
      const run = await cli(['validate', '--json'], await directory({ 'robots.yaml': fixture('invalid/missing-prefix.yaml') }))
      expect(run.exitCode).toBe(1)
      const parsed = JSON.parse(run.stdout) as Array<Record<string, unknown>>
      expect(parsed[0]).toMatchObject({ status: 'invalid', action: 'invalid' })
    })
  })

  describe('usage errors exit 2 and say what to do', () => {
    it.each(
      (
        [
          ['an unknown command', ['deploy'], /unknown command "deploy": use validate, plan, apply, export/],
          ['an unknown flag', ['plan', '--bogus'], /Unknown option '--bogus'/],
          ['a flag the command does not take', ['validate', '--prune'], /validate does not take --prune/],
          ['apply --expect-no-changes (a drift check is a plan)', ['apply', '--expect-no-changes'], /apply does not take --expect-no-changes/],
          ['an argument plan does not take', ['plan', 'robots.yaml'], /give the manifest with --manifest/],
          ['a flag without its value', ['plan', '--region'], /--region/],
          ['a secret given as a flag', ['plan', '--secret-key', 'x'], /Unknown option '--secret-key'/],
          [
            'a region that is not one',
            ['plan', '--region', 'singapur'],
            /--region \(or TENCENT_CHAT_REGION\) "singapur" is not a region: did you mean singapore\?/
          ],
          ['max-attempts out of range', ['apply', '--max-attempts', '0'], /--max-attempts "0" must be a whole number from 1 to 10/],
          [
            'an http endpoint that is not loopback',
            ['plan', '--endpoint', 'http://chat.example.com'],
            /--endpoint \(or TENCENT_CHAT_ENDPOINT\) "http:\/\/chat\.example\.com" is plain http/
          ]
        ] as Array<[string, string[], RegExp]>
      ).filter(([what]) => !options.e2eOnly || what === 'a region that is not one')
    )('%s', async (_what, args, message) => {
      const run = await cli(args, await directory({ 'robots.yaml': MANIFEST }))
      expect(run.exitCode).toBe(2)
      expect(run.stderr).toMatch(message)
      expect(run.stdout).toBe('')
      expect(vendor.calls).toEqual([])
    })

    // End to end, the bin's clean environment: no credential leaks in from the test's own.
    it.each(['plan', 'apply', 'export'].filter(command => !options.e2eOnly || command === 'plan'))(
      '%s without credentials in the environment',
      async command => {
        const run = await runCli([command], { cwd: await directory({ 'robots.yaml': MANIFEST }), env: { TENCENT_CHAT_ENDPOINT: env.TENCENT_CHAT_ENDPOINT } })
        expect(run.exitCode).toBe(2)
        expect(run.stderr).toContain(
          `${command} reads the app, so it needs the app's credentials in the environment: set TENCENT_CHAT_SDKAPPID and TENCENT_CHAT_SECRET_KEY (or TENCENT_CHAT_USERSIG)`
        )
        expect(vendor.calls).toEqual([])
      }
    )
  })

  describe('plan, apply and export against the app', () => {
    e2e('plans a table of what would change, writes nothing, and exits 0', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support (console)', SelfSignature: 'Ask me' }])
      const run = await cli(['plan'], await directory({ 'robots.yaml': MANIFEST }))

      expect(run.exitCode).toBe(0)
      expect(vendor.writes()).toEqual([])
      expect(lines(run.stdout)).toEqual([
        'UserID        Action  Result  Detail',
        '@RBT#support  update  ok      Nick: "Support (console)" → "Support"',
        '@RBT#billing  create  ok',
        'Plan: 2 changes to make; nothing written. Run apply to make them.'
      ])
    })

    inProcess('fails a drift check with --expect-no-changes, listing the drift, with zero writes', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support (console)', SelfSignature: 'Ask me' }])
      const run = await cli(['plan', '--expect-no-changes'], await directory({ 'robots.yaml': MANIFEST }))

      expect(run.exitCode).toBe(1)
      expect(vendor.writes()).toEqual([])
      expect(run.stderr).toMatch(
        /^error: .*The app has drifted from robots\.yaml: 2 changes to make — @RBT#support: update Nick: "Support \(console\)" → "Support"; @RBT#billing: create/m
      )
    })

    inProcess('passes a drift check when the app matches', async () => {
      vendor.seed(MATCHING)
      const run = await cli(['plan', '--expect-no-changes', '--manifest', 'robots.yaml'], await directory({ 'robots.yaml': MANIFEST }))
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain('No changes: the app matches the manifest.')
      expect(vendor.writes()).toEqual([])
    })

    inProcess("prints the action's results JSON, and only that, on stdout with --json", async () => {
      vendor.seed(MATCHING)
      const run = await cli(['plan', '--json'], await directory({ 'robots.yaml': MANIFEST }))
      expect(run.exitCode).toBe(0)
      expect(JSON.parse(run.stdout)).toEqual([
        { UserID: '@RBT#support', status: 'ok', action: 'unchanged', ErrorCode: 0, ErrorInfo: '', attempts: 0, line: 2 },
        { UserID: '@RBT#billing', status: 'ok', action: 'unchanged', ErrorCode: 0, ErrorInfo: '', attempts: 0, line: 5 }
      ])
    })

    inProcess("applies, with the region's credentials from the environment, and a second apply makes no write", async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST })
      const first = await cli(['apply'], dir)
      expect(first.exitCode).toBe(0)
      expect(vendor.robots().map(r => r.UserID)).toEqual(['@RBT#support', '@RBT#billing'])
      expect(first.stdout).toContain('Applied: 2 writing calls made.')

      const second = await cli(['apply'], dir)
      expect(second.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(2)
      expect(second.stdout).toContain('Applied: 0 writing calls made.')
    })

    inProcess('applies with a ready UserSig instead of the key, and never prints it', async () => {
      const usersig = new TLSSigAPIv2.Api(TEST_SDKAPPID, TEST_SECRET_KEY).genSig(TEST_ADMIN, 600)
      const run = await runCli(['apply', '--verbose'], {
        cwd: await directory({ 'robots.yaml': MANIFEST }),
        env: { ...env, TENCENT_CHAT_SECRET_KEY: '', TENCENT_CHAT_USERSIG: usersig }
      })
      expect(run.exitCode).toBe(0)
      expect(run.stdout + run.stderr).not.toContain(usersig)
      expect(run.stdout + run.stderr).not.toContain(encodeURIComponent(usersig))
    })

    inProcess('run inside a GitHub Actions job, starts no workflow command from a manifest value or a vendor answer', async () => {
      // The CLI in a workflow (npx, pre-commit): the runner reads its stdout and stderr for commands too.
      const hostile = manifestOf([
        { UserID: '@RBT#z##[set-output name=verdict]approved' },
        { UserID: '@RBT#ok', Nick: 'x ##[error]forged ##[add-mask]Support' }
      ])
      const validate = await cli(['validate'], await directory({ 'robots.yaml': hostile }), { GITHUB_ACTIONS: 'true' })
      expect(validate.exitCode).toBe(1)
      expect(validate.stderr).toContain('robots.yaml:2:')
      expect(parseWorkflowCommands(validate.stdout, validate.stderr)).toEqual([])

      vendor.inject({ command: 'create_robot', kind: 'code', code: 70107, info: 'bad\n::error::forged ##[error]legacy', times: Infinity })
      const apply = await cli(['apply', '--verbose'], await directory({ 'robots.yaml': manifestOf([{ UserID: '@RBT#ok', Nick: 'x ##[error]forged' }]) }), {
        GITHUB_ACTIONS: 'true'
      })
      expect(apply.exitCode).toBe(1)
      expect(parseWorkflowCommands(apply.stdout, apply.stderr)).toEqual([])
    })

    e2e("exits 1 when a robot fails, with the vendor's code in the table", async () => {
      vendor.inject({ command: 'create_robot', kind: 'code', code: 40005, times: Infinity })
      const run = await cli(['apply'], await directory({ 'robots.yaml': MANIFEST }))
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toMatch(/@RBT#support\s+create\s+failed\s+40005 /)
      expect(run.stderr).toMatch(/^error: /m)
    })

    inProcess('exports the app, and the file validates and plans to no change', async () => {
      vendor.seed([
        { UserID: '@RBT#zeta', Nick: 'Zeta' },
        { UserID: '@RBT#alpha', FaceUrl: 'https://cdn.example.com/a.png' }
      ])
      const dir = await directory()
      const exported = await cli(['export', 'robots/app.yaml'], dir)
      expect(exported.exitCode).toBe(0)
      expect(exported.stdout).toContain('Exported 2 robots to robots/app.yaml; planned against the app: no changes.')
      expect(await readFile(join(dir, 'robots/app.yaml'), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=.*\nrobots:\n {2}- UserID: "@RBT#alpha"\n {4}FaceUrl: https:\/\/cdn\.example\.com\/a\.png\n {2}- UserID: "@RBT#zeta"\n {4}Nick: Zeta\n$/
      )

      expect((await cli(['validate', 'robots/app.yaml'], dir)).exitCode).toBe(0)
      const drift = await cli(['plan', '--expect-no-changes', '--manifest', 'robots/app.yaml'], dir)
      expect(drift.exitCode).toBe(0)
      expect(vendor.writes()).toEqual([])
    })

    inProcess('exports to robots.yaml by default, and refuses a path outside the current directory', async () => {
      vendor.seed(MATCHING)
      const dir = await directory({ 'repo/.keep': '' })
      expect((await cli(['export'], join(dir, 'repo'))).exitCode).toBe(0)
      expect(await readFile(join(dir, 'repo', 'robots.yaml'), 'utf8')).toContain('"@RBT#billing"')

      const outside = await cli(['export', '../elsewhere.yaml'], join(dir, 'repo'))
      expect(outside.exitCode).toBe(1)
      expect(outside.stderr).toContain('PATH "../elsewhere.yaml" points outside the workspace')
      // Its headline names the file the export was asked to write, not the default manifest.
      expect(outside.stdout + outside.stderr).toMatch(/\(\.\.\/elsewhere\.yaml, /)
      expect(outside.stdout + outside.stderr).not.toMatch(/robots\.yaml/)
    })
  })

  describe('Ctrl-C', () => {
    e2e('stops the run as a cancelled job: no write starts, every robot is reported skipped, and the exit status is 1', async () => {
      vendor.inject({ kind: 'hang', command: 'get_all_robots' })
      const run = await runCli(['apply'], {
        cwd: await directory({ 'robots.yaml': MANIFEST }),
        env: { ...env, ...testTimingEnv({ cancelGraceMs: 100 }) },
        interruptWhen: () => vendor.calls.some(c => c.command === 'get_all_robots')
      })
      expect(run.exitCode).toBe(1)
      expect(vendor.writes()).toEqual([])
      expect(run.stdout).toMatch(/@RBT#support\s+\S+\s+skipped\s+.*cancelled/)
      expect(run.stderr).toMatch(/^error: The run was cancelled \(SIGINT\)/m)
    })
  })

  describe('the terminal', () => {
    const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b31m\u202eevil\r'

    inProcess('shows no colour when the output is not a terminal', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Old' }])
      const run = await cli(['apply'], await directory({ 'robots.yaml': MANIFEST }))
      expect(run.stdout + run.stderr).not.toMatch(ESCAPE)
    })

    e2e('colours the table and the problems on a terminal', async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST, 'bad/robots.yaml': fixture('invalid/missing-prefix.yaml') })
      const coloured = await cli(['plan'], dir, {}, true)
      expect(coloured.stdout).toContain('\u001b[1mUserID')
      expect(coloured.stdout).toContain('\u001b[32mok')
      const problems = await cli(['validate', 'bad/robots.yaml'], dir, {}, true)
      expect(problems.stdout).toContain('\u001b[31merror:\u001b[39m')
    })

    inProcess('shows no colour on a terminal with NO_COLOR', async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST, 'bad/robots.yaml': fixture('invalid/missing-prefix.yaml') })
      for (const args of [['plan'], ['validate', 'bad/robots.yaml']]) {
        const plain = await cli(args, dir, { NO_COLOR: '1' }, true)
        expect(plain.stdout).not.toMatch(ESCAPE)
        expect(plain.stdout).toMatch(/UserID|error:/)
      }
    })

    inProcess('reads FORCE_COLOR as Node does: on with it empty, 1, true, 2 or 3 without a terminal, off with anything else on one', async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST })
      for (const on of ['', '1', 'true', '2', '3']) expect((await cli(['plan'], dir, { FORCE_COLOR: on, NO_COLOR: '1' })).stdout).toContain('\u001b[1mUserID')
      for (const off of ['0', 'false', 'yes']) {
        const plain = await cli(['plan'], dir, { FORCE_COLOR: off }, true)
        expect(plain.stdout).not.toMatch(ESCAPE)
        expect(plain.stdout).toMatch(/UserID/)
      }
    })

    inProcess('shows escape sequences from the app as text, never as commands to the terminal', async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: hostile, SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      const dir = await directory({ 'robots.yaml': MANIFEST })
      for (const args of [
        ['plan', '--verbose'],
        ['plan', '--json'],
        ['plan', '--expect-no-changes'],
        ['export', 'exported.yaml']
      ]) {
        const run = await cli(args, dir)
        expect({ args, printed: run.stdout + run.stderr }).not.toEqual({
          args,
          printed: expect.stringMatching(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
        })
      }
      const table = await cli(['plan'], dir)
      expect(table.stdout).toContain('Nick: "\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mred\\u009b31m\\u202eevil\\r" → "Support"')
    })

    e2e("on a terminal, shows the app's escape sequences as text: the only ones are the table's own colours", async () => {
      vendor.seed([
        { UserID: '@RBT#support', Nick: hostile, SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' }
      ])
      const dir = await directory({ 'robots.yaml': MANIFEST })
      const onTty = await cli(['plan'], dir, {}, true)
      expect(onTty.stdout).toContain('\\u001b]0;pwned')
      expect(onTty.stdout.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/)
    })

    inProcess('shows escape sequences from a manifest as text too', async () => {
      const dir = await directory({ 'robots.yaml': `robots:\n  - UserID: "@RBT#x\\e[2J"\n    Nick: "${'\\e]0;pwned\\a'}"\n` })
      const run = await cli(['validate', '--verbose'], dir)
      expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    })
  })

  describe('the pre-commit hook', () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>
    const hook = hooks.find(h => h.id === 'robots-validate') as { entry: string; language: string; files: string; pass_filenames?: boolean }

    inProcess("offers robots-validate, running the bin's validate on the robots.yaml files a commit touches", () => {
      expect(hook).toMatchObject({ entry: 'create-chat-robots validate', language: 'node' })
      expect(hook.pass_filenames ?? true).toBe(true)
      const files = new RegExp(hook.files)
      expect(['robots.yaml', 'robots.yml', 'apps/cn/robots.yaml'].every(f => files.test(f))).toBe(true)
      expect(['robots.yaml.bak', 'myrobots.yaml', 'README.md'].some(f => files.test(f))).toBe(false)
    })

    inProcess('passes the files that are valid and fails on one that is not, as pre-commit calls it', async () => {
      const dir = await directory({ 'robots.yaml': MANIFEST, 'apps/cn/robots.yaml': fixture('invalid/many-problems.yaml') })
      const [, ...args] = hook.entry.split(' ')
      const good = await cli([...args, 'robots.yaml'], dir)
      expect(good.exitCode).toBe(0)
      const bad = await cli([...args, 'robots.yaml', 'apps/cn/robots.yaml'], dir)
      expect(bad.exitCode).toBe(1)
      expect(bad.stderr).toMatch(/^apps\/cn\/robots\.yaml:4:5: error: /m)
      await mkdir(join(dir, 'empty'))
      await writeFile(join(dir, 'empty', 'robots.yaml'), '')
      expect((await cli([...args, 'empty/robots.yaml'], dir)).exitCode).toBe(1)
    })
  })
}

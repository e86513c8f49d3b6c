import { describe, expect, it } from '@jest/globals'
import { readingsOf, results, runAction, type ActionRun } from '../../emulator/runner.js'
import type { WorkflowCommand } from '../../emulator/workflow-commands.js'
import { manifestOf, runAgainst, secretsOf, emulatorPerTest } from '../helpers/vendor.js'

/**
 * Text from the manifest and the vendor never starts a workflow command: not the
 * `::` form (a raw line break in the data), not the legacy `##[` form the runner
 * finds anywhere in a line, whatever characters the runner's comparison skips.
 * The output is read the way the runner reads it (emulator/workflow-commands.ts).
 */

/** Commands the action itself issues through @actions/core. */
const OWN = new Set(['add-mask', 'error', 'warning', 'notice', 'debug'])

/** What an attacker puts in a value; every forged message starts with FORGED. */
const PAYLOADS = [
  '##[error]FORGED legacy error',
  '##[add-mask]Support',
  '##[warning file=README.md,line=1]FORGED on the README',
  '##[ERROR]FORGED upper case',
  '#\u00ad#[error]FORGED with a soft hyphen the runner may skip',
  '#\u034f#\u200b[error]FORGED with a grapheme joiner and a zero-width space',
  '\n::error file=README.md,line=1::FORGED Security review passed\n::stop-commands::pause',
  '\r::warning::FORGED after a carriage return',
  '\n  \u00ad::error::FORGED after spaces and a soft hyphen',
  '\u2028::notice::FORGED after a line separator',
  '\u0085::set-output name=x::FORGED after a next-line character'
]

/** Everything the runner would act on that the action did not mean to issue. */
function forgedCommands(run: ActionRun, secrets: string[]): WorkflowCommand[] {
  return run.commands.filter(
    c =>
      c.form === 'legacy' ||
      !c.line.startsWith('::') ||
      !OWN.has(c.command) ||
      // The action masks each secret in the forms a URL carries it in, and encoded whole (base64, hex).
      (c.command === 'add-mask' && !secrets.some(secret => decodings(c.data).includes(secret))) ||
      (c.properties.file !== undefined && c.properties.file !== 'robots.yaml') ||
      c.data.startsWith('FORGED')
  )
}

/** What a masked value may stand for: its readings, and what it decodes to as base64 or hex. */
function decodings(data: string): string[] {
  const decoded = [Buffer.from(data, 'base64'), ...(/^[0-9a-f]+$/i.test(data) ? [Buffer.from(data, 'hex')] : [])].map(bytes => bytes.toString('utf8'))
  return [...readingsOf(data), ...decoded]
}

function expectNoForgedCommand(run: ActionRun, secrets: string[] = []): void {
  expect(forgedCommands(run, secrets).map(c => `${c.form} ${c.command}: ${c.line.slice(0, 120)}`)).toEqual([])
}

const start = emulatorPerTest()

/** Valid UserIDs (at most 32 bytes, the prefix first) that carry a legacy command mid-line. */
const VALID_IDS = ['@RBT#a##[error]FORGED', '@RBT#b##[add-mask]Support', '@RBT##[warning file=README.md]F', '@RBT#c#\u00ad#[error]FORGED']

describe('the log of an offline dry run', () => {
  it('valid and invalid UserIDs and profile fields carrying commands start none', async () => {
    const manifest = manifestOf([
      ...VALID_IDS.map(UserID => ({ UserID, Nick: 'ok' })),
      ...PAYLOADS.map((payload, i) => ({ UserID: `@RBT#p${i}`, Nick: payload, SelfSignature: payload })),
      ...PAYLOADS.map(payload => ({ UserID: `x${payload}` }))
    ])
    const run = await runAction({ files: { 'robots.yaml': manifest }, inputs: { 'dry-run': 'true' } })

    expectNoForgedCommand(run)
    // Every robot is still reported, and the log names each hostile UserID on one line.
    expect(results(run)).toHaveLength(VALID_IDS.length + 2 * PAYLOADS.length)
    expect(run.stdout).toContain('@RBT#a##')
    // The action's own annotations still reach the runner: the invalid entries on their lines (10 at most), the step's failure.
    expect(run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml')).toHaveLength(10)
    expect(run.annotations.some(a => a.level === 'error' && a.file === undefined)).toBe(true)
    expect(run.exitCode).toBe(1)
  })

  it('an annotation may quote ##[error] as data: the runner reads the line once, as the annotation', async () => {
    const run = await runAction({ files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a##[error]FORGED' }]) }, inputs: { 'dry-run': 'true' } })

    expectNoForgedCommand(run)
    // The warning that the UserID holds "[" and "]" quotes it, on its line.
    const warning = run.annotations.find(a => a.level === 'warning' && a.message.includes('@RBT#a##[error]FORGED'))
    expect(warning?.file).toBe('robots.yaml')
    expect(warning?.line).toBe(2)
  })
})

describe('the log of a plan with credentials', () => {
  it('robot IDs listed by get_all_robots and profiles read from the app start no command', async () => {
    const { v, inputs } = await start()
    v.seed([
      ...PAYLOADS.map((payload, i) => ({ UserID: `@RBT#listed${i}${payload}` })),
      ...VALID_IDS.map(UserID => ({ UserID: `${UserID}2` })),
      { UserID: '@RBT#drift', Nick: '##[error]FORGED from the app\n::error::FORGED' }
    ])
    const manifest = manifestOf([{ UserID: '@RBT#drift', Nick: '##[add-mask]Support\n::stop-commands::x' }])
    const run = await runAgainst(v, { files: { 'robots.yaml': manifest }, inputs: { ...inputs, 'dry-run': 'true' } })

    expectNoForgedCommand(run, secretsOf(v))
    expect(results(run).map(r => [r.UserID, r.action])).toEqual([['@RBT#drift', 'update']])
    expect(run.summary).toContain('listed0')
    expect(run.exitCode).toBe(0)
  })

  it('an ErrorInfo from a failed listing starts no command', async () => {
    const { v, inputs } = await start()
    v.inject({ kind: 'code', code: 10004, info: PAYLOADS.join(' '), command: 'get_all_robots', times: Infinity })
    const run = await runAgainst(v, { files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a' }]) }, inputs: { ...inputs, 'dry-run': 'true' } })

    expectNoForgedCommand(run, secretsOf(v))
    const warning = run.annotations.find(a => a.level === 'warning' && a.message.includes('get_all_robots failed'))
    // The vendor's line breaks are shown escaped: its text cannot add lines to the annotation.
    expect(warning?.message).toContain('\\n::error file=README.md')
    expect(warning?.message).not.toMatch(/[\r\n\u2028\u0085]/)
  })
})

describe('the log of an apply', () => {
  it('an ErrorInfo of a failing call starts no command, and the failure is still annotated', async () => {
    const { v, inputs } = await start()
    v.inject({ kind: 'code', code: 10004, info: PAYLOADS.join(' '), command: 'create_robot', times: Infinity })
    const run = await runAgainst(v, { files: { 'robots.yaml': manifestOf([{ UserID: '@RBT#a##[error]FORGED' }, { UserID: '@RBT#b' }]) }, inputs })

    expectNoForgedCommand(run, secretsOf(v))
    expect(results(run).map(r => [r.UserID, r.status, r.ErrorCode])).toEqual([
      ['@RBT#a##[error]FORGED', 'failed', 10004],
      ['@RBT#b', 'failed', 10004]
    ])
    expect(run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml')).toHaveLength(2)
    expect(run.annotations.some(a => a.level === 'error' && a.file === undefined && /did not reach ok/.test(a.message))).toBe(true)
    expect(run.exitCode).toBe(1)
  })
})

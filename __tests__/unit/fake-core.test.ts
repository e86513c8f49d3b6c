import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputs } from '../../emulator/runner.js'
import { FakeCore, inputEnv, maskSecrets, readAsRunner } from '../helpers/fake-core.js'

/**
 * The fake core is only worth its tests if it behaves like the real one: each
 * test here does the same thing to both and compares what comes out.
 */

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccr-fake-core-'))
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

const savedEnv = { ...process.env }
afterEach(() => {
  process.env = { ...savedEnv }
  process.exitCode = undefined
  jest.restoreAllMocks()
})

/** What the real core writes to stdout while `act` runs. */
function realStdout(act: () => void): string {
  let text = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    text += String(chunk)
    return true
  })
  try {
    act()
  } finally {
    jest.restoreAllMocks()
  }
  return text
}

type Script = (c: Pick<typeof core, 'info' | 'debug' | 'notice' | 'warning' | 'error' | 'setSecret' | 'startGroup' | 'endGroup' | 'setFailed'>) => void

const SCRIPTS: Array<[string, Script]> = [
  [
    'plain lines, and a line with a newline in it',
    c => {
      c.info('hello')
      c.info('two\nlines')
      c.info('')
    }
  ],
  [
    'annotations with every property, escaped as core escapes them',
    c => {
      c.error('50% done:\r\nnext, then', { title: 'a: b, c%', file: 'dir/robots.yaml', startLine: 7, endLine: 8, startColumn: 13, endColumn: 20 })
      c.warning('a warning', { file: 'robots.yaml', startLine: 1 })
      c.notice('a notice')
      c.error(new Error('an Error object'))
      c.warning('empty properties are left out', { title: '', file: 'x' })
    }
  ],
  [
    'debug lines, groups and a secret',
    c => {
      c.setSecret('s3cret%value\nline two')
      c.debug('debug: 100%')
      c.startGroup('a group')
      c.endGroup()
    }
  ],
  [
    'a failed step',
    c => {
      c.setFailed('it failed')
      c.setFailed(new Error('it failed again'))
    }
  ]
]

describe('the fake core writes what the real core writes', () => {
  it.each(SCRIPTS)('%s', (_name, script) => {
    const real = realStdout(() => script(core))
    const realExitCode = process.exitCode
    const fake = new FakeCore()
    script(fake)

    expect(real).not.toBe('')
    expect(fake.stdout).toBe(real)
    expect(fake.exitCode).toBe(realExitCode === undefined ? undefined : Number(realExitCode))
  })

  const INPUTS: Array<[string, Record<string, string>, string, core.InputOptions | undefined]> = [
    ['a value with spaces around it', { 'secret-key': '  k e y \n' }, 'secret-key', undefined],
    ['the same value untrimmed', { 'secret-key': '  k e y \n' }, 'secret-key', { trimWhitespace: false }],
    ['a name in another case', { 'Dry-Run': 'true' }, 'dry-run', undefined],
    ['a name with a space', { 'github token': 't' }, 'github token', undefined],
    ['a missing input', {}, 'sdkappid', undefined],
    ['a missing required input', {}, 'sdkappid', { required: true }],
    ['an empty required input', { sdkappid: '' }, 'sdkappid', { required: true }],
    ['a required input of white space (core checks before trimming)', { sdkappid: '   ' }, 'sdkappid', { required: true }]
  ]

  it.each(INPUTS)('getInput: %s', (_name, inputs, name, options) => {
    const outcome = (read: () => string): { value?: string; error?: string } => {
      try {
        return { value: read() }
      } catch (error) {
        return { error: (error as Error).message }
      }
    }
    Object.assign(process.env, inputEnv(inputs))
    const real = outcome(() => core.getInput(name, options))
    const fake = outcome(() => new FakeCore({ env: inputEnv(inputs) }).getInput(name, options))
    expect(fake).toEqual(real)
  })

  it('isDebug: true exactly when RUNNER_DEBUG is 1', () => {
    for (const value of [undefined, '0', '1', 'true']) {
      if (value === undefined) delete process.env.RUNNER_DEBUG
      else process.env.RUNNER_DEBUG = value
      expect([value, new FakeCore({ env: { RUNNER_DEBUG: value } }).isDebug()]).toEqual([value, core.isDebug()])
    }
  })

  it('setOutput: the values the runner reads from $GITHUB_OUTPUT', async () => {
    const file = join(dir, 'output')
    await writeFile(file, '')
    process.env.GITHUB_OUTPUT = file
    const values: Array<[string, unknown]> = [
      ['text', 'a "quoted"\nmultiline value'],
      ['number', 42],
      ['list', ['@RBT#a', 'x']],
      ['empty', ''],
      ['nothing', null]
    ]
    const fake = new FakeCore()
    for (const [name, value] of values) {
      core.setOutput(name, value)
      fake.setOutput(name, value)
    }
    expect(fake.outputs).toEqual(parseOutputs(await readFile(file, 'utf8')))
  })

  it('summary: the same text written, appended and overwritten', async () => {
    const file = join(dir, 'summary')
    await writeFile(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    const fake = new FakeCore()
    for (const summary of [core.summary, fake.summary]) {
      await summary
        .addHeading('Robots', 2)
        .addRaw('<p>first</p>', true)
        .addTable([[{ data: 'UserID', header: true }], ['@RBT#a']])
        .write()
      await summary.addRaw('second').write()
    }
    expect(fake.summaryText).toBe(await readFile(file, 'utf8'))
    for (const summary of [core.summary, fake.summary]) await summary.addRaw('only this', true).write({ overwrite: true })
    expect(fake.summaryText).toBe(await readFile(file, 'utf8'))
  })

  it('setOutput and summary.write fail when asked to, as core does with unwritable files', async () => {
    const fake = new FakeCore({ outputsFail: true, summaryFails: true })
    expect(() => fake.setOutput('results', '[]')).toThrow(/EISDIR/)
    await expect(fake.summary.addRaw('x').write()).rejects.toThrow(/Unable to access summary file/)
  })
})

describe("the runner's reading of the log", () => {
  it('masks a secret in every line after add-mask, not before', () => {
    const fake = new FakeCore()
    fake.info('early: hunter2-secret')
    fake.setSecret('hunter2-secret')
    fake.info('late: hunter2-secret, twice hunter2-secret')
    fake.warning('in an annotation: hunter2-secret', { title: 'hunter2-secret' })
    const view = fake.runnerView()

    expect(view.masks).toEqual(['hunter2-secret'])
    expect(view.log).toEqual(['early: hunter2-secret', 'late: ***, twice ***', 'Warning: in an annotation: ***'])
    expect(view.annotations).toEqual([{ level: 'warning', message: 'in an annotation: ***', title: '***' }])
  })

  it('registers a multi-line secret whole, escaped and unescaped as core and the runner do', () => {
    const fake = new FakeCore()
    fake.setSecret('line one\nline two%')
    fake.error('it was line one\nline two% here')
    expect(fake.runnerView().masks).toEqual(['line one\nline two%'])
    expect(fake.runnerView().annotations[0].message).toBe('it was *** here')
  })

  it('merges overlapping secrets into one mask', () => {
    expect(maskSecrets('xx abcdef yy', ['abcd', 'cdef'])).toBe('xx *** yy')
    expect(maskSecrets('abab', ['ab'])).toBe('***')
    expect(maskSecrets('nothing here', ['secret'])).toBe('nothing here')
  })

  it('warns instead of masking an empty or blank secret', () => {
    const fake = new FakeCore()
    fake.setSecret('   ')
    expect(fake.runnerView()).toMatchObject({ masks: [], log: [expect.stringMatching(/Can't add secret mask for empty string/)] })
  })

  it('shows debug lines only when step debug logging is on', () => {
    for (const debug of [false, true]) {
      const fake = new FakeCore({ env: { RUNNER_DEBUG: debug ? '1' : undefined } })
      fake.debug('details')
      expect(fake.runnerView().log).toEqual(debug ? ['##[debug]details'] : [])
    }
  })

  it('reads annotations with their positions, as the runner does', () => {
    const fake = new FakeCore()
    fake.error('bad, very: bad', { file: 'config/robots.yaml', startLine: 3, startColumn: 13, title: 'robots manifest' })
    fake.notice('fine')
    expect(fake.runnerView().annotations).toEqual([
      { level: 'error', message: 'bad, very: bad', file: 'config/robots.yaml', line: 3, col: 13, title: 'robots manifest' },
      { level: 'notice', message: 'fine' }
    ])
  })

  // What an unescaped line break in data does on a real runner; the fake must show it, not hide it.
  it('runs a workflow command that a raw line break in a log line starts, as the runner would', () => {
    const fake = new FakeCore()
    fake.info('Nick: x\n  ::error file=robots.yaml,line=1::forged')
    fake.info('text before ##[warning]legacy form')
    expect(fake.runnerView().annotations).toEqual([
      { level: 'error', message: 'forged', file: 'robots.yaml', line: 1 },
      { level: 'warning', message: 'legacy form' }
    ])
  })

  it('leaves a line that only looks like a command as text', () => {
    expect(readAsRunner('::not-a-command::x\n::error\n', false)).toEqual({ log: ['::not-a-command::x', '::error'], annotations: [], masks: [] })
  })

  it('runs no command between stop-commands and its token', () => {
    const view = readAsRunner('::stop-commands::pause-123\n::error::not an annotation\n::pause-123::\n::error::an annotation\n', false)
    expect(view.annotations).toEqual([{ level: 'error', message: 'an annotation' }])
    expect(view.log).toContain('::error::not an annotation')
  })
})

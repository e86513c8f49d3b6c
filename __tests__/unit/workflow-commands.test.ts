import { describe, expect, it } from '@jest/globals'
import { parseWorkflowCommands } from '../../emulator/workflow-commands.js'

/** The test suite's reader of workflow commands follows the runner (actions/runner ActionCommand, ActionCommandManager). */
const read = (stdout: string, stderr = '') => parseWorkflowCommands(stdout, stderr).map(c => [c.form, c.command, c.data, c.properties])

describe('reading output the way the runner does', () => {
  it('reads ::name props::data at a line start, after white space too, with its escapes undone', () => {
    expect(read('::error file=a%2Cb.yaml,line=3::one%0Atwo %25\n  \t::warning::w')).toEqual([
      ['v2', 'error', 'one\ntwo %', { file: 'a,b.yaml', line: '3' }],
      ['v2', 'warning', 'w', {}]
    ])
  })

  it('finds the legacy ##[name props]data anywhere in a line, in any case, with ; between properties', () => {
    expect(read('✅ @RBT#a##[ERROR file=x.md;line=2]forged%5D')).toEqual([['legacy', 'ERROR', 'forged]', { file: 'x.md', line: '2' }]])
  })

  it('tries the legacy form when the line is not a registered :: command, and not when it is', () => {
    expect(read('::nonsense::x ##[error]y\n::error::x ##[warning]y')).toEqual([
      ['legacy', 'error', 'y', {}],
      ['v2', 'error', 'x ##[warning]y', {}]
    ])
  })

  it('splits lines at LF, CR and CRLF, and reads stderr like stdout', () => {
    expect(read('a\r::error::b\r\nc', 'x ##[warning]y')).toEqual([
      ['v2', 'error', 'b', {}],
      ['legacy', 'warning', 'y', {}]
    ])
  })

  it('skips characters a culture-sensitive comparison ignores', () => {
    expect(read('\u00ad::error::a\n#\u200b#\u00ad[warning]b')).toEqual([
      ['v2', 'error', 'a', {}],
      ['legacy', 'warning', 'b', {}]
    ])
  })

  it('honours stop-commands until its token comes back, in either form', () => {
    expect(read('::stop-commands::tok\n::error::hidden\n##[add-mask]hidden\nsome ##[tok]\n::error::seen')).toEqual([
      ['v2', 'stop-commands', 'tok', {}],
      ['v2', 'error', 'seen', {}]
    ])
  })

  it('ignores what is not a registered command', () => {
    expect(read('::notacommand::x\n##[notacommand]y\n::error no closing\n##[error no bracket')).toEqual([])
  })
})

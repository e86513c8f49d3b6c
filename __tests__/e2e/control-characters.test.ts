import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results, type ActionRun } from '../../emulator/runner.js'
import { runAgainst, startVendor } from '../helpers/vendor.js'

/**
 * Control characters are refused in every field: an ANSI escape in a Nick
 * repaints a terminal, a carriage return hides text, a NUL or a lone surrogate
 * is not text at all. Only tab and line feed pass. Each is an error on its line,
 * and nothing is sent.
 */

let vendor: VendorEmulator
let inputs: Record<string, string>
beforeAll(async () => ({ vendor, inputs } = await startVendor()))
afterAll(async () => vendor.stop())

const head = 'robots:\n  - UserID: "@RBT#ok"\n    Nick: Fine\n'

/** Each entry of the manifest below, the line of its error within the entry, and what the error says (at most 10: the step annotates no more errors than that). */
const HOSTILE: Array<[string, string, number, RegExp]> = [
  [
    'a raw ANSI escape in a plain Nick',
    '  - UserID: "@RBT#ansi"\n    Nick: red\x1b[31mtext\n',
    2,
    /Nick contains a control character, U\+001B, at character 4/
  ],
  ['an escaped NUL in a double-quoted Nick', '  - UserID: "@RBT#nul"\n    Nick: "a\\0b"\n', 2, /Nick contains a control character, U\+0000/],
  ['an escaped carriage return in a UserID', '  - UserID: "@RBT#a\\rb"\n', 1, /UserID contains a control character, U\+000D/],
  ['a raw C1 CSI in a SelfSignature', '  - UserID: "@RBT#c1"\n    SelfSignature: "x\u009b2Jy"\n', 2, /SelfSignature contains a control character, U\+009B/],
  ['DEL in a FaceUrl', '  - UserID: "@RBT#del"\n    FaceUrl: "https://x/\x7f.png"\n', 2, /FaceUrl contains a control character, U\+007F/],
  ['a lone high surrogate', '  - UserID: "@RBT#sur"\n    Nick: "a\\uD800b"\n', 2, /Nick contains a lone surrogate, U\+D800/],
  ['a lone low surrogate', '  - UserID: "@RBT#sur2"\n    Nick: "\\uDC00"\n', 2, /Nick contains a lone surrogate, U\+DC00/],
  [
    'a bell on the second line of a block scalar',
    '  - UserID: "@RBT#block"\n    SelfSignature: |\n      one\n      two\x07\n',
    4,
    /SelfSignature contains a control character, U\+0007/
  ],
  ['a vertical tab', '  - UserID: "@RBT#vt"\n    Nick: "a\\vb"\n', 2, /Nick contains a control character, U\+000B/]
]

describe('control characters in the manifest (built action)', () => {
  // One manifest holds them all, as a careless or hostile one would: one run, every problem on its line.
  const lines = (text: string) => text.split('\n').length - 1
  const starts = HOSTILE.map((_, i) => lines(head) + HOSTILE.slice(0, i).reduce((sum, [, entry]) => sum + lines(entry), 0))
  let run: ActionRun
  beforeAll(async () => {
    vendor.reset()
    run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': head + HOSTILE.map(([, entry]) => entry).join('') } })
  })

  it('fails the step and calls nothing', () => {
    expect(run.exitCode).toBe(1)
    expect(vendor.calls).toEqual([])
    expect(results(run)[0]).toMatchObject({ UserID: '@RBT#ok', status: 'skipped' })
  })

  it.each(HOSTILE.map((c, i) => [...c, i] as const))('%s is an error on its line', (_name, _entry, line, says, i) => {
    const onLine = run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml' && a.line === starts[i] + line)
    expect(onLine.map(a => a.message).join('\n')).toMatch(says)
    expect(results(run)[i + 1]).toMatchObject({ status: 'invalid' })
  })

  it('repeats none of the characters in the log', () => {
    const log = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::'))
      .join('\n')
    for (const character of ['\x1b', '\x00', '\x07', '\x0b', '\x7f', '\u009b']) expect(log).not.toContain(character)
  })

  it('tab, line feed and characters outside the BMP pass and are sent as written', async () => {
    vendor.reset()
    const text = 'robots:\n  - UserID: "@RBT#fine"\n    Nick: "a\\tb"\n    SelfSignature: "line one\\nline two 😀"\n'
    const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': text } })

    expect(run.exitCode).toBe(0)
    expect(vendor.robots()).toEqual([{ UserID: '@RBT#fine', Nick: 'a\tb', SelfSignature: 'line one\nline two 😀' }])
  })
})

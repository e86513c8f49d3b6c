import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results } from '../../emulator/runner.js'
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

const HOSTILE: Array<[string, string, number, RegExp]> = [
  [
    'a raw ANSI escape in a plain Nick',
    head + '  - UserID: "@RBT#ansi"\n    Nick: red\x1b[31mtext\n',
    5,
    /Nick contains a control character, U\+001B, at character 4/
  ],
  ['an escaped NUL in a double-quoted Nick', head + '  - UserID: "@RBT#nul"\n    Nick: "a\\0b"\n', 5, /Nick contains a control character, U\+0000/],
  ['an escaped carriage return in a UserID', head + '  - UserID: "@RBT#a\\rb"\n', 4, /UserID contains a control character, U\+000D/],
  [
    'a raw C1 CSI in a SelfSignature',
    head + '  - UserID: "@RBT#c1"\n    SelfSignature: "x\u009b2Jy"\n',
    5,
    /SelfSignature contains a control character, U\+009B/
  ],
  ['DEL in a FaceUrl', head + '  - UserID: "@RBT#del"\n    FaceUrl: "https://x/\x7f.png"\n', 5, /FaceUrl contains a control character, U\+007F/],
  ['a lone high surrogate', head + '  - UserID: "@RBT#sur"\n    Nick: "a\\uD800b"\n', 5, /Nick contains a lone surrogate, U\+D800/],
  ['a lone low surrogate', head + '  - UserID: "@RBT#sur"\n    Nick: "\\uDC00"\n', 5, /Nick contains a lone surrogate, U\+DC00/],
  [
    'a bell on the second line of a block scalar',
    head + '  - UserID: "@RBT#block"\n    SelfSignature: |\n      one\n      two\x07\n',
    7,
    /SelfSignature contains a control character, U\+0007/
  ],
  ['a vertical tab', head + '  - UserID: "@RBT#vt"\n    Nick: "a\\vb"\n', 5, /Nick contains a control character, U\+000B/]
]

describe('control characters in the manifest (built action)', () => {
  it.each(HOSTILE)('%s is an error on its line, and nothing is called', async (_name, text, line, says) => {
    vendor.reset()
    const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': text } })

    expect(run.exitCode).toBe(1)
    expect(vendor.calls).toEqual([])
    const onLine = run.annotations.filter(a => a.level === 'error' && a.file === 'robots.yaml' && a.line === line)
    expect(onLine.map(a => a.message).join('\n')).toMatch(says)
    expect(results(run)[1]).toMatchObject({ status: 'invalid' })
    // The character itself is not repeated in any channel.
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

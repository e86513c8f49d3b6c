import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { ALIAS_BOMB, DEEP_NESTING, TOKEN_FLOODS } from '../../emulator/hostile-manifests.js'
import { parseManifest } from '../../src/manifest/parse.js'
import { MAX_LINES, MAX_NESTING_DEPTH, MAX_SYNTAX_PROBLEMS, MAX_YAML_TOKENS } from '../../src/manifest/syntax.js'
import { isValid, type ManifestProblem } from '../../src/manifest/types.js'
import { nearest } from '../../src/nearest.js'

const fixtures = new URL('../fixtures/manifests/', import.meta.url)
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8')

/** [line:column, severity, entry index or '-', a part of the message] */
type Expected = [at: string, severity: 'error' | 'warning', entry: number | '-', message: string]

function shape(problem: ManifestProblem): Expected {
  return [`${problem.line}:${problem.column}`, problem.severity, problem.entry ?? '-', problem.message]
}

function expectProblems(text: string, expected: Expected[]): void {
  const problems = parseManifest(text, 'robots.yaml').problems
  expect(problems.map(shape)).toEqual(expected.map(([at, severity, entry, message]) => [at, severity, entry, expect.stringContaining(message)]))
}

describe('the fixture corpus', () => {
  const cases: [file: string, behaviour: string, problems: Expected[]][] = [
    ['valid/full.yaml', 'the README example has no problems', []],
    ['valid/minimal.yaml', 'a robot needs only a UserID', []],
    ['valid/no-robots.yaml', 'an empty robots list is valid', []],
    ['valid/twenty-robots.yaml', "twenty robots, the vendor's limit, are allowed", []],
    ['valid/tab-newline-emoji.yaml', 'tab, line feed and characters outside the BMP are text', []],
    ['valid/at-the-limits.yaml', 'a 32-byte UserID and 500-byte fields are allowed', []],
    ['valid/flow-style.yaml', 'flow-style YAML reads the same as block style', []],
    ['valid/quoting.yaml', 'quoted numbers, YAML 1.2 "yes", block scalars and empty strings are text', []],
    ['valid/retired.yaml', 'a retired list of quoted UserIDs beside robots is valid', []],
    ['valid/twenty-robots-and-retired.yaml', 'retired UserIDs do not count against the limit of 20 robots', []],
    [
      'valid/unusual-userid.yaml',
      'a character outside the documented set is a warning, not an error',
      [['3:13', 'warning', 0, 'UserID "@RBT#support.bot" contains "." (U+002E): the vendor documents letters, digits, "_" and "-"']]
    ],
    ['invalid/empty.yaml', 'an empty file is an error that shows how to start', [['1:1', 'error', '-', 'The manifest is empty: start it with robots:']]],
    [
      'invalid/entry-not-a-mapping.yaml',
      'a robot that is not a mapping is an error naming what it is',
      [
        ['2:5', 'error', 0, 'Robot 1 is just a string: write it as a mapping, e.g. - UserID: "@RBT#support"'],
        ['3:5', 'error', 1, 'Robot 2 must be a mapping with a UserID (and optionally Nick, FaceUrl, SelfSignature), but it is a number.']
      ]
    ],
    [
      'invalid/control-characters.yaml',
      'a control character or a lone surrogate in any field is an error naming its code point, never the character',
      [
        [
          '3:11',
          'error',
          0,
          'Nick contains a control character, U+001B, at character 4: remove it; tab and line feed are the only control characters a field may hold.'
        ],
        ['5:20', 'error', 1, 'SelfSignature contains a control character, U+009B, at character 2'],
        ['6:13', 'error', 2, 'UserID contains a control character, U+0000, at character 9'],
        ['8:14', 'error', 3, 'FaceUrl contains a lone surrogate, U+D800, at character 1 (half of a UTF-16 pair, not text)']
      ]
    ],
    [
      'invalid/field-too-long.yaml',
      'a field over 500 bytes is an error naming its size and the limit',
      [['3:14', 'error', 0, 'FaceUrl "https://cdn.example.com/…" is 502 bytes; the limit is 500 bytes (UTF-8).']]
    ],
    [
      'invalid/many-problems.yaml',
      'every problem is reported at once, each on its own line',
      [
        ['4:5', 'error', 0, 'Unknown key "Nikc": did you mean "Nick"?'],
        ['5:13', 'error', 1, 'UserID "support" does not start with "@RBT#"'],
        ['6:11', 'error', 1, 'Nick is a number (42), not text: quote it: Nick: "42"'],
        ['7:5', 'error', 2, 'Robot 3 has no UserID: add one, e.g. UserID: "@RBT#support".'],
        ['8:13', 'error', 3, 'UserID "@RBT#support" is already used by the robot on line 3']
      ]
    ],
    [
      'invalid/missing-prefix.yaml',
      'a UserID without the prefix is an error suggesting the prefixed form',
      [['2:13', 'error', 0, 'UserID "support" does not start with "@RBT#", as every chatbot\'s must: write UserID: "@RBT#support".']]
    ],
    ['invalid/missing-userid.yaml', 'a robot without a UserID is an error where the robot starts', [['2:5', 'error', 0, 'Robot 1 has no UserID']]],
    [
      'invalid/misspelt-key.yaml',
      'a misspelt key is an error suggesting the nearest known key',
      [['3:5', 'error', 0, 'Unknown key "Nikc": did you mean "Nick"?']]
    ],
    [
      'invalid/wrong-case-key.yaml',
      'keys are case-sensitive, and the suggestion stands in for "no UserID"',
      [['2:5', 'error', 0, 'Unknown key "userid": did you mean "UserID"?']]
    ],
    [
      'invalid/unknown-key.yaml',
      'an unknown key far from every known key lists the known keys instead',
      [['3:5', 'error', 0, 'Unknown key "Avatar": a robot may have UserID, Nick, FaceUrl and SelfSignature.']]
    ],
    [
      'invalid/unknown-top-level-key.yaml',
      'an unknown top-level key is an error naming it',
      [['1:1', 'error', '-', 'Unknown top-level key "version": the manifest\'s top-level keys are robots and retired.']]
    ],
    [
      'invalid/misspelt-robots.yaml',
      'a misspelt robots key is one error suggesting robots',
      [['1:1', 'error', '-', 'Unknown top-level key "robot": did you mean "robots"?']]
    ],
    [
      'invalid/nothing-after-prefix.yaml',
      'a UserID that is only the prefix is an error',
      [['2:13', 'error', 0, 'UserID "@RBT#" has nothing after the "@RBT#" prefix']]
    ],
    [
      'invalid/robots-is-a-mapping.yaml',
      'robots must be a list, reported at its value, with a hint when it is a mapping',
      [['2:3', 'error', '-', 'robots must be a list of robots, but it is a mapping. Start each robot with "- "']]
    ],
    [
      'invalid/robots-without-value.yaml',
      'robots without a value is an error suggesting robots: []',
      [['1:1', 'error', '-', 'robots has no value: list the robots under it, or write robots: [] for none.']]
    ],
    [
      'invalid/too-many-robots.yaml',
      'more than 20 robots is one error on the robots line naming the count and the limit',
      [['1:1', 'error', '-', 'robots lists 21 robots; the limit is 20 chatbots per app']]
    ],
    [
      'invalid/top-level-list.yaml',
      'a top-level list is an error suggesting robots: above it',
      [['1:1', 'error', '-', 'The manifest must be a mapping with the key robots, but it is a list. Put robots: above the list']]
    ],
    [
      'invalid/userid-too-long.yaml',
      'a UserID over 32 bytes is an error naming its size and the limit',
      [['2:13', 'error', 0, `UserID "@RBT#${'x'.repeat(28)}" is 33 bytes; the limit is 32 bytes (UTF-8).`]]
    ],
    [
      'invalid/wrong-types.yaml',
      'a value that is not text is an error naming its type, suggesting quotes for scalars',
      [
        ['2:13', 'error', 0, 'UserID is a number (12345), not text: quote it: UserID: "12345"'],
        ['3:11', 'error', 0, 'Nick is a number (123), not text: quote it: Nick: "123"'],
        ['4:14', 'error', 0, 'FaceUrl is a boolean (true), not text: quote it: FaceUrl: "true"'],
        ['5:20', 'error', 0, 'SelfSignature is null (null), not text: quote it: SelfSignature: "null"'],
        ['7:11', 'error', 1, 'Nick is a list, not text: write a single string, e.g. Nick: "Support".'],
        ['8:14', 'error', 1, 'FaceUrl is a mapping, not text: write a single string'],
        ['9:5', 'error', 1, 'SelfSignature has no value: give it one, e.g. SelfSignature: "Ask me anything", or remove the line.']
      ]
    ],
    [
      'beyond-schema/userid-multibyte.yaml',
      'UserID length is counted in UTF-8 bytes, not characters',
      [
        ['3:13', 'error', 0, 'UserID "@RBT#客服机器人小助手一号" is 35 bytes; the limit is 32 bytes (UTF-8).'],
        ['3:13', 'warning', 0, 'contains "客" (U+5BA2), "服" (U+670D), "机" (U+673A), "器" (U+5668), "人" (U+4EBA), …']
      ]
    ],
    [
      'beyond-schema/userid-32-characters.yaml',
      'a UserID of 32 multi-byte characters is over the byte limit',
      [
        ['3:13', 'error', 0, 'is 59 bytes; the limit is 32 bytes (UTF-8).'],
        ['3:13', 'warning', 0, 'contains "é"']
      ]
    ],
    [
      'beyond-schema/field-multibyte.yaml',
      'field length is counted in UTF-8 bytes, not characters',
      [['4:11', 'error', 0, 'Nick "éééééééééééééééééééééééé…" is 1000 bytes; the limit is 500 bytes (UTF-8).']]
    ],
    [
      'beyond-schema/retired-and-listed.yaml',
      'a retired UserID listed again under robots is an error on that robot, saying the vendor keeps it reserved',
      [['3:13', 'error', 1, 'UserID "@RBT#legacy" is retired on line 6: the vendor keeps a deleted robot\'s UserID reserved, so it cannot be created again.']]
    ],
    [
      'beyond-schema/retired-twice.yaml',
      'a UserID retired twice is an error on the second, naming the line of the first',
      [['4:5', 'error', '-', 'UserID "@RBT#legacy" is already retired on line 3: list it once.']]
    ],
    [
      'invalid/retired-not-a-list.yaml',
      'retired must be a list of UserIDs',
      [['2:10', 'error', '-', 'retired must be a list of UserIDs, but it is text: write each as a quoted string, e.g. retired: ["@RBT#support"].']]
    ],
    [
      'invalid/retired-missing-prefix.yaml',
      "each retired item is a UserID checked like a robot's",
      [
        ['3:5', 'error', '-', 'UserID "legacy" does not start with "@RBT#"'],
        ['4:5', 'error', '-', 'Item 2 of retired is a mapping: retired lists UserIDs only, e.g. - "@RBT#support".']
      ]
    ],
    [
      'beyond-schema/duplicate-userid.yaml',
      'a repeated UserID is an error on the second, naming the line of the first',
      [['6:13', 'error', 2, 'UserID "@RBT#support" is already used by the robot on line 3: give each robot its own UserID.']]
    ],
    [
      'yaml-errors/unquoted-at.yaml',
      'an unquoted leading @ is a YAML error with the quoted form as the fix',
      [['2:13', 'error', 0, 'A plain YAML value cannot start with "@" (YAML reserves it): quote it: UserID: "@RBT#support"']]
    ],
    [
      'yaml-errors/tab-indent.yaml',
      'a tab used for indentation is an error with a hint',
      [['3:1', 'error', '-', 'Tabs are not allowed for indentation in YAML: indent this line with spaces.']]
    ],
    [
      'yaml-errors/duplicate-key.yaml',
      'a repeated key in a robot is an error naming the line of the first',
      [['4:5', 'error', 0, 'Duplicate key "Nick" (first on line 3): remove one of them.']]
    ],
    [
      'yaml-errors/alias.yaml',
      'anchors and aliases are refused with a clear message',
      [
        ['3:11', 'error', 0, 'Anchors (&nick) and aliases are not supported in a manifest: write each value out in full.'],
        ['5:11', 'error', 1, 'Nick is an alias (*nick): aliases are not supported in a manifest']
      ]
    ],
    [
      'yaml-errors/unclosed-quote.yaml',
      'an unclosed quote is reported where it opens, and nothing guessed after it',
      [['2:13', 'error', '-', 'This quoted value has no closing ", so it runs on to line 4: add the closing quote.']]
    ],
    ['yaml-errors/two-documents.yaml', 'a second YAML document is an error', [['3:1', 'error', '-', 'The manifest holds a second YAML document (after ---)']]],
    [
      'yaml-errors/alias-bomb.yaml',
      'an alias bomb is refused without expanding it',
      [
        ...'abcdefghi'.split('').flatMap((name, line): Expected[] => [
          [`${line + 1}:1`, 'error', '-', `Unknown top-level key "${name}"`],
          [`${line + 1}:4`, 'error', '-', `Anchors (&${name}) and aliases are not supported`]
        ]),
        ['10:9', 'error', '-', 'robots must be a list of robots, but it is an alias (*i), which a manifest does not support.']
      ]
    ]
  ]

  it.each(cases)('%s: %s', (file, _, problems) => {
    expectProblems(fixture(file), problems)
  })

  it('lists every fixture file in the table above', () => {
    const files = ['valid', 'invalid', 'beyond-schema', 'yaml-errors'].flatMap(folder =>
      readdirSync(new URL(`${folder}/`, fixtures)).map(name => `${folder}/${name}`)
    )
    expect(files.sort()).toEqual(cases.map(([file]) => file).sort())
  })
})

describe('entries', () => {
  it('carry the UserID, the profile and where each value is', () => {
    const { entries } = parseManifest(fixture('valid/full.yaml'), 'robots.yaml')
    expect(entries).toEqual([
      {
        index: 0,
        UserID: '@RBT#support',
        profile: { Nick: 'Support', FaceUrl: 'https://cdn.example.com/support.png', SelfSignature: 'Ask me anything' },
        position: { line: 3, column: 5 },
        fieldPositions: {
          UserID: { line: 3, column: 13 },
          Nick: { line: 4, column: 11 },
          FaceUrl: { line: 5, column: 14 },
          SelfSignature: { line: 6, column: 20 }
        },
        problems: []
      },
      {
        index: 1,
        UserID: '@RBT#sales',
        profile: { Nick: 'Sales' },
        position: { line: 7, column: 5 },
        fieldPositions: { UserID: { line: 7, column: 13 }, Nick: { line: 8, column: 11 } },
        problems: []
      }
    ])
  })

  it('are all listed, valid or not, each holding its own problems', () => {
    const { entries, problems } = parseManifest(fixture('invalid/many-problems.yaml'), 'robots.yaml')
    expect(entries.map(entry => [entry.UserID, entry.problems.length, isValid(entry)])).toEqual([
      ['@RBT#support', 1, false],
      ['support', 2, false],
      [null, 1, false],
      ['@RBT#support', 1, false]
    ])
    expect(entries.flatMap(entry => entry.problems)).toEqual(problems)
  })

  it('keep only the string-valued known fields in the profile', () => {
    const { entries } = parseManifest(fixture('invalid/wrong-types.yaml'), 'robots.yaml')
    expect(entries.map(entry => [entry.UserID, entry.profile])).toEqual([
      [null, {}],
      ['@RBT#b', {}]
    ])
  })

  it('place an empty value at its key', () => {
    const { entries } = parseManifest('robots:\n  - UserID: "@RBT#a"\n    Nick:\n', 'robots.yaml')
    expect(entries[0].fieldPositions.Nick).toEqual({ line: 3, column: 5 })
  })

  it('are valid when they have only warnings', () => {
    const { entries } = parseManifest(fixture('valid/unusual-userid.yaml'), 'robots.yaml')
    expect(isValid(entries[0])).toBe(true)
  })

  it('read the strings of quoted, folded and literal values exactly', () => {
    const { entries } = parseManifest(fixture('valid/quoting.yaml'), 'robots.yaml')
    expect(entries.map(entry => [entry.UserID, entry.profile])).toEqual([
      ['@RBT#single', { Nick: '123', FaceUrl: 'yes', SelfSignature: 'Two lines\nof status.\n' }],
      ['@RBT#folded', { SelfSignature: 'One line, folded.', Nick: '' }]
    ])
  })
})

describe('problems', () => {
  it('carry the manifest path as given', () => {
    const { problems, file } = parseManifest('robots: 1\n', 'config/robots.yaml')
    expect(file).toBe('config/robots.yaml')
    expect(problems.map(problem => problem.file)).toEqual(['config/robots.yaml'])
  })

  it('are sorted by line, then column', () => {
    const { problems } = parseManifest('robots:\n  - Nikc: 1\n    UserID: 2\n  - UserID: x\n    Avatar: 3\n', 'robots.yaml')
    const positions = problems.map(problem => [problem.line, problem.column])
    expect(positions).toEqual([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
    expect(positions.length).toBeGreaterThan(3)
  })
})

describe('inline YAML', () => {
  const cases: [behaviour: string, yaml: string, problems: Expected[]][] = [
    [
      'CRLF line ends are accepted, and lines and columns stay right',
      'robots:\r\n  - UserID: "@RBT#a"\r\n    Nikc: A\r\n',
      [['3:5', 'error', 0, 'Unknown key "Nikc"']]
    ],
    [
      'a UTF-8 byte order mark is accepted and not counted as a column',
      '\uFEFFrobots:\n  - UserID: @RBT#a\n',
      [['2:13', 'error', 0, 'quote it: UserID: "@RBT#a"']]
    ],
    ['a byte order mark is not counted on line 1 either', '\uFEFFrobot: []\n', [['1:1', 'error', '-', 'Unknown top-level key "robot"']]],
    [
      'the quoting hint keeps the key and drops a trailing comment',
      'robots:\n  - Nick: A\n    UserID: @RBT#a  # main bot\n',
      [['3:13', 'error', 0, 'quote it: UserID: "@RBT#a"']]
    ],
    ['the quoting hint works in flow style too', 'robots: [{UserID: @RBT#a, Nick: A}]\n', [['1:19', 'error', 0, 'quote it: UserID: "@RBT#a"']]],
    [
      'an unquoted leading backtick gets the same hint',
      'robots:\n  - UserID: "@RBT#a"\n    Nick: `A`\n',
      [['3:11', 'error', 0, 'A plain YAML value cannot start with "`" (YAML reserves it): quote it: Nick: "`A`"']]
    ],
    [
      'an unquoted @ does not hide the other problems of the manifest',
      'robots:\n  - UserID: @RBT#a\n    Nikc: A\n',
      [
        ['2:13', 'error', 0, 'quote it: UserID: "@RBT#a"'],
        ['3:5', 'error', 0, 'Unknown key "Nikc"']
      ]
    ],
    [
      'a tab inside the indentation gets the tab hint',
      'robots:\n  - UserID: "@RBT#a"\n  \tNick: A\n',
      [['3:1', 'error', '-', 'YAML syntax error: All mapping items must start at the same column. This line is indented with a tab: indent with spaces.']]
    ],
    [
      'a repeated robots key is an error naming the line of the first',
      'robots: []\nrobots: []\n',
      [['2:1', 'error', '-', 'Duplicate key "robots" (first on line 1)']]
    ],
    [
      'a robot that is a bare pair in a flow list is read as a mapping',
      'robots: [UserID: "@RBT#a", UserID: 7]\n',
      [['1:36', 'error', 1, 'UserID is a number (7)']]
    ],
    ['an empty list item is an error', 'robots:\n  -\n  - UserID: "@RBT#a"\n', [['2:4', 'error', 0, 'Robot 1 is empty: give it a UserID, or remove the "-".']]],
    [
      'a key that is not a plain name is an error',
      'robots:\n  - UserID: "@RBT#a"\n    ? [Nick]\n    : A\n',
      [['3:7', 'error', 0, 'A key must be a plain name, but this one is a list.']]
    ],
    ['a numeric key is an unknown key named as written', 'robots:\n  - UserID: "@RBT#a"\n    42: A\n', [['3:5', 'error', 0, 'Unknown key "42"']]],
    [
      'an unresolved YAML tag is a warning',
      'robots:\n  - UserID: !id "@RBT#a"\n',
      [['2:13', 'warning', 0, 'Unresolved tag: !id: the manifest needs no YAML tags']]
    ],
    [
      'a tag that makes a quoted value a number suggests removing the tag',
      'robots:\n  - UserID: "@RBT#a"\n    Nick: !!int "12"\n',
      [['3:17', 'error', 0, 'Nick is a number ("12"), not text: remove the tag']]
    ],
    [
      'a UserID with a lower-case prefix gets the upper-case form as the fix',
      'robots:\n  - UserID: "@rbt#a"\n',
      [['2:13', 'error', 0, 'write UserID: "@RBT#a"']]
    ],
    [
      'a UserID over the limit and without the prefix gets both errors',
      `robots:\n  - UserID: "${'x'.repeat(33)}"\n`,
      [
        ['2:13', 'error', 0, 'does not start with "@RBT#"'],
        ['2:13', 'error', 0, 'is 33 bytes; the limit is 32 bytes']
      ]
    ],
    [
      'a UserID of 32 bytes in multi-byte characters is allowed (with the charset warning)',
      `robots:\n  - UserID: "@RBT#${'é'.repeat(13)}x"\n`,
      [['2:13', 'warning', 0, 'contains "é"']]
    ],
    [
      'a very long UserID is shortened in its message',
      `robots:\n  - UserID: "@RBT#${'x'.repeat(5000)}"\n`,
      [['2:13', 'error', 0, `UserID "@RBT#${'x'.repeat(35)}…" is 5005 bytes; the limit is 32 bytes (UTF-8).`]]
    ],
    [
      'a robots list that is an alias is refused',
      'x: &r []\nrobots: *r\n',
      [
        ['1:1', 'error', '-', 'Unknown top-level key "x"'],
        ['1:4', 'error', '-', 'Anchors (&r)'],
        ['2:9', 'error', '-', 'it is an alias (*r)']
      ]
    ],
    ['an anchor on a list item belongs to that robot', 'robots:\n  - UserID: "@RBT#a"\n  - &b\n    UserID: "@RBT#b"\n', [['3:5', 'error', 1, 'Anchors (&b)']]],
    ['a comment-only file is empty', '# robots will come\n', [['1:1', 'error', '-', 'The manifest is empty']]],
    [
      'a scalar at the top is an error naming its type',
      'robots\n',
      [['1:1', 'error', '-', 'The manifest must be a mapping with the key robots, but it is text.']]
    ],
    [
      'a missing robots key is an error when nothing looks like a misspelling of it',
      'entries: []\n',
      [
        ['1:1', 'error', '-', 'Unknown top-level key "entries"'],
        ['1:1', 'error', '-', 'The manifest has no robots key']
      ]
    ],
    ['a syntax error at the top is reported with its position', 'robots: [\n', [['2:1', 'error', '-', 'YAML syntax error']]]
  ]

  it.each(cases)('%s', (_, yaml, problems) => {
    expectProblems(yaml, problems)
  })

  it('after a syntax error that breaks the structure, what YAML guessed is not validated', () => {
    const { problems, entries } = parseManifest('robots:\n  - UserID: "@RBT#a"\n  Nikc: 1\n   - Avatar: 2\n', 'robots.yaml')
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.every(problem => problem.message.startsWith('YAML syntax error') && problem.entry === undefined)).toBe(true)
    expect(problems[0]).toMatchObject({ line: 3, column: 1 })
    expect(entries).toHaveLength(1)
  })
})

describe('key suggestions', () => {
  it.each([
    ['Nikc', 'Nick'],
    ['userid', 'UserID'],
    ['UserId', 'UserID'],
    ['UsrID', 'UserID'],
    ['FaceURL', 'FaceUrl'],
    ['Selfsignature', 'SelfSignature'],
    ['SelfSignatur', 'SelfSignature']
  ])('suggest the nearest known key for %s: %s', (typo, known) => {
    expect(nearest(typo, ['UserID', 'Nick', 'FaceUrl', 'SelfSignature'])).toBe(known)
  })

  it.each(['Avatar', 'Name', 'id', 'x', 'Description', 'a'.repeat(10_000)])('suggest nothing for %s, which is near no known key', name => {
    expect(nearest(name, ['UserID', 'Nick', 'FaceUrl', 'SelfSignature'])).toBeUndefined()
  })
})

describe('hostile input', () => {
  const MiB = 1024 * 1024
  // How fast each is refused is a figure of the bench (P4, P5), not a wall-clock test.
  const problemsOf = (text: string): ManifestProblem[] => parseManifest(text, 'robots.yaml').problems

  it.each([...DEEP_NESTING, ['nested indentation', Array.from({ length: 100 }, (_, depth) => `${' '.repeat(depth)}a:`).join('\n')]])(
    '%s is refused with a clear error',
    (_, text) => {
      expect(problemsOf(text)).toEqual([
        expect.objectContaining({ severity: 'error', message: expect.stringContaining(`nests values more than ${MAX_NESTING_DEPTH} levels deep`) })
      ])
    }
  )

  it('moderate nesting under an unknown key is reported as an unknown key, not refused', () => {
    expectProblems(`robots: []\nextra: ${'['.repeat(20)}${']'.repeat(20)}\n`, [['2:1', 'error', '-', 'Unknown top-level key "extra"']])
  })

  it.each(TOKEN_FLOODS)('1 MiB of %s is refused as too complex', (_, text) => {
    // Many short lines are refused by counting lines; one long line of tokens by counting tokens.
    const limit = text.split('\n').length > MAX_LINES ? `more than ${MAX_LINES} lines` : `more than ${MAX_YAML_TOKENS} YAML tokens`
    expect(problemsOf(text)).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining(limit) })])
  })

  it(`reads a manifest of ${MAX_LINES} lines, and refuses one more on the line past the limit`, () => {
    const robots = `robots:\n  - UserID: "@RBT#a"\n`
    const atLimit = robots + '# a comment\n'.repeat(MAX_LINES - 3)
    expect(atLimit.split('\n')).toHaveLength(MAX_LINES)
    expect(problemsOf(atLimit)).toEqual([])
    const past = parseManifest(atLimit + '\n', 'robots.yaml').problems
    expect(past).toEqual([
      expect.objectContaining({ severity: 'error', line: MAX_LINES + 1, message: expect.stringContaining(`more than ${MAX_LINES} lines`) })
    ])
  })

  it('an alias bomb of a billion expansions is refused without expanding it', () => {
    const problems = problemsOf(ALIAS_BOMB)
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.every(problem => problem.severity === 'error')).toBe(true)
  })

  it(`lists at most ${MAX_SYNTAX_PROBLEMS} YAML problems and counts the rest in one`, () => {
    const { problems } = parseManifest(`robots:\n${'  - UserID: @RBT#a\n'.repeat(60)}`, 'robots.yaml')
    const syntax = problems.filter(problem => problem.message.includes('cannot start with "@"'))
    expect(syntax).toHaveLength(MAX_SYNTAX_PROBLEMS)
    expect(problems).toContainEqual(
      expect.objectContaining({ line: MAX_SYNTAX_PROBLEMS + 2, column: 13, message: expect.stringContaining('…and 10 more YAML problems from here on') })
    )
  })

  it('a 1 MiB manifest of robots with long strings is read whole: the limit error counts every robot', () => {
    let text = 'robots:\n'
    for (let i = 0; text.length < MiB - 2048; i++) {
      text += `  - UserID: "@RBT#bot${i}"\n    Nick: ${'n'.repeat(400)}\n    FaceUrl: https://cdn.example.com/${'f'.repeat(400)}.png\n    SelfSignature: "${'s'.repeat(400)}"\n`
    }
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('robots lists 805 robots') })])
  })
})

describe('a UserID that looks like another', () => {
  it('names an invisible character by its code point, so a lookalike of a robot cannot pass unseen', () => {
    const { problems } = parseManifest('robots:\n  - UserID: "@RBT#supp\u200dort"\n', 'robots.yaml')
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', line: 2, message: expect.stringContaining('(U+200D)') })])
  })
})

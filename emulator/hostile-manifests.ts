/**
 * Hostile manifests of up to 1 MiB, one set for the tests (each is refused, with
 * the right message) and the bench (P5: how fast).
 */
const MiB = 1024 * 1024
const fill = (unit: string, size = MiB - 64): string => unit.repeat(Math.floor(size / unit.length))
const levels = 'abcdefghij'.split('')

/** Nesting deeper than the parser allows. */
export const DEEP_NESTING: Array<[string, string]> = [
  ['deep flow nesting', `robots: ${fill('[')}`],
  ['deep block nesting', fill('- ')],
  ['deep mapping nesting', `robots: ${fill('{a: ')}`]
]

/** 1 MiB of YAML tokens: more than the token cap. */
export const TOKEN_FLOODS: Array<[string, string]> = [
  ['blank lines', `robots:\n${fill('\n')}`],
  ['commas', `robots: [${fill(',')}]`],
  ['tab-indented lines', `a:\n${fill('\tb: 1\n')}`],
  ['unquoted @ values', fill('a: @\n')],
  ['anchors', fill('- &a x\n')],
  ['short entries', `robots:\n${fill('  - UserID: "@RBT#a"\n')}`]
]

/** Ten anchors, each a list of ten aliases of the one before: 10^9 "lol"s if expanded. */
export const ALIAS_BOMB =
  levels
    .map(
      (name, level) =>
        `${name}: &${name} [${
          level === 0
            ? '"lol"'
            : Array(10)
                .fill(`*${levels[level - 1]}`)
                .join(',')
        }]`
    )
    .join('\n') + '\nrobots: []\n'

import { it } from '@jest/globals'

/**
 * For a specification shared by two runners: `e2e` cases run in both, `inProcess`
 * cases only when the runner is the in-process one. The end-to-end file then
 * holds only the cases that need the built program; every case runs in-process,
 * except the rare `builtOnly` one that only a process of its own can run (say
 * why where it is used).
 */
export function specCases(e2eOnly: boolean): { e2e: typeof it; inProcess: typeof it; builtOnly: typeof it } {
  return { e2e: it, inProcess: e2eOnly ? notHere : it, builtOnly: e2eOnly ? it : notHere }
}

/** A case the other runner leaves alone: not registered at all. */
const notHere = Object.assign(() => undefined, { each: () => () => undefined }) as unknown as typeof it

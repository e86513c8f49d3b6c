/** "Did you mean": shared by the manifest's keys and the inputs' values. */

/**
 * The known name closest to `name` by edit distance (adjacent swaps count
 * once), ignoring case; undefined when none is close enough to be a typo.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const target = candidate.toLowerCase()
    const allowed = Math.max(1, Math.floor(Math.max(lower.length, target.length) / 3))
    const distance = Math.abs(lower.length - target.length) > allowed ? Infinity : editDistance(lower, target)
    if (distance <= allowed && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  // Optimal string alignment: Levenshtein plus transposition of neighbours.
  let beforePrevious: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2] + 1)
      current.push(value)
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.length]
}

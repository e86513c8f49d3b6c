import type { Manifest } from '../manifest/types.js'

/**
 * Prune deletes what the manifest does not list, and the vendor keeps a deleted
 * robot's UserID reserved for ever. A manifest that lists no robots with prune on
 * is almost always a mistake (an emptied file, a bad merge, the wrong path), so it
 * is refused before any call; deleting robots on purpose is written out by name.
 * Returns why the run must stop, or null.
 */
export function pruneWouldEmptyTheApp(manifest: Manifest, prune: boolean): string | null {
  if (!prune || manifest.entries.length > 0) return null
  // A manifest with errors makes no call anyway, and says why itself.
  if (manifest.problems.some(problem => problem.severity === 'error')) return null
  return `prune is true but ${manifest.file} lists no robots: this run would delete every robot of the app, and the vendor keeps a deleted robot's UserID reserved for ever. Nothing was called. To delete robots on purpose, list them under retired: (by UserID) and run without prune; to keep them, list them under robots: or set prune: false.`
}

/**
 * Writing the exported manifest into the workspace. The path comes from a
 * workflow input, so it is treated as untrusted, like the manifest's: it must
 * stay inside the workspace, out of .git (a file there is git's own: hooks and
 * config run code), and the file it names must be a regular file or nothing —
 * never a symlink, which would carry the write somewhere else.
 */
import { constants } from 'node:fs'
import { lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { Input } from '../constants.js'

export class ExportError extends Error {
  override name = 'ExportError'
}

/** Where the export goes, checked; `file` is relative to the workspace, with / separators. */
export interface ExportTarget {
  file: string
  target: string
  shown: string
}

/**
 * Checks the path before anything is read from the app, so a wrong path costs no call.
 * Folders that do not exist yet are made, inside the workspace.
 */
export async function prepareExportPath(workspace: string, exportPath: string): Promise<ExportTarget> {
  const shown = JSON.stringify(exportPath)
  const refuse = (why: string): ExportError => new ExportError(`Input ${Input.export} ${shown} ${why}`)
  // A line break in a file name would also end a line of the log it is named in.
  if ([...exportPath].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw refuse('contains a control character: give a plain path relative to the workspace, e.g. robots.yaml.')
  }
  if (path.isAbsolute(exportPath) || path.posix.isAbsolute(exportPath) || path.win32.isAbsolute(exportPath)) {
    throw refuse(`is an absolute path: give a path relative to the workspace (${workspace}), e.g. robots.yaml.`)
  }
  const root = await realpath(workspace).catch(() => {
    throw new ExportError(
      `The workspace ${workspace} cannot be opened, so the export cannot be written: check out the repository (actions/checkout) before this step.`
    )
  })
  const target = path.resolve(root, exportPath)
  const file = path.relative(root, target)
  if (file === '' || isOutside(file)) throw refuse(`points outside the workspace (${root}): the export must be a file in the repository.`)
  if (underGit(file)) throw refuse('is inside .git: the export must be a file of the repository, not of git itself.')

  // The nearest folder that exists must really be inside the workspace (no symlink out of it, nor into .git).
  const parent = path.dirname(target)
  let existing = parent
  while (
    !(await lstat(existing).then(
      () => true,
      () => false
    ))
  )
    existing = path.dirname(existing)
  const real = await realpath(existing)
  const realRelative = path.relative(root, real)
  if (isOutside(realRelative)) throw refuse(`is in a folder that is a symlink to ${real}, outside the workspace.`)
  if (underGit(realRelative)) throw refuse('is in a folder that is a symlink into .git.')
  if (existing !== parent) await mkdir(parent, { recursive: true })
  await checkTarget(target, refuse)
  return { file: file.split(path.sep).join('/'), target, shown }
}

/** Writes the manifest over a regular file at the checked path, or as a new file. */
export async function writeExport({ target, shown }: ExportTarget, text: string): Promise<void> {
  // Checked again: the path was checked before the app was read.
  await checkTarget(target, why => new ExportError(`Input ${Input.export} ${shown} ${why}`))
  // A new file beside the target, renamed over it: the manifest is never half-written, and
  // rename replaces whatever is at the path without following it.
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`)
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644)
  try {
    await handle.writeFile(text, 'utf8')
  } finally {
    await handle.close()
  }
  try {
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

async function checkTarget(target: string, refuse: (why: string) => ExportError): Promise<void> {
  const current = await lstat(target).catch(() => null)
  if (current?.isSymbolicLink())
    throw refuse('is a symlink: the export replaces only a regular file (or writes a new one). Remove the link or choose another path.')
  if (current && !current.isFile())
    throw refuse(`is ${current.isDirectory() ? 'a directory' : 'not a regular file'}: give the path of a YAML file, e.g. robots.yaml.`)
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

function underGit(relative: string): boolean {
  // Case-insensitive: on macOS and Windows runners .GIT is the same folder.
  return relative.split(path.sep).some(segment => segment.toLowerCase() === '.git')
}

/**
 * Reading the manifest from the workspace. The path comes from a workflow
 * input and the file from the tree, which a pull request writes, so both are
 * untrusted: the path must name a plain regular file of the tree — no symlink
 * anywhere below the workspace (git stores links, and a link can point at
 * .git/config, where the checkout keeps its token), nothing under .git/ — and at
 * most MAX_MANIFEST_BYTES of it are read.
 */
import { constants, type Stats } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import path from 'node:path'

/** A manifest of 20 robots is a few kilobytes; anything near this cap is the wrong file. */
export const MAX_MANIFEST_BYTES = 1024 * 1024

/** The manifest could not be read at all (as opposed to a problem inside it). */
export class ManifestError extends Error {
  readonly file: string
  readonly line: number | undefined

  constructor(message: string, file: string, line?: number) {
    super(message)
    this.name = 'ManifestError'
    this.file = file
    this.line = line
  }
}

// Not a NumberFormat made at load: ICU start-up costs every run 10–25 ms, and only two errors need it.
const bytes = (count: number): string => count.toLocaleString('en-US')

export async function readManifestFile(workspace: string, manifestPath: string): Promise<{ file: string; text: string }> {
  const shown = JSON.stringify(manifestPath)
  if (manifestPath.trim() === '') {
    throw new ManifestError('The manifest input is empty: set it to the path of the manifest in the repository, e.g. robots.yaml.', manifestPath)
  }
  if (manifestPath.includes('\0')) {
    throw new ManifestError(`manifest ${shown} contains a NUL character: set the manifest input to a plain relative path, e.g. robots.yaml.`, manifestPath)
  }
  if (path.isAbsolute(manifestPath) || path.posix.isAbsolute(manifestPath) || path.win32.isAbsolute(manifestPath)) {
    throw new ManifestError(`manifest ${shown} is an absolute path: give a path relative to the workspace (${workspace}), e.g. robots.yaml.`, manifestPath)
  }

  const root = await realWorkspace(workspace, manifestPath)
  // Check the spelling first, so `../` is refused even when the place it names does not exist.
  const candidate = path.resolve(root, manifestPath)
  if (isOutside(root, candidate)) {
    throw new ManifestError(
      `manifest ${shown} points outside the workspace (${root}): the manifest must be a file in the repository; set the manifest input to a path inside it.`,
      manifestPath
    )
  }
  const file = path.relative(root, candidate).split(path.sep).join('/')
  if (file.split('/').some(part => part.toLowerCase() === '.git')) {
    // Checked on the spelling, before anything there is opened: .git/ is not the tree.
    throw new ManifestError(
      `manifest ${shown} lies under .git/, git's own data, which holds the checkout's credentials: the manifest must be a file of the tree; set the manifest input to e.g. robots.yaml.`,
      file
    )
  }

  const stats = await plainPath(root, file, shown)
  checkRegularFile(stats, shown, candidate, file)
  checkSize(stats.size, shown, file)

  // O_NONBLOCK: if the file was swapped for a FIFO since stat, open must not wait for a writer.
  // O_NOFOLLOW: nor may it have been swapped for a symlink.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)
  const handle = await open(candidate, flags).catch((error: unknown) => {
    throw unreadable(error, shown, file)
  })
  let data: Buffer
  try {
    const opened = await handle.stat()
    if (!opened.isFile() || opened.ino !== stats.ino || opened.dev !== stats.dev) {
      throw new ManifestError(`manifest ${shown} changed while it was being opened: run again, and make sure nothing rewrites it during the job.`, file)
    }
    checkSize(opened.size, shown, file)
    // One byte past the cap tells "exactly at the cap" from "grew past it after stat".
    const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) break
    }
    if (length > MAX_MANIFEST_BYTES) {
      throw new ManifestError(
        `manifest ${shown} is larger than ${bytes(MAX_MANIFEST_BYTES)} bytes, the limit (1 MiB): is the manifest input pointing at the right file?`,
        file
      )
    }
    data = buffer.subarray(0, length)
  } catch (error) {
    throw error instanceof ManifestError ? error : unreadable(error, shown, file)
  } finally {
    await handle.close()
  }
  return { file, text: decodeUtf8(data, shown, file) }
}

async function realWorkspace(workspace: string, manifestPath: string): Promise<string> {
  try {
    return await realpath(workspace)
  } catch (error) {
    throw new ManifestError(
      `The workspace ${workspace} cannot be opened (${errorCode(error)}), so the manifest ${JSON.stringify(manifestPath)} cannot be read: check out the repository (actions/checkout) before this step.`,
      manifestPath
    )
  }
}

function isOutside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

/**
 * Walks the path from the workspace down, one component at a time, without
 * following anything: a symlink at any step is refused (where it points is
 * never shown — the link's text is the pull request's). Returns the last
 * component's own stats.
 */
async function plainPath(root: string, file: string, shown: string): Promise<Stats> {
  const parts = file === '' ? [] : file.split('/')
  let stats = await lstat(root).catch((error: unknown) => {
    throw unreadable(error, shown, file)
  })
  for (let i = 0; i < parts.length; i++) {
    const at = path.join(root, ...parts.slice(0, i + 1))
    try {
      stats = await lstat(at)
    } catch (error) {
      const code = errorCode(error)
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new ManifestError(
          `No manifest at ${file}: looked for ${path.join(root, ...parts)} (the workspace is ${root}). Add the file, or set the manifest input to its path relative to the workspace.`,
          file
        )
      }
      throw unreadable(error, shown, file)
    }
    if (!stats.isSymbolicLink()) continue
    const last = i === parts.length - 1
    const fix = 'the manifest must be a plain file of the repository (a link can point at files a pull request must not read, such as .git/config)'
    throw new ManifestError(
      last
        ? `manifest ${shown} is a symlink: ${fix}. Commit the file itself, or set the manifest input to the file the link points at.`
        : `manifest ${shown} passes through a symlink (${parts.slice(0, i + 1).join('/')}): ${fix}. Set the manifest input to the real path.`,
      file
    )
  }
  return stats
}

function checkRegularFile(stats: Stats, shown: string, target: string, file: string): void {
  if (stats.isFile()) return
  if (stats.isDirectory()) {
    throw new ManifestError(
      `manifest ${shown} is a directory (${target}), not a file: set the manifest input to the YAML file, e.g. ${path.posix.join(file || '.', 'robots.yaml')}.`,
      file
    )
  }
  const kind = stats.isFIFO()
    ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isSocket()
          ? 'a socket'
          : 'not a regular file'
  throw new ManifestError(`manifest ${shown} is ${kind} (${target}), not a regular file: the manifest must be a YAML file in the repository.`, file)
}

function checkSize(size: number, shown: string, file: string): void {
  if (size > MAX_MANIFEST_BYTES) {
    throw new ManifestError(
      `manifest ${shown} is ${bytes(size)} bytes; the limit is ${bytes(MAX_MANIFEST_BYTES)} bytes (1 MiB): is the manifest input pointing at the right file?`,
      file
    )
  }
}

function decodeUtf8(data: Uint8Array, shown: string, file: string): string {
  try {
    // Also drops a leading UTF-8 byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(data)
  } catch {
    const line = lineOfFirstInvalidByte(data)
    throw new ManifestError(`manifest ${shown} is not valid UTF-8 (the first bad byte is on line ${line}): save the file as UTF-8.`, file, line)
  }
}

/**
 * Validity of a prefix is monotonic (a streaming decoder tolerates a cut-off
 * last character), so a binary search over prefix lengths finds the shortest
 * invalid prefix with the platform's own decoder. Its last byte is where the
 * decoder gave up; the bytes of the broken sequence before it are never a
 * newline, so counting newlines before that byte gives the line.
 */
function lineOfFirstInvalidByte(data: Uint8Array): number {
  const validPrefix = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, length), { stream: true })
      return true
    } catch {
      return false
    }
  }
  let low = 0
  let high = data.length // validPrefix(low) holds; validPrefix(high) fails
  while (high - low > 1) {
    const mid = (low + high) >>> 1
    if (validPrefix(mid)) low = mid
    else high = mid
  }
  let line = 1
  for (let i = 0; i < high - 1; i++) if (data[i] === 0x0a) line++
  return line
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : String(error)
}

function unreadable(error: unknown, shown: string, file: string): ManifestError {
  const code = errorCode(error)
  if (code === 'EACCES' || code === 'EPERM') {
    return new ManifestError(`manifest ${shown} cannot be read (permission denied): make the file readable by the runner.`, file)
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new ManifestError(`manifest ${shown} could not be read: ${detail}`, file)
}

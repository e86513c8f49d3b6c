/**
 * Reading the manifest from the workspace. The path comes from a workflow
 * input, so it is treated as untrusted: it must name a regular file inside the
 * workspace, and at most MAX_MANIFEST_BYTES of it are read.
 */
import { constants, type Stats } from 'node:fs'
import { lstat, open, realpath, stat } from 'node:fs/promises'
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
    throw new ManifestError(`manifest ${shown} points outside the workspace (${root}): the manifest must be a file in the repository; set the manifest input to a path inside it.`, manifestPath)
  }
  const file = path.relative(root, candidate).split(path.sep).join('/')

  const target = await resolveLinks(root, candidate, manifestPath)
  if (isOutside(root, target)) {
    throw new ManifestError(`manifest ${shown} is a symlink to ${target}, outside the workspace (${root}): the manifest must be a file in the repository.`, file)
  }

  const stats = await stat(target).catch((error: unknown) => { throw unreadable(error, shown, file) })
  checkRegularFile(stats, shown, target, file)
  checkSize(stats.size, shown, file)

  // O_NONBLOCK: if the file was swapped for a FIFO since stat, open must not wait for a writer.
  // O_NOFOLLOW: nor may it have been swapped for a symlink.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)
  const handle = await open(target, flags).catch((error: unknown) => { throw unreadable(error, shown, file) })
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
      throw new ManifestError(`manifest ${shown} is larger than ${bytes(MAX_MANIFEST_BYTES)} bytes, the limit (1 MiB): is the manifest input pointing at the right file?`, file)
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
    throw new ManifestError(`The workspace ${workspace} cannot be opened (${errorCode(error)}), so the manifest ${JSON.stringify(manifestPath)} cannot be read: check out the repository (actions/checkout) before this step.`, manifestPath)
  }
}

function isOutside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

async function resolveLinks(root: string, candidate: string, manifestPath: string): Promise<string> {
  const file = path.relative(root, candidate).split(path.sep).join('/')
  const shown = JSON.stringify(manifestPath)
  try {
    return await realpath(candidate)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const link = await lstat(candidate).then(s => s.isSymbolicLink(), () => false)
      const what = link ? `${candidate} is a symlink to a file that does not exist` : `looked for ${candidate}`
      throw new ManifestError(`No manifest at ${file}: ${what} (the workspace is ${root}). Add the file, or set the manifest input to its path relative to the workspace.`, file)
    }
    if (code === 'ELOOP') {
      throw new ManifestError(`manifest ${shown} is a symlink loop: point the manifest input at the YAML file itself.`, file)
    }
    throw unreadable(error, shown, file)
  }
}

function checkRegularFile(stats: Stats, shown: string, target: string, file: string): void {
  if (stats.isFile()) return
  if (stats.isDirectory()) {
    throw new ManifestError(`manifest ${shown} is a directory (${target}), not a file: set the manifest input to the YAML file, e.g. ${path.posix.join(file || '.', 'robots.yaml')}.`, file)
  }
  const kind = stats.isFIFO() ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice() ? 'a character device'
      : stats.isBlockDevice() ? 'a block device'
        : stats.isSocket() ? 'a socket'
          : 'not a regular file'
  throw new ManifestError(`manifest ${shown} is ${kind} (${target}), not a regular file: the manifest must be a YAML file in the repository.`, file)
}

function checkSize(size: number, shown: string, file: string): void {
  if (size > MAX_MANIFEST_BYTES) {
    throw new ManifestError(`manifest ${shown} is ${bytes(size)} bytes; the limit is ${bytes(MAX_MANIFEST_BYTES)} bytes (1 MiB): is the manifest input pointing at the right file?`, file)
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

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, realpath, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MAX_MANIFEST_BYTES, ManifestError, readManifestFile } from '../../src/manifest/file.js'
import { parseManifest } from '../../src/manifest/parse.js'

const MANIFEST = 'robots:\n  - UserID: "@RBT#support"\n'

let root: string // holds the workspace and a directory beside it, outside the workspace
let workspace: string
let outside: string

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'manifest-file-')))
  workspace = path.join(root, 'workspace')
  outside = path.join(root, 'outside')
  await mkdir(path.join(workspace, 'config'), { recursive: true })
  await mkdir(outside)
  await writeFile(path.join(workspace, 'robots.yaml'), MANIFEST)
  await writeFile(path.join(workspace, 'config', 'robots.yaml'), MANIFEST)
  await writeFile(path.join(outside, 'robots.yaml'), MANIFEST)
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/**
 * Runs `read`, expecting a ManifestError whose message has every part. A read that
 * waited (a FIFO without a writer) would hang and fail on jest's timeout; how fast
 * refusals are is a figure of the bench, not a wall-clock assertion here.
 */
async function expectRefusal(read: () => Promise<unknown>, parts: string[]): Promise<ManifestError> {
  const error = await read().then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(ManifestError)
  for (const part of parts) expect((error as ManifestError).message).toContain(part)
  return error as ManifestError
}

describe('readManifestFile reads', () => {
  it('a manifest at the workspace root', async () => {
    await expect(readManifestFile(workspace, 'robots.yaml')).resolves.toEqual({ file: 'robots.yaml', text: MANIFEST })
  })

  it('a manifest in a subdirectory, naming it by its workspace-relative path', async () => {
    await expect(readManifestFile(workspace, './config/../config/robots.yaml')).resolves.toEqual({ file: 'config/robots.yaml', text: MANIFEST })
  })

  it('a workspace given through a symlink', async () => {
    await symlink(workspace, path.join(root, 'workspace-link'))
    await expect(readManifestFile(path.join(root, 'workspace-link'), 'robots.yaml')).resolves.toEqual({ file: 'robots.yaml', text: MANIFEST })
  })

  it('a file of exactly MAX_MANIFEST_BYTES', async () => {
    const text = `robots: []\n#${'x'.repeat(MAX_MANIFEST_BYTES - 12)}`
    await writeFile(path.join(workspace, 'at-limit.yaml'), text)
    const { text: read } = await readManifestFile(workspace, 'at-limit.yaml')
    expect(read.length).toBe(MAX_MANIFEST_BYTES)
  })

  it('a file with a UTF-8 byte order mark, dropping the mark', async () => {
    await writeFile(path.join(workspace, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MANIFEST)]))
    await expect(readManifestFile(workspace, 'bom.yaml')).resolves.toEqual({ file: 'bom.yaml', text: MANIFEST })
  })

  it('a file with CRLF line ends unchanged, whose problems still land on the right lines', async () => {
    await writeFile(path.join(workspace, 'crlf.yaml'), 'robots:\r\n  - UserID: "@RBT#a"\r\n    Nikc: A\r\n')
    const { file, text } = await readManifestFile(workspace, 'crlf.yaml')
    expect(text).toContain('\r\n')
    expect(parseManifest(text, file).problems).toEqual([expect.objectContaining({ file: 'crlf.yaml', line: 3, column: 5 })])
  })

  it('multi-byte UTF-8 text', async () => {
    await writeFile(path.join(workspace, 'chinese.yaml'), 'robots:\n  - UserID: "@RBT#kefu"\n    Nick: 客服\n')
    await expect(readManifestFile(workspace, 'chinese.yaml')).resolves.toMatchObject({ text: expect.stringContaining('客服') })
  })
})

describe('readManifestFile refuses', () => {
  it('a missing file, saying which path it looked for in which workspace and that the manifest input sets it', async () => {
    const error = await expectRefusal(
      () => readManifestFile(workspace, 'missing.yaml'),
      ['No manifest at missing.yaml', `looked for ${path.join(workspace, 'missing.yaml')}`, `the workspace is ${workspace}`, 'set the manifest input']
    )
    expect(error.file).toBe('missing.yaml')
  })

  it('a symlink to a file that does not exist, saying so', async () => {
    await symlink('nowhere.yaml', path.join(workspace, 'dangling.yaml'))
    await expectRefusal(() => readManifestFile(workspace, 'dangling.yaml'), ['manifest "dangling.yaml" is a symlink'])
  })

  it('an absolute path', async () => {
    await expectRefusal(() => readManifestFile(workspace, path.join(workspace, 'robots.yaml')), ['is an absolute path', 'relative to the workspace'])
  })

  it('a .. path that leaves the workspace, even when its target exists', async () => {
    await expectRefusal(() => readManifestFile(workspace, '../outside/robots.yaml'), ['points outside the workspace'])
  })

  it('a path that leaves the workspace through .. in the middle', async () => {
    await expectRefusal(() => readManifestFile(workspace, 'config/../../outside/robots.yaml'), ['points outside the workspace'])
  })

  it('a symlink to a file outside the workspace', async () => {
    await symlink(path.join(outside, 'robots.yaml'), path.join(workspace, 'escape.yaml'))
    const error = await expectRefusal(() => readManifestFile(workspace, 'escape.yaml'), ['manifest "escape.yaml" is a symlink'])
    // Where a link points is the pull request's text: never repeated.
    expect(error.message).not.toContain(outside)
  })

  it('a path through a symlinked directory that points outside the workspace', async () => {
    await symlink(outside, path.join(workspace, 'shared'))
    await expectRefusal(() => readManifestFile(workspace, 'shared/robots.yaml'), ['passes through a symlink (shared)'])
  })

  it('a symlink to /dev/zero, which is outside the workspace', async () => {
    await symlink('/dev/zero', path.join(workspace, 'zero.yaml'))
    await expectRefusal(() => readManifestFile(workspace, 'zero.yaml'), ['is a symlink'])
  })

  it('a symlink that stays inside the workspace', async () => {
    await symlink('config/robots.yaml', path.join(workspace, 'linked.yaml'))
    await expectRefusal(() => readManifestFile(workspace, 'linked.yaml'), ['manifest "linked.yaml" is a symlink', 'plain file'])
  })

  it('a path through a symlinked directory inside the workspace', async () => {
    await symlink('config', path.join(workspace, 'config-link'))
    await expectRefusal(() => readManifestFile(workspace, 'config-link/robots.yaml'), ['passes through a symlink (config-link)'])
  })

  it.each(['.git/config', '.git', './.git/config', 'config/../.git/config', '.GIT/config', 'sub/.git/config'])(
    'a path under .git/: %s, before it is opened',
    async manifest => {
      await expectRefusal(() => readManifestFile(workspace, manifest), ['lies under .git/'])
    }
  )

  it('a character device such as /dev/zero, before reading from it', async () => {
    await expectRefusal(() => readManifestFile('/dev', 'zero'), ['is a character device', 'not a regular file'])
  })

  it('a directory', async () => {
    await expectRefusal(() => readManifestFile(workspace, 'config'), ['is a directory', 'e.g. config/robots.yaml'])
  })

  it('the workspace itself', async () => {
    await expectRefusal(() => readManifestFile(workspace, '.'), ['is a directory'])
  })

  const hasMkfifo = process.platform !== 'win32' && ['/usr/bin/mkfifo', '/bin/mkfifo'].some(existsSync)
  ;(hasMkfifo ? it : it.skip)(
    'a FIFO, without waiting for a writer',
    async () => {
      const fifo = path.join(workspace, 'fifo.yaml')
      execFileSync('mkfifo', [fifo])
      await expectRefusal(() => readManifestFile(workspace, 'fifo.yaml'), ['is a FIFO (named pipe)', 'not a regular file'])
    },
    5000
  )

  it('a 20 MB file, from its size alone', async () => {
    await writeFile(path.join(workspace, 'huge.yaml'), '')
    await truncate(path.join(workspace, 'huge.yaml'), 20 * 1024 * 1024)
    await expectRefusal(() => readManifestFile(workspace, 'huge.yaml'), ['is 20,971,520 bytes; the limit is 1,048,576 bytes (1 MiB)'])
  })

  it('a file one byte over MAX_MANIFEST_BYTES', async () => {
    await writeFile(path.join(workspace, 'over.yaml'), 'x'.repeat(MAX_MANIFEST_BYTES + 1))
    await expectRefusal(() => readManifestFile(workspace, 'over.yaml'), ['is 1,048,577 bytes; the limit is 1,048,576 bytes'])
  })

  it('invalid UTF-8, naming the line of the first bad byte', async () => {
    await writeFile(
      path.join(workspace, 'latin1.yaml'),
      Buffer.concat([Buffer.from('robots:\n  - UserID: "@RBT#a"\n    Nick: Caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    )
    const error = await expectRefusal(
      () => readManifestFile(workspace, 'latin1.yaml'),
      ['is not valid UTF-8 (the first bad byte is on line 3)', 'save the file as UTF-8']
    )
    expect(error.line).toBe(3)
  })

  it('UTF-8 cut off in the middle of a character at the end of the file', async () => {
    await writeFile(path.join(workspace, 'cut.yaml'), Buffer.concat([Buffer.from('robots: []\n# 客'), Buffer.from('服').subarray(0, 2)]))
    const error = await expectRefusal(() => readManifestFile(workspace, 'cut.yaml'), ['is not valid UTF-8'])
    expect(error.line).toBe(2)
  })

  it('an empty manifest input', async () => {
    await expectRefusal(() => readManifestFile(workspace, ''), ['The manifest input is empty'])
  })

  it('a path with a NUL character', async () => {
    await expectRefusal(() => readManifestFile(workspace, 'robots.yaml\0.txt'), ['contains a NUL character'])
  })

  it('a workspace that does not exist, suggesting a checkout', async () => {
    await expectRefusal(() => readManifestFile(path.join(root, 'no-workspace'), 'robots.yaml'), ['cannot be opened', 'actions/checkout'])
  })
})

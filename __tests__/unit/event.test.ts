import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PLAN_ONLY_EVENTS, readEvent } from '../../src/event.js'

let dir: string
let count = 0
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'ccr-event-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

async function eventOf(name: string, payload: unknown): Promise<ReturnType<typeof readEvent>> {
  const path = join(dir, `event-${count++}.json`)
  await writeFile(path, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return readEvent({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path })
}

const pr = (extra: Record<string, unknown> = {}, head = 'acme/robots', base = 'acme/robots') => ({
  number: 7,
  head: { repo: head === null ? null : { full_name: head } },
  base: { repo: { full_name: base } },
  ...extra
})

describe('reading the event', () => {
  it.each(PLAN_ONLY_EVENTS)('a %s event plans only', async name => {
    const event = await eventOf(name, { action: 'opened', pull_request: pr() })
    expect(event.planOnly).toMatch(new RegExp(`${name} event.*writes nothing.*whatever dry-run says`))
    expect(event.mergedClose).toBe(false)
  })

  it.each(['pull_request', 'pull_request_target'])('a %s closed by a merge may write', async name => {
    const event = await eventOf(name, { action: 'closed', pull_request: pr({ merged: true }) })
    expect(event).toMatchObject({ mergedClose: true, planOnly: null, action: 'closed', pullRequestNumber: 7 })
  })

  it('a pull request closed without a merge plans only', async () => {
    const event = await eventOf('pull_request_target', { action: 'closed', pull_request: pr({ merged: false }) })
    expect(event.planOnly).not.toBeNull()
  })

  it('merged must be the boolean true, not a truthy string', async () => {
    const event = await eventOf('pull_request', { action: 'closed', pull_request: pr({ merged: 'true' }) })
    expect(event.mergedClose).toBe(false)
    expect(event.planOnly).not.toBeNull()
  })

  it.each(['pull_request_review', 'pull_request_review_comment'])('a %s on a merged pull request still plans only', async name => {
    const event = await eventOf(name, { action: 'closed', pull_request: pr({ merged: true }) })
    expect(event.planOnly).not.toBeNull()
  })

  it('a pull request event whose payload cannot be read plans only', async () => {
    expect((await eventOf('pull_request', '{not json')).planOnly).not.toBeNull()
    expect(readEvent({ GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: join(dir, 'missing.json') }).planOnly).not.toBeNull()
  })

  it.each(['push', 'workflow_dispatch', 'schedule', ''])('a %j event may write', async name => {
    expect((await eventOf(name, {})).planOnly).toBeNull()
  })

  it('an event name is matched exactly', async () => {
    expect((await eventOf('Pull_Request', {})).planOnly).toBeNull()
    expect((await eventOf('pull_request ', {})).planOnly).toBeNull()
  })
})

describe('telling a fork', () => {
  it('a branch of the same repository is not a fork', async () => {
    expect((await eventOf('pull_request', { pull_request: pr() })).isFork).toBe(false)
  })

  it('a head in another repository is a fork', async () => {
    expect((await eventOf('pull_request', { pull_request: pr({}, 'mallory/robots') })).isFork).toBe(true)
  })

  it('a head repository that was deleted is a fork', async () => {
    expect((await eventOf('pull_request_target', { pull_request: pr({}, null as unknown as string) })).isFork).toBe(true)
  })

  it('an event without a pull request is not a fork', async () => {
    expect((await eventOf('push', { ref: 'refs/heads/main' })).isFork).toBe(false)
    expect(readEvent({}).isFork).toBe(false)
  })
})

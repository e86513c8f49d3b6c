import { describe, expect, it } from '@jest/globals'
import { parseManifest } from '../../src/manifest/parse.js'
import { diffProfile, planRobots, wayOut } from '../../src/plan/plan.js'
import type { VendorState } from '../../src/plan/types.js'

const manifest = (yaml: string) => parseManifest(yaml, 'robots.yaml')
const state = (robots: string[] | null, profiles: Record<string, Record<string, string>> = {}): VendorState => ({
  robots,
  profiles: new Map(Object.entries(profiles).map(([id, profile]) => [id, { ok: true as const, profile }])),
  notes: []
})

const TWO = `robots:
  - UserID: "@RBT#a"
    Nick: A
  - UserID: "@RBT#b"
    Nick: B
    SelfSignature: hi
`

describe('the plan', () => {
  it('does not claim create for an entry when offline: it was not compared with the app', () => {
    const plan = planRobots(manifest(TWO), null, { prune: false })
    expect(plan.notCompared).toBe('no-credentials')
    expect(plan.items.map(i => [i.userId, i.action])).toEqual([
      ['@RBT#a', 'not-compared'],
      ['@RBT#b', 'not-compared']
    ])
  })

  it('tells new from unchanged from changed, with only the differing fields', () => {
    const plan = planRobots(manifest(TWO), state(['@RBT#a', '@RBT#b'], { '@RBT#a': { Nick: 'A' }, '@RBT#b': { Nick: 'Old', SelfSignature: 'hi' } }), {
      prune: false
    })
    expect(plan.items.map(i => i.action)).toEqual(['unchanged', 'update'])
    expect(plan.items[1].changes).toEqual([{ field: 'Nick', from: 'Old', to: 'B' }])
  })

  it('leaves fields the manifest does not declare alone', () => {
    expect(diffProfile({ Nick: 'A', FaceUrl: 'x' }, { Nick: 'A' })).toEqual([])
  })

  it('clears a field declared as the empty string', () => {
    expect(diffProfile({ Nick: 'A' }, { Nick: '' })).toEqual([{ field: 'Nick', from: 'A', to: '' }])
    expect(diffProfile({}, { Nick: '' })).toEqual([])
  })

  it('lists robots the manifest does not name as unmanaged when prune is off', () => {
    const plan = planRobots(manifest(TWO), state(['@RBT#a', '@RBT#old']), { prune: false })
    expect(plan.unmanaged).toEqual(['@RBT#old'])
    expect(plan.items.some(i => i.action === 'delete')).toBe(false)
  })

  it('plans a delete for each of them when prune is on', () => {
    const plan = planRobots(manifest(TWO), state(['@RBT#a', '@RBT#old']), { prune: true })
    expect(plan.items.filter(i => i.action === 'delete').map(i => i.userId)).toEqual(['@RBT#old'])
    expect(plan.unmanaged).toEqual([])
  })

  it('never plans a delete for an ID in the listing that is not a chatbot UserID, and says so', () => {
    // A hostile or broken listing: prune deletes only what is shaped like a robot.
    const plan = planRobots(manifest(TWO), state(['@RBT#a', 'administrator', '', ' ', '@RBT#old']), { prune: true })
    expect(plan.items.filter(i => i.action === 'delete').map(i => i.userId)).toEqual(['@RBT#old'])
    expect(plan.unmanaged).toEqual(['administrator', '', ' '])
    expect(plan.notes).toContainEqual(expect.stringContaining('3 accounts that are not chatbot UserIDs'))
  })

  it('counts the robots the app keeps against the limit of 20', () => {
    const existing = Array.from({ length: 19 }, (_, i) => `@RBT#x${i}`)
    const plan = planRobots(manifest(TWO), state(existing), { prune: false })
    expect(plan.problems).toHaveLength(1)
    expect(plan.problems[0].message).toMatch(/would have 21 robots.*allows 20.*keeps 19.*adds 2.*prune: true/)
    expect(plan.problems[0].line).toBe(4)
    expect(plan.items.every(i => i.blocked)).toBe(true)
  })

  it('does not count robots that prune will delete', () => {
    const existing = Array.from({ length: 19 }, (_, i) => `@RBT#x${i}`)
    expect(planRobots(manifest(TWO), state(existing), { prune: true }).problems).toEqual([])
  })

  it('plans create for every entry when the list could not be read, and skips prune', () => {
    const plan = planRobots(manifest(TWO), state(null), { prune: true })
    expect(plan.items.map(i => i.action)).toEqual(['create', 'create'])
    expect(plan.notes.join(' ')).toMatch(/prune was skipped/)
  })

  it('sends every declared field when a profile could not be read', () => {
    const s = state(['@RBT#b'])
    s.profiles.set('@RBT#b', { ok: false, code: 40001, info: 'bad parameter' })
    const plan = planRobots(manifest(TWO), s, { prune: false })
    expect(plan.items[1].action).toBe('update')
    expect(plan.items[1].changes).toEqual([
      { field: 'Nick', from: null, to: 'B', unread: true },
      { field: 'SelfSignature', from: null, to: 'hi', unread: true }
    ])
  })

  it('blocks every valid entry of a manifest that has errors', () => {
    const plan = planRobots(manifest(`robots:\n  - UserID: "@RBT#a"\n  - UserID: "bad"\n`), null, { prune: false, unread: 'invalid-manifest' })
    expect(plan.notCompared).toBe('invalid-manifest')
    expect(plan.items.map(i => [i.action, Boolean(i.blocked)])).toEqual([
      ['not-compared', true],
      ['invalid', false]
    ])
  })
})

describe('the plan when profiles cannot be read', () => {
  it('plans a robot the profile APIs refuse as a change that cannot be made, not as a create', () => {
    const s = state(['@RBT#b'])
    s.profiles.set('@RBT#b', { ok: false, code: 40003, info: 'no such account' })
    const plan = planRobots(manifest(TWO), s, { prune: false })
    expect(plan.items[1]).toMatchObject({
      action: 'update',
      refused: { code: 40003, info: 'no such account' },
      changes: [
        { field: 'Nick', from: null, to: 'B', unread: true },
        { field: 'SelfSignature', from: null, to: 'hi', unread: true }
      ]
    })
  })

  it('leaves a refused robot that declares no field unchanged: there is nothing to compare', () => {
    const s = state(['@RBT#a'])
    s.profiles.set('@RBT#a', { ok: false, code: 60009, info: 'wrong resource' })
    const plan = planRobots(manifest('robots:\n  - UserID: "@RBT#a"\n'), s, { prune: false })
    expect(plan.items[0]).toMatchObject({ action: 'unchanged', changes: [] })
    expect(plan.items[0].refused).toBeUndefined()
  })
})

describe('retired UserIDs', () => {
  const RETIRED = `robots:
  - UserID: "@RBT#a"
retired:
  - "@RBT#old"
  - "@RBT#gone"
`
  it('deletes a retired robot the app has, and needs nothing for one it does not have', () => {
    const plan = planRobots(manifest(RETIRED), state(['@RBT#a', '@RBT#old']), { prune: false })
    expect(plan.items.map(i => [i.userId, i.action, i.retired?.position.line ?? null])).toEqual([
      ['@RBT#a', 'unchanged', null],
      ['@RBT#old', 'delete', 4],
      ['@RBT#gone', 'unchanged', 5]
    ])
    expect(plan.unmanaged).toEqual([])
  })

  it('does not delete a retired robot twice when prune is on too', () => {
    const plan = planRobots(manifest(RETIRED), state(['@RBT#a', '@RBT#old', '@RBT#other']), { prune: true })
    expect(plan.items.filter(i => i.action === 'delete').map(i => [i.userId, Boolean(i.retired)])).toEqual([
      ['@RBT#old', true],
      ['@RBT#other', false]
    ])
  })

  it('frees a place under the limit of 20 by deleting a retired robot', () => {
    const existing = [...Array.from({ length: 18 }, (_, i) => `@RBT#x${i}`), '@RBT#old']
    const text = `robots:\n${existing
      .slice(0, 18)
      .map(id => `  - UserID: "${id}"\n`)
      .join('')}  - UserID: "@RBT#new1"\n  - UserID: "@RBT#new2"\nretired:\n  - "@RBT#old"\n`
    expect(planRobots(manifest(text), state(existing), { prune: false }).problems).toEqual([])
  })

  it('is not compared when offline, and says nothing is known', () => {
    const plan = planRobots(manifest(RETIRED), null, { prune: false })
    expect(plan.items.map(i => i.action)).toEqual(['not-compared', 'not-compared', 'not-compared'])
  })

  it('is not deleted blindly when the list could not be read', () => {
    const plan = planRobots(manifest(RETIRED), state(null), { prune: false })
    expect(plan.notCompared).toBe('list-failed')
    expect(plan.items.map(i => [i.action, Boolean(i.blocked)])).toEqual([
      ['create', false],
      ['not-compared', true],
      ['not-compared', true]
    ])
  })
})

describe('the way under the limit of 20 names the right numbers', () => {
  it.each([
    [1, 0, 'Remove 1 new entry from the manifest.'],
    [
      1,
      18,
      'Remove 1 new entry, or retire 1 of the 18 robots the manifest does not list by adding its UserID under retired: (prune: true would delete all 18).'
    ],
    [2, 2, 'Remove 2 new entries, or retire the 2 robots the manifest does not list by adding their UserIDs under retired: (or set prune: true).'],
    [3, 1, 'Remove 3 new entries, or retire the 1 robot the manifest does not list (under retired:) and remove 2 new entries.']
  ])('over by %i with %i unlisted robots', (excess, unlisted, words) => {
    expect(wayOut(excess, unlisted)).toBe(words)
  })

  it('says remove 1, not the number of unlisted robots, when the app would be over by one', () => {
    const existing = Array.from({ length: 19 }, (_, i) => `@RBT#x${i}`)
    const plan = planRobots(manifest(TWO), state(existing), { prune: false })
    expect(plan.problems[0].message).toMatch(/Remove 1 new entry, or retire 1 of the 19 robots/)
  })
})

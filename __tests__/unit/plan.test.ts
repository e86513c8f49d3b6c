import { describe, expect, it } from '@jest/globals'
import { parseManifest } from '../../src/manifest/parse.js'
import { diffProfile, planRobots } from '../../src/plan/plan.js'
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
  it('plans every valid entry as create when offline', () => {
    const plan = planRobots(manifest(TWO), null, { prune: false })
    expect(plan.live).toBe(false)
    expect(plan.items.map(i => [i.userId, i.action])).toEqual([['@RBT#a', 'create'], ['@RBT#b', 'create']])
  })

  it('tells new from unchanged from changed, with only the differing fields', () => {
    const plan = planRobots(manifest(TWO), state(['@RBT#a', '@RBT#b'], { '@RBT#a': { Nick: 'A' }, '@RBT#b': { Nick: 'Old', SelfSignature: 'hi' } }), { prune: false })
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
    expect(plan.items[1].changes).toEqual([{ field: 'Nick', from: null, to: 'B' }, { field: 'SelfSignature', from: null, to: 'hi' }])
  })

  it('blocks every valid entry of a manifest that has errors', () => {
    const plan = planRobots(manifest(`robots:\n  - UserID: "@RBT#a"\n  - UserID: "bad"\n`), null, { prune: false })
    expect(plan.items.map(i => [i.action, Boolean(i.blocked)])).toEqual([['create', true], ['invalid', false]])
  })
})

describe('the plan when profiles cannot be read', () => {
  it('sends create_robot again for a robot the profile APIs do not serve, and does not count it as new', () => {
    // 18 unlisted + @RBT#b kept, @RBT#a new: 20, at the limit only if @RBT#b is not counted twice.
    const existing = Array.from({ length: 18 }, (_, i) => `@RBT#x${i}`)
    const s = state([...existing, '@RBT#b'])
    s.profiles.set('@RBT#b', { ok: false, code: 40003, info: 'no such account' })
    const plan = planRobots(manifest(TWO), s, { prune: false })
    expect(plan.items.slice(0, 2).map(i => i.action)).toEqual(['create', 'create'])
    expect(plan.items[1].note).toMatch(/create_robot is sent again/)
    expect(plan.problems).toEqual([])
  })
})

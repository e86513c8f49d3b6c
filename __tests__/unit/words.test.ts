import { describe, expect, it } from '@jest/globals'
import type { Outcome, Plan } from '../../src/plan/types.js'
import type { RunReport } from '../../src/report/types.js'
import { describeChanges, headline, hintFor, notComparedSentence } from '../../src/report/words.js'

/** An outcome as the apply stage makes it; only what a test names differs. */
function outcome(over: Partial<Outcome> = {}): Outcome {
  return { userId: '@RBT#a', entry: null, action: 'create', status: 'ok', code: 0, info: '', attempts: [], changes: [], planned: false, ...over }
}

const retired = (line: number): Outcome['retired'] => ({ index: 0, UserID: '@RBT#old', position: { line, column: 5 }, problems: [] })

function report(over: Partial<RunReport> = {}, plan: Partial<Plan> = {}): RunReport {
  return {
    mode: 'plan',
    manifestFile: 'robots.yaml',
    manifest: null,
    outcomes: [],
    halt: null,
    target: null,
    runError: null,
    planOnly: null,
    notes: [],
    plan: { notCompared: null, items: [], unmanaged: [], problems: [], notes: [], ...plan },
    ...over
  }
}

describe('the headline', () => {
  const everyKind = [
    outcome({ action: 'create', planned: true }),
    outcome({ action: 'create', planned: true }),
    outcome({ action: 'update', planned: true }),
    outcome({ action: 'unchanged' }),
    outcome({ action: 'unchanged' }),
    outcome({ action: 'unchanged' }),
    outcome({ action: 'delete', planned: true, retired: retired(9) })
  ]

  it('of a plan counts actions, in the order they happen', () => {
    expect(headline(report({ outcomes: everyKind }, { unmanaged: ['@RBT#legacy'] }))).toBe(
      'Plan: 2 to create, 1 to update, 3 unchanged, 1 to delete, 1 unmanaged'
    )
  })

  it('of an apply counts what was done', () => {
    expect(headline(report({ mode: 'apply', outcomes: everyKind }))).toBe('Applied: 2 created, 1 updated, 3 unchanged, 1 deleted')
  })

  it('of an apply says failed when any entry did not reach ok, with the counts', () => {
    const outcomes = [outcome({ status: 'failed', code: 10004 }), outcome({ status: 'failed', code: 10004 }), outcome({ action: 'unchanged' })]
    expect(headline(report({ mode: 'apply', outcomes }))).toBe('Apply failed: 2 failed; 1 unchanged')
    expect(headline(report({ mode: 'apply', outcomes: outcomes.slice(0, 2) }))).toBe('Apply failed: 2 failed')
  })

  it('names a run-wide cause before the counts', () => {
    const skipped = [outcome({ status: 'skipped', action: 'not-compared' }), outcome({ status: 'skipped', action: 'not-compared' })]
    expect(headline(report({ mode: 'apply', outcomes: skipped, runError: 'Input region "x" is not a region', plan: null }))).toBe(
      'Apply failed: stopped before any call — 2 skipped'
    )
    expect(headline(report({ mode: 'apply', outcomes: skipped, halt: { code: 70016, info: '', command: 'openim_robot_http_svc/get_all_robots' } }))).toBe(
      'Apply failed: stopped early — 2 skipped'
    )
    expect(
      headline(report({ mode: 'apply', outcomes: [outcome({ status: 'ok' }), ...skipped], runError: 'The run was cancelled (SIGINT)', cancelled: true }))
    ).toBe('Apply failed: cancelled — 2 skipped; 1 created')
  })

  it('counts a retired UserID the app no longer has as already deleted, not as unchanged', () => {
    expect(headline(report({ outcomes: [outcome({ action: 'unchanged', retired: retired(4) })] }))).toBe('Plan: 1 already deleted')
  })

  it('of a plan not compared with the app does not count creates', () => {
    const outcomes = [outcome({ action: 'not-compared' }), outcome({ action: 'not-compared' })]
    expect(headline(report({ outcomes }, { notCompared: 'no-credentials' }))).toBe('Plan: 2 valid, not compared with the app')
  })

  it('of an empty plan says there is nothing to do', () => {
    expect(headline(report())).toBe('Plan: nothing to do')
  })
})

describe('the changes of a row', () => {
  it('show old → new, and say when the old value could not be read or was not set', () => {
    expect(
      describeChanges(
        outcome({
          action: 'update',
          changes: [
            { field: 'Nick', from: 'Old', to: 'New' },
            { field: 'FaceUrl', from: null, to: 'x' },
            { field: 'SelfSignature', from: null, to: 'y', unread: true }
          ]
        })
      )
    ).toBe('Nick: "Old" → "New"; FaceUrl: (not set) → "x"; SelfSignature: (could not be read) → "y"')
  })

  it('say why a robot is deleted', () => {
    expect(describeChanges(outcome({ action: 'delete', retired: retired(12) }))).toBe('retired on line 12')
    expect(describeChanges(outcome({ action: 'delete' }))).toBe('not in the manifest; prune is on')
  })
})

describe('the hint for a change the profile APIs refuse', () => {
  it("says to set the app's value back, quoting the vendor", () => {
    const o = outcome({
      action: 'update',
      status: 'failed',
      code: 40003,
      info: 'account not found',
      changes: [{ field: 'Nick', from: 'Helpdesk', to: 'Support' }]
    })
    expect(hintFor(o)).toBe(
      'The profile APIs refuse this chatbot (the vendor answered 40003 "account not found"), so the action cannot change its Nick. In the manifest, set Nick back to "Helpdesk" (the app\'s value), or change it in the Chat console.'
    )
  })

  it('says to leave the fields out when they could not be read', () => {
    const o = outcome({
      action: 'update',
      status: 'failed',
      code: 60009,
      info: '',
      changes: [
        { field: 'Nick', from: null, to: 'A', unread: true },
        { field: 'FaceUrl', from: null, to: 'B', unread: true }
      ]
    })
    expect(hintFor(o)).toMatch(
      /cannot read or change its Nick and FaceUrl\. Remove Nick and FaceUrl from this entry \(a field left out is not managed\), or change them in the Chat console\.$/
    )
  })

  it("is the code table's hint for any other failure", () => {
    expect(hintFor(outcome({ action: 'create', status: 'failed', code: 40003 }))).toMatch(/not in the app/)
  })
})

describe('a plan not compared with the app', () => {
  it('says why, and what a row means then, when there are no credentials', () => {
    expect(notComparedSentence('fork')).toMatch(
      /^The plan was not compared with the app: this pull request comes from a fork, .* A valid entry is created if the app does not have it/
    )
    expect(notComparedSentence('invalid-manifest')).toBe('The plan was not compared with the app: the manifest has problems, so no call was made.')
  })
})

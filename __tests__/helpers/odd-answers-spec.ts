import { afterEach, beforeEach, describe, expect } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { errorText, results, type ActionRun } from '../../emulator/runner.js'
import { manifestOf, startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'
import { specCases } from './spec-cases.js'

/**
 * Answers the vendor's documentation does not foresee — from a proxy, a vendor
 * bug, or an endpoint that is not the vendor — are named for what they are, never
 * taken as an empty app or shown as "unknown error code 0".
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process (run() with the fake core);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/
 * the way the runner does.
 */
export function oddAnswersSpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess } = specCases(options.e2eOnly)

  const MANIFEST = manifestOf([
    { UserID: '@RBT#support', Nick: 'Support' },
    { UserID: '@RBT#billing', Nick: 'Billing' }
  ])

  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => ({ vendor, inputs } = await startVendor()))
  afterEach(async () => vendor.stop())

  /** The summary's HTML as the reader sees the text. */
  function asText(html: string): string {
    return html
      .replace(/<[^>]*>/g, '')
      .replace(/&(quot|#34|#x22);/g, '"')
      .replace(/&(#39|#x27|apos);/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  }

  function visible(run: ActionRun): string {
    return [run.stdout, run.summary, JSON.stringify(run.outputs)].join('\n')
  }

  describe('a listing answer without a Robot_Account array', () => {
    inProcess.each([
      ['no Robot_Account at all', { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }],
      ['Robot_Account as a string', { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', Robot_Account: '@RBT#legacy' }],
      ['Robot_Account as null', { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', Robot_Account: null }],
      [
        'Robot_Account with an item that is not a UserID',
        { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', Robot_Account: ['@RBT#legacy', { UserID: '@RBT#support' }] }
      ]
    ])('%s is a failed listing: warned, prune skipped, nothing deleted', async (_name, json) => {
      vendor.seed([{ UserID: '@RBT#legacy' }, { UserID: '@RBT#support', Nick: 'Support' }])
      vendor.inject({ kind: 'answer', command: 'get_all_robots', json })
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': MANIFEST } })

      expect(vendor.deleted()).toEqual([])
      expect(vendor.writes().some(w => w.command === 'delete_robot')).toBe(false)
      const warnings = run.annotations
        .filter(a => a.level === 'warning')
        .map(a => a.message)
        .join('\n')
      expect(warnings).toMatch(/get_all_robots failed \(the answer has no Robot_Account list of UserIDs/)
      expect(warnings).toMatch(/Every entry is planned as create/)
      expect(run.summary).toMatch(/prune was skipped/)
      // Creating is safe to repeat, so the manifest still converges.
      expect(results(run).map(r => [r.UserID, r.action, r.status])).toEqual([
        ['@RBT#support', 'create', 'ok'],
        ['@RBT#billing', 'create', 'ok']
      ])
    })

    inProcess('an empty Robot_Account array is an empty app, as before', async () => {
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': MANIFEST } })
      expect(run.exitCode).toBe(0)
      expect(visible(run)).not.toMatch(/get_all_robots failed/)
    })
  })

  describe('an answer whose ActionStatus and ErrorCode disagree', () => {
    inProcess.each([
      [
        'ErrorCode 0 with ActionStatus FAIL',
        { ActionStatus: 'FAIL', ErrorCode: 0, ErrorInfo: 'something' },
        /inconsistent answer: ActionStatus "FAIL" with ErrorCode 0/
      ],
      [
        'ActionStatus OK with ErrorCode 10004',
        { ActionStatus: 'OK', ErrorCode: 10004, ErrorInfo: 'invalid parameter' },
        /inconsistent answer: ActionStatus "OK" with ErrorCode 10004/
      ],
      [
        'an ActionStatus that is neither',
        { ActionStatus: 'PENDING', ErrorCode: 0, ErrorInfo: '' },
        /inconsistent answer: ActionStatus "PENDING" with ErrorCode 0/
      ]
    ])('%s is named an inconsistent answer, retried, and never "unknown error code 0"', async (_name, json, says) => {
      vendor.inject({ kind: 'answer', command: 'create_robot', userId: '@RBT#billing', json, times: Infinity })
      const run = await runAgainst(vendor, { inputs: { ...inputs, 'max-attempts': '2' }, files: { 'robots.yaml': MANIFEST } })

      expect(run.exitCode).toBe(1)
      const billing = results(run).find(r => r.UserID === '@RBT#billing')
      expect(billing).toMatchObject({ status: 'failed', ErrorCode: null, attempts: 2 })
      expect(billing?.ErrorInfo).toMatch(says)
      expect(results(run).find(r => r.UserID === '@RBT#support')).toMatchObject({ status: 'ok' })
      expect(errorText(run)).toMatch(says)
      expect(asText(run.summary)).toMatch(says)
      expect(visible(run)).not.toMatch(/unknown error code 0/)
    })

    inProcess('an inconsistent answer followed by a clean one succeeds', async () => {
      vendor.inject({ kind: 'answer', command: 'create_robot', userId: '@RBT#billing', json: { ActionStatus: 'FAIL', ErrorCode: 0, ErrorInfo: '' } })
      const run = await runAgainst(vendor, { inputs, files: { 'robots.yaml': MANIFEST } })
      expect(run.exitCode).toBe(0)
      expect(results(run).find(r => r.UserID === '@RBT#billing')).toMatchObject({ status: 'ok', attempts: 2 })
    })
  })

  describe('a listing that names accounts that are not chatbots', () => {
    e2e('prune deletes only the @RBT# robots it lists; the others are left alone and named once', async () => {
      vendor.seed([{ UserID: '@RBT#support', Nick: 'Support' }, { UserID: '@RBT#billing', Nick: 'Billing' }, { UserID: '@RBT#legacy' }])
      const json = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', Robot_Account: ['@RBT#support', '@RBT#billing', '@RBT#legacy', 'administrator', ''] }
      vendor.inject({ kind: 'answer', command: 'get_all_robots', json })
      const run = await runAgainst(vendor, { inputs: { ...inputs, prune: 'true', 'dry-run': 'false' }, files: { 'robots.yaml': MANIFEST } })

      expect(
        vendor
          .writes()
          .filter(w => w.command === 'delete_robot')
          .map(w => w.body)
      ).toEqual([{ Robot_Account: '@RBT#legacy' }])
      expect(
        results(run)
          .filter(r => r.action === 'delete')
          .map(r => r.UserID)
      ).toEqual(['@RBT#legacy'])
      expect(asText(run.summary)).toContain('2 accounts that are not chatbot UserIDs')
    })
  })
}

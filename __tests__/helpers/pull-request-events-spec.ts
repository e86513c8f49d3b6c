import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { VendorEmulator } from '../../emulator/server.js'
import { results, type ActionRun, type RunOptions } from '../../emulator/runner.js'
import type { EventOptions } from './github-api.js'
import { manifestOf, startVendor } from './vendor.js'

/**
 * Pull request events never write. An attacker opens a pull request against a
 * workflow that runs on pull_request_target with secrets, or a careless
 * workflow passes dry-run: false (the README's own
 * `dry-run: ${{ github.event_name == 'pull_request' }}` is false there): the
 * action still only plans, and says so. Only a pull request closed by a merge
 * may write.
 *
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process; __tests__/e2e/specs-on-dist.test.ts runs
 * those marked `e2e` on the built dist/, which reads the event file itself.
 */

/** Runs the action against the emulator on an event; fails the test if a secret shows (runAgainst, runInProcessAgainst). */
export type EventRunnerAgainst = (vendor: VendorEmulator, options: RunOptions & EventOptions) => Promise<ActionRun>

const MANIFEST = manifestOf([
  { UserID: '@RBT#support', Nick: 'Support' },
  { UserID: '@RBT#billing', Nick: 'Billing' }
])
const PLAN_ONLY = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'merge_group']

export function pullRequestEventsSpec(runAgainst: EventRunnerAgainst, options: { e2eOnly: boolean }): void {
  /** Cases not marked e2e run only in-process. */
  const inProcess = !options.e2eOnly
  let vendor: VendorEmulator
  let inputs: Record<string, string>
  beforeEach(async () => {
    ;({ vendor, inputs } = await startVendor())
    // A robot the manifest does not list: prune would delete it.
    vendor.seed([
      { UserID: '@RBT#legacy', Nick: 'Legacy' },
      { UserID: '@RBT#support', Nick: 'Old' }
    ])
  })
  afterEach(async () => vendor.stop())

  function pullRequest(extra: Record<string, unknown> = {}, head = 'acme/robots'): Record<string, unknown> {
    return { number: 7, head: { repo: { full_name: head }, sha: 'a'.repeat(40) }, base: { repo: { full_name: 'acme/robots' } }, ...extra }
  }

  async function runOn(name: string, payload: Record<string, unknown>, extra: Record<string, string> = {}): Promise<ActionRun> {
    return runAgainst(vendor, {
      inputs: { ...inputs, prune: 'true', comment: 'false', ...extra },
      files: { 'robots.yaml': MANIFEST },
      event: { name, payload: { repository: { name: 'robots', owner: { login: 'acme' } }, ...payload } }
    })
  }

  function expectPlannedOnly(run: ActionRun, name: string): void {
    expect(vendor.writes()).toEqual([])
    expect(
      vendor
        .robots()
        .map(r => r.UserID)
        .sort()
    ).toEqual(['@RBT#legacy', '@RBT#support'])
    expect(run.exitCode).toBe(0)
    // The plan is still the real one, read from the app.
    expect(results(run).map(r => [r.UserID, r.action, r.status])).toEqual([
      ['@RBT#support', 'update', 'ok'],
      ['@RBT#billing', 'create', 'ok'],
      ['@RBT#legacy', 'delete', 'ok']
    ])
    expect(JSON.parse(run.outputs.created)).toEqual([])
    const says = new RegExp(`${name} event: on pull request events the action plans and writes nothing`)
    expect(run.stdout).toMatch(says)
    // The event's name is a word GitHub could autolink (a repository prefix "pull_"), so it is set as code.
    expect(run.summary).toMatch(new RegExp(`<code>${name}</code> event: on pull request events the action plans and writes nothing`))
    expect(run.summary).toMatch(
      /<h2>Plan: 1 to create, 1 to update, 1 to delete<\/h2>\n<p>Chat robots · <b><code>robots.yaml<\/code><\/b> · dry run, nothing written/
    )
  }

  describe('pull request events never write, whatever dry-run says', () => {
    it.each(PLAN_ONLY.filter(name => inProcess || name === 'pull_request_target'))(
      '%s with dry-run: false and prune: true plans, writes nothing, and warns',
      async name => {
        const payload = name === 'merge_group' ? { merge_group: { head_sha: 'b'.repeat(40) } } : { action: 'opened', pull_request: pullRequest() }
        const run = await runOn(name, payload, { 'dry-run': 'false' })
        expectPlannedOnly(run, name)
        expect(
          run.annotations
            .filter(a => a.level === 'warning')
            .map(a => a.message)
            .join('\n')
        ).toMatch(/dry-run is false, but/)
      }
    )

    if (inProcess)
      it("the README's dry-run: ${{ github.event_name == 'pull_request' }} is false on pull_request_target: still nothing is written", async () => {
        // What the runner passes for that expression on pull_request_target: "false".
        const readmeDryRun = (eventName: string): string => String(eventName === 'pull_request')
        const dryRun = readmeDryRun('pull_request_target')
        const run = await runOn('pull_request_target', { action: 'synchronize', pull_request: pullRequest({}, 'mallory/robots') }, { 'dry-run': dryRun })
        expectPlannedOnly(run, 'pull_request_target')
      })

    if (inProcess)
      it('a pull request with dry-run: true says so without a warning', async () => {
        const run = await runOn('pull_request', { action: 'opened', pull_request: pullRequest() }, { 'dry-run': 'true' })
        expectPlannedOnly(run, 'pull_request')
        expect(
          run.annotations
            .filter(a => a.level === 'warning')
            .map(a => a.message)
            .join('\n')
        ).not.toMatch(/dry-run is false/)
      })

    if (inProcess)
      it('a pull request closed without a merge writes nothing', async () => {
        const run = await runOn('pull_request_target', { action: 'closed', pull_request: pullRequest({ merged: false }) }, { 'dry-run': 'false' })
        expectPlannedOnly(run, 'pull_request_target')
      })

    if (inProcess)
      it('a forged merged: true on a review event writes nothing', async () => {
        const run = await runOn('pull_request_review', { action: 'submitted', pull_request: pullRequest({ merged: true }) }, { 'dry-run': 'false' })
        expectPlannedOnly(run, 'pull_request_review')
      })

    if (inProcess)
      it('a merged: "true" string is not a merge', async () => {
        const run = await runOn('pull_request', { action: 'closed', pull_request: pullRequest({ merged: 'true' }) }, { 'dry-run': 'false' })
        expectPlannedOnly(run, 'pull_request')
      })

    it('a pull request event whose payload is missing writes nothing', async () => {
      const run = await runAgainst(vendor, {
        inputs: { ...inputs, prune: 'true', comment: 'false', 'dry-run': 'false' },
        files: { 'robots.yaml': MANIFEST },
        env: { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: join(tmpdir(), 'ccr-no-such-folder', 'no-such-file.json') }
      })
      expectPlannedOnly(run, 'pull_request_target')
    })

    if (inProcess)
      it('a fork pull request without secrets and dry-run: false validates offline instead of failing on the missing key', async () => {
        const run = await runAgainst(vendor, {
          inputs: { endpoint: inputs.endpoint, comment: 'false', 'dry-run': 'false' },
          files: { 'robots.yaml': MANIFEST },
          event: { name: 'pull_request', payload: { action: 'opened', pull_request: pullRequest({}, 'mallory/robots') } }
        })
        expect(run.exitCode).toBe(0)
        expect(vendor.calls).toEqual([])
        expect(results(run).map(r => [r.UserID, r.status])).toEqual([
          ['@RBT#support', 'ok'],
          ['@RBT#billing', 'ok']
        ])
        expect(run.summary).toMatch(/<code>pull_request<\/code> event: on pull request events the action plans and writes nothing/)
      })
  })

  describe('a pull request closed by a merge may write', () => {
    it.each(['pull_request', 'pull_request_target'].filter(name => inProcess || name === 'pull_request'))(
      '%s closed with merged: true applies the manifest',
      async name => {
        const run = await runOn(name, { action: 'closed', pull_request: pullRequest({ merged: true }) }, { 'dry-run': 'false' })
        expect(run.exitCode).toBe(0)
        expect(
          vendor
            .robots()
            .map(r => [r.UserID, r.Nick])
            .sort()
        ).toEqual([
          ['@RBT#billing', 'Billing'],
          ['@RBT#support', 'Support']
        ])
        expect(vendor.deleted()).toEqual(['@RBT#legacy'])
        expect(run.summary).not.toMatch(/writes nothing/)
      }
    )

    if (inProcess)
      it('a push writes as before', async () => {
        const run = await runOn('push', { ref: 'refs/heads/main' })
        expect(run.exitCode).toBe(0)
        expect(vendor.writes().length).toBeGreaterThan(0)
        expect(run.summary).not.toMatch(/writes nothing/)
      })
  })
}

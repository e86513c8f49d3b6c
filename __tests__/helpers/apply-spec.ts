import { afterEach, describe, expect } from '@jest/globals'
import type { VendorEmulator } from '../../emulator/server.js'
import { results } from '../../emulator/runner.js'
import { manifestOf, startVendor } from './vendor.js'
import type { Runner } from './fault-matrix.js'
import { specCases } from './spec-cases.js'
import { makeTestCa } from './test-ca.js'

/**
 * One specification, two runners: __tests__/unit/specs-in-process.test.ts
 * runs every case in-process (run() with the fake core);
 * __tests__/e2e/specs-on-dist.test.ts runs those marked `e2e` on the built dist/
 * the way the runner does.
 */
export function applySpec(runAgainst: Runner, options: { e2eOnly: boolean }): void {
  const { e2e, inProcess, builtOnly } = specCases(options.e2eOnly)

  const THREE = manifestOf([
    { UserID: '@RBT#support', Nick: 'Support', FaceUrl: 'https://cdn.example.com/s.png', SelfSignature: 'Ask me' },
    { UserID: '@RBT#billing', Nick: 'Billing' },
    { UserID: '@RBT#客服', Nick: '客服' }
  ])

  let vendor: VendorEmulator
  afterEach(async () => vendor?.stop())

  describe('applying a manifest against the emulator', () => {
    e2e('creates every robot with its profile, reports ok and exits 0', async () => {
      const started = await startVendor()
      vendor = started.vendor
      const run = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })

      expect(run.exitCode).toBe(0)
      // The creates go out together, so the app's order is the order they arrived in.
      expect(vendor.robots()).toEqual(
        expect.arrayContaining([
          { UserID: '@RBT#support', Nick: 'Support', FaceUrl: 'https://cdn.example.com/s.png', SelfSignature: 'Ask me' },
          { UserID: '@RBT#billing', Nick: 'Billing' },
          { UserID: '@RBT#客服', Nick: '客服' }
        ])
      )
      expect(vendor.robots()).toHaveLength(3)
      expect(results(run).map(r => [r.UserID, r.status, r.action, r.ErrorCode, r.attempts])).toEqual([
        ['@RBT#support', 'ok', 'create', 0, 1],
        ['@RBT#billing', 'ok', 'create', 0, 1],
        ['@RBT#客服', 'ok', 'create', 0, 1]
      ])
      expect(JSON.parse(run.outputs.created)).toEqual(['@RBT#support', '@RBT#billing', '@RBT#客服'])
      expect(JSON.parse(run.outputs.failed)).toEqual([])
      expect(run.summary).toContain('<h2>Applied: 3 created</h2>')
      expect(run.summary).toContain('@RBT#support')
    })

    e2e("a full app of 20 robots: created at once, and the job's log holds no warning from Node", async () => {
      const started = await startVendor()
      vendor = started.vendor
      const twenty = manifestOf(Array.from({ length: 20 }, (_, i) => ({ UserID: `@RBT#bot${String(i + 1).padStart(2, '0')}` })))
      const run = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': twenty } })

      expect(run.exitCode).toBe(0)
      expect(vendor.robots()).toHaveLength(20)
      // 20 calls in flight listen to one cancellation signal; Node warned of a leak past 10.
      expect(run.stderr).toBe('')
    })

    e2e('signs every request with a fresh random, the admin and a short-lived UserSig', async () => {
      const started = await startVendor()
      vendor = started.vendor
      await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })

      const randoms = vendor.calls.map(call => call.query.random)
      expect(new Set(randoms).size).toBe(randoms.length)
      expect(vendor.calls.every(call => call.query.identifier === 'administrator' && call.query.contenttype === 'json')).toBe(true)
      expect(vendor.calls.every(call => call.code === 0)).toBe(true)
    })

    inProcess('sends the first write alone, before the others start', async () => {
      const started = await startVendor({ latencyMs: 150 })
      vendor = started.vendor
      await runAgainst(vendor, { inputs: { ...started.inputs, 'dry-run': 'false' }, files: { 'robots.yaml': THREE } })

      // get_all_robots proves the credentials; then the three creates go out together.
      const creates = vendor.calls.filter(call => call.command === 'create_robot')
      const list = vendor.calls.find(call => call.command === 'get_all_robots')!
      expect(creates).toHaveLength(3)
      expect(Math.min(...creates.map(c => c.at))).toBeGreaterThanOrEqual(list.at + 150)
      expect(Math.max(...creates.map(c => c.at)) - Math.min(...creates.map(c => c.at))).toBeLessThan(100)
    })

    e2e('opens the connections the creates need while the listing is in flight, and no more', async () => {
      const started = await startVendor({ latencyMs: 150 })
      vendor = started.vendor
      const run = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })

      expect(run.exitCode).toBe(0)
      expect(connectionsAheadOfTheWrites(vendor)).toEqual({ writes: 3, writesOnConnectionsOpenedBeforeTheListingWasAnswered: 3, connections: 3 })
    })

    // Over TLS, as the vendor is reached: the handshakes happen while the listing is in flight.
    // Built only: the process must trust the test CA from its start (NODE_EXTRA_CA_CERTS).
    builtOnly('over HTTPS, the creates find their TLS connections ready when the listing is answered', async () => {
      const ca = await makeTestCa(['localhost'])
      try {
        const started = await startVendor({ latencyMs: 150, tls: { key: ca.key, cert: ca.cert } })
        vendor = started.vendor
        const endpoint = started.inputs.endpoint.replace('https://127.0.0.1', 'https://localhost')
        const run = await runAgainst(vendor, {
          inputs: { ...started.inputs, endpoint },
          files: { 'robots.yaml': THREE },
          env: { NODE_EXTRA_CA_CERTS: ca.caFile }
        })

        expect(run.exitCode).toBe(0)
        expect(vendor.robots()).toHaveLength(3)
        expect(connectionsAheadOfTheWrites(vendor)).toEqual({ writes: 3, writesOnConnectionsOpenedBeforeTheListingWasAnswered: 3, connections: 3 })
      } finally {
        await ca.remove()
      }
    })

    // On the built action too: a connection opened ahead and never used must not keep the process alive.
    e2e('a re-apply with nothing to change leaves the connections opened ahead unused, and ends', async () => {
      const started = await startVendor()
      vendor = started.vendor
      await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })
      vendor.reset()
      vendor.seed([
        { UserID: '@RBT#support', Nick: 'Support', FaceUrl: 'https://cdn.example.com/s.png', SelfSignature: 'Ask me' },
        { UserID: '@RBT#billing', Nick: 'Billing' },
        { UserID: '@RBT#客服', Nick: '客服' }
      ])
      const again = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })

      expect(again.exitCode).toBe(0)
      expect(vendor.calls.map(call => call.command)).toEqual(['get_all_robots', 'portrait_get'])
      // One connection for the reads, two opened ahead for writes that were not needed.
      expect(vendor.connections).toHaveLength(3)
      expect(new Set(vendor.calls.map(call => call.connection)).size).toBe(1)
    })

    inProcess('makes no writing call when the manifest is applied a second time', async () => {
      const started = await startVendor()
      vendor = started.vendor
      await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })
      const writesBefore = vendor.writes().length
      const again = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })

      expect(again.exitCode).toBe(0)
      expect(vendor.writes()).toHaveLength(writesBefore)
      expect(vendor.robots()).toHaveLength(3)
      expect(results(again).map(r => [r.status, r.action])).toEqual([
        ['ok', 'unchanged'],
        ['ok', 'unchanged'],
        ['ok', 'unchanged']
      ])
      expect(JSON.parse(again.outputs.created)).toEqual(['@RBT#support', '@RBT#billing', '@RBT#客服'])
    })

    inProcess('keeps a robot the vendor already has, whatever create_robot does with its profile', async () => {
      for (const createUpdatesProfile of [false, true]) {
        const started = await startVendor({ createUpdatesProfile })
        vendor = started.vendor
        vendor.seed([{ UserID: '@RBT#billing', Nick: 'Old billing' }])
        const run = await runAgainst(vendor, { inputs: started.inputs, files: { 'robots.yaml': THREE } })
        expect(run.exitCode).toBe(0)
        expect(vendor.robots().find(r => r.UserID === '@RBT#billing')?.Nick).toBe('Billing')
        await vendor.stop()
      }
    })

    e2e('in a dry run without credentials, validates and plans without any call', async () => {
      const started = await startVendor()
      vendor = started.vendor
      const run = await runAgainst(vendor, { inputs: { 'dry-run': 'true', endpoint: started.inputs.endpoint }, files: { 'robots.yaml': THREE } })

      expect(run.exitCode).toBe(0)
      expect(vendor.calls).toHaveLength(0)
      expect(results(run).map(r => [r.status, r.action, r.attempts])).toEqual([
        ['ok', 'not-compared', 0],
        ['ok', 'not-compared', 0],
        ['ok', 'not-compared', 0]
      ])
      expect(JSON.parse(run.outputs.created)).toEqual([])
      expect(run.summary).toContain('dry run')
    })

    inProcess('in a dry run with credentials, makes only reading calls', async () => {
      const started = await startVendor()
      vendor = started.vendor
      vendor.seed([{ UserID: '@RBT#billing', Nick: 'Old billing' }])
      const run = await runAgainst(vendor, { inputs: { ...started.inputs, 'dry-run': 'true' }, files: { 'robots.yaml': THREE } })

      expect(run.exitCode).toBe(0)
      expect(new Set(vendor.calls.map(c => c.command))).toEqual(new Set(['get_all_robots', 'portrait_get']))
      expect(vendor.writes()).toHaveLength(0)
      expect(results(run).map(r => r.action)).toEqual(['create', 'update', 'create'])
      expect(results(run)[1].changes).toEqual([{ field: 'Nick', from: 'Old billing', to: 'Billing' }])
      expect(run.annotations.filter(a => a.level === 'notice').map(a => a.line)).toEqual([2, 6, 8])
      // Nothing is written, so no connection is opened ahead for writes: each one carried a call.
      expect(vendor.connections.map(c => c.id)).toEqual([...new Set(vendor.calls.map(call => call.connection))])
    })

    inProcess('refuses to write without credentials and says which input is missing', async () => {
      const started = await startVendor()
      vendor = started.vendor
      const run = await runAgainst(vendor, { inputs: { endpoint: started.inputs.endpoint, sdkappid: '1400000000' }, files: { 'robots.yaml': THREE } })

      expect(run.exitCode).toBe(1)
      expect(vendor.calls).toHaveLength(0)
      expect(run.annotations.find(a => a.level === 'error')?.message).toMatch(/secret-key/)
    })
  })
}

/**
 * How the writes of a run met their connections: how many came on a connection
 * the emulator saw opened (for TLS: handshake done) before it answered the
 * listing, and how many connections were opened in all.
 */
export function connectionsAheadOfTheWrites(vendor: VendorEmulator): {
  writes: number
  writesOnConnectionsOpenedBeforeTheListingWasAnswered: number
  connections: number
} {
  const listing = vendor.calls.find(call => call.command === 'get_all_robots')
  const openedAt = new Map(vendor.connections.map(c => [c.id, c.openedAt]))
  const writes = vendor.writes()
  return {
    writes: writes.length,
    writesOnConnectionsOpenedBeforeTheListingWasAnswered: writes.filter(
      call => listing?.answeredAt !== undefined && (openedAt.get(call.connection) ?? Infinity) < listing.answeredAt
    ).length,
    connections: vendor.connections.length
  }
}

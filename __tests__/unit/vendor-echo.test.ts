import { afterEach, describe, expect, it } from '@jest/globals'
import TLSSigAPIv2 from 'tls-sig-api-v2/TLSSigAPIv2.js'
import type { VendorEmulator } from '../../emulator/server.js'
import { runInProcessAgainst } from '../helpers/in-process.js'
import { piecesShown } from '../helpers/secrets-spec.js'
import { manifestOf, startVendor, TEST_SECRET_KEY } from '../helpers/vendor.js'

/**
 * The vendor is sent the UserSig with every call, so a hostile answer can hand it
 * back as data rather than as an error: as a robot's UserID or a profile value.
 * Those land in the plan, which the summary, the outputs and the PR comment show
 * (a PR comment is not masked by the runner).
 */
describe('a vendor that hands the UserSig back as data', () => {
  let vendor: VendorEmulator | undefined
  afterEach(async () => {
    await vendor?.stop()
    vendor = undefined
  })

  async function start(): Promise<{ v: VendorEmulator; inputs: Record<string, string>; usersig: string }> {
    const started = await startVendor()
    vendor = started.vendor
    const rest = { ...started.inputs }
    delete rest['secret-key']
    const usersig = new TLSSigAPIv2.Api(1400000000, TEST_SECRET_KEY).genSig('administrator', 600)
    return { v: started.vendor, inputs: { ...rest, usersig }, usersig }
  }

  const MANIFEST = manifestOf([{ UserID: '@RBT#support', Nick: 'Support' }])

  it('as a UserID in the app: the listing is not used, so nothing is shown and nothing is pruned', async () => {
    const { v, inputs, usersig } = await start()
    v.seed([{ UserID: '@RBT#support', Nick: 'Support' }])
    v.inject({ kind: 'answer', command: 'get_all_robots', json: { ActionStatus: 'OK', ErrorCode: 0, Robot_Account: ['@RBT#support', `x${usersig}`] } })
    const run = await runInProcessAgainst(v, { inputs: { ...inputs, prune: 'true' }, files: { 'robots.yaml': MANIFEST } })

    expect(piecesShown(run, [usersig])).toEqual([])
    expect(run.summary).toContain('lists a UserID that holds a credential of this run')
    expect(v.calls.filter(call => call.command.includes('delete'))).toEqual([])
  })

  it('as a profile value: shown and compared as ***', async () => {
    const { v, inputs, usersig } = await start()
    v.seed([{ UserID: '@RBT#support', Nick: 'Support' }])
    const profile = { To_Account: '@RBT#support', ResultCode: 0, ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: `Support ${usersig}` }] }
    v.inject({ kind: 'answer', command: 'portrait_get', json: { ActionStatus: 'OK', ErrorCode: 0, UserProfileItem: [profile] } })
    const run = await runInProcessAgainst(v, { inputs: { ...inputs, 'dry-run': 'true' }, files: { 'robots.yaml': MANIFEST } })

    expect(piecesShown(run, [usersig])).toEqual([])
    expect(run.summary).toContain('Support ***')
  })
})

import { runAction } from '../../emulator/runner.js'
import { proxySpec } from '../helpers/proxy-spec.js'

/**
 * Behind a proxy, on the built action run the way the runner runs it, trusting
 * the test CA from its start: the calls through the tunnel to the vendor and to
 * GitHub (__tests__/helpers/proxy-spec.ts). The refusals and bypasses run
 * in-process in __tests__/unit/specs-in-process.test.ts.
 */
proxySpec(runAction, { e2eOnly: true })

import type { RunOptions } from '../../emulator/runner.js'
import { runInProcess } from '../helpers/in-process.js'
import { proxySpec } from '../helpers/proxy-spec.js'

/**
 * Behind a proxy, in-process: the cases of __tests__/helpers/proxy-spec.ts that
 * need no TLS session through the tunnel (a proxy that wants credentials or
 * cannot be reached, NO_PROXY, loopback), with run() and the fake core.
 */

/** The client reads the proxy from process.env, as @actions/http-client does: set for the run, then put back. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

async function runWithProxyEnv(options: RunOptions) {
  const before = PROXY_VARIABLES.map(name => [name, process.env[name]] as const)
  for (const name of PROXY_VARIABLES) {
    const value = options.env?.[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  try {
    return await runInProcess(options)
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

proxySpec(runWithProxyEnv, { e2eOnly: false })

import { Octokit as OctokitCore } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { ProxyAgent, fetch } from 'undici'
import type { ActionCore } from '../action-core.js'
import { proxyAuthorization, proxyCredentials } from '../proxy-credentials.js'

/**
 * The REST client of the plan comment: Octokit's core and its pagination, as
 * @actions/github builds it, without the table of every endpoint (83 KB) nor the
 * proxy and API URL that @actions/github fixes from process.env when it loads.
 */
export const Octokit = OctokitCore.plugin(paginateRest)

/**
 * How the plan comment reaches the GitHub API: undici's fetch, through undici's
 * ProxyAgent as @actions/http-client makes it, with the proxy for the API URL the
 * comment goes to chosen from the run's env (proxy.ts).
 *
 * Its own module, imported on first use: Octokit and undici stay off the start-up path, and
 * a static import is what gives the bundle undici's named exports (a dynamic
 * import of a CommonJS package yields only its default).
 */
export interface GitHubTransport {
  fetch: typeof fetch
  /** Closes the proxy's connections, so none keeps the process alive. */
  close(): void
}

/** `proxy`: the one chosen for the API URL from the run's env (pr-comment.ts), or null. */
export function githubTransport(core: ActionCore, proxy: URL | null): GitHubTransport {
  if (!proxy) return { fetch, close: () => {} }
  // A run that never calls the vendor has not masked the proxy's password yet.
  for (const secret of [proxy.password, proxyCredentials(proxy)?.password]) if (secret) core.setSecret(secret)
  const token = proxyAuthorization(proxy)
  const dispatcher = new ProxyAgent({ uri: proxy.href, pipelining: 0, ...(token ? { token } : {}) })
  return {
    fetch: (input, init) => fetch(input, { ...init, dispatcher }),
    close: () => void dispatcher.destroy().catch(() => {})
  }
}

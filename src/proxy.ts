/**
 * Which proxy a request goes through, decided from the environment the run was
 * given — never from process.env, so run(core, env) obeys its `env` — by the rules
 * @actions/http-client applies to process.env (its lib/proxy.js), which every
 * toolkit action follows: a job's HTTPS_PROXY and NO_PROXY mean the same here.
 *
 * - https:// requests use https_proxy, else HTTPS_PROXY; any other, http_proxy, else HTTP_PROXY
 *   (the lower-case name wins when both are set and not empty).
 * - A value that does not parse as a URL is read with http:// in front. One that parses
 *   with no host (`proxy.corp:3128` reads as the scheme `proxy.corp:`) names no proxy.
 * - no_proxy, else NO_PROXY: a comma-separated list, matched case-insensitively against the
 *   host and against host:port (the port the scheme implies when none is written): `*`, the
 *   same name, a domain suffix with or without a leading dot.
 * - Loopback (localhost, 127.*, [::1]) is never proxied.
 *
 * Decided where the settings are read, on the start-up path; what the transports
 * need of the chosen proxy (its credentials) is in proxy-credentials.ts, loaded
 * with them, so this file stays out of their chunks and theirs out of the start.
 */

/** A proxy variable that names no URL. Its value is never repeated: it may hold a password. */
export class ProxyVariableError extends Error {
  override name = 'ProxyVariableError'
}

/** The proxy for a request to `url`, or null to go direct. Throws ProxyVariableError when the variable that applies is not a URL. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | null {
  if (bypassesProxy(url, env)) return null
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const name = names.find(candidate => env[candidate])
  if (name === undefined) return null
  const proxy = parseProxy(env[name] as string, name)
  return proxy?.hostname ? proxy : null
}

function parseProxy(value: string, name: string): URL | null {
  try {
    return decodable(new URL(value))
  } catch {
    // With a scheme of its own (say, a password that is not valid percent-encoding), it names no proxy.
    if (value.startsWith('http://') || value.startsWith('https://')) return null
  }
  try {
    return decodable(new URL(`http://${value}`))
  } catch {
    throw new ProxyVariableError(`${name} is not a proxy URL: expected http://host:port (http://user:password@host:port if the proxy needs them).`)
  }
}

/** Throws when the user name or password is not valid percent-encoding: such a URL is not taken as written. */
function decodable(proxy: URL): URL {
  decodeURIComponent(proxy.username)
  decodeURIComponent(proxy.password)
  return proxy
}

/** True when NO_PROXY (or no_proxy) names the host, or the host is loopback. */
export function bypassesProxy(url: URL, env: NodeJS.ProcessEnv): boolean {
  if (!url.hostname) return false
  if (isLoopback(url.hostname)) return true
  const noProxy = env.no_proxy || env.NO_PROXY || ''
  if (!noProxy) return false
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : url.protocol === 'https:' ? 443 : undefined
  const host = url.hostname.toUpperCase()
  const forms = port === undefined ? [host] : [host, `${host}:${port}`]
  return noProxy
    .split(',')
    .map(entry => entry.trim().toUpperCase())
    .filter(entry => entry)
    .some(entry => entry === '*' || forms.some(form => form === entry || form.endsWith(`.${entry}`) || (entry.startsWith('.') && form.endsWith(entry))))
}

/** By its name or address as a URL writes it, not by what it resolves to. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host.startsWith('127.') || host.startsWith('[::1]') || host.startsWith('[0:0:0:0:0:0:0:1]')
}

/**
 * A chosen proxy's credentials, as the transports send them (src/proxy.ts chooses
 * the proxy). The user name and password in its URL are percent-encoded; the
 * Proxy-Authorization header carries them decoded, and both forms are secrets.
 */

/** The proxy's user name and password, percent-decoded, as Proxy-Authorization sends them; null when it has neither. */
export function proxyCredentials(proxy: URL): { username: string; password: string } | null {
  if (!proxy.username && !proxy.password) return null
  return { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) }
}

/** The Proxy-Authorization header for the proxy, or null when its URL carries no credentials. */
export function proxyAuthorization(proxy: URL): string | null {
  const credentials = proxyCredentials(proxy)
  return credentials && `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
}

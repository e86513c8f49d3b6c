import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A certificate authority made for one test run with openssl, and a server
 * certificate it signs for the given host names. The action trusts it through
 * NODE_EXTRA_CA_CERTS, the way a runner behind a TLS-inspecting proxy would.
 * Keys are EC P-256: made in milliseconds, where RSA-2048 took most of a second.
 */
export interface TestCa {
  /** PEM file of the CA, for NODE_EXTRA_CA_CERTS. */
  caFile: string
  key: string
  cert: string
  remove(): Promise<void>
}

export async function makeTestCa(hostNames: string[]): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'ccr-ca-'))
  const file = (name: string): string => join(dir, name)
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' })
  }
  // A new EC P-256 key, unencrypted, written to keyout.
  const newKey = (keyout: string): string[] => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyout]
  openssl('req', '-x509', ...newKey(file('ca.key')), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=create-chat-robots test CA')
  openssl('req', ...newKey(file('server.key')), '-out', file('server.csr'), '-subj', `/CN=${hostNames[0]}`)
  await writeFile(file('ext.cnf'), `subjectAltName=${hostNames.map(h => `DNS:${h}`).join(',')}\n`)
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '1',
    '-extfile',
    file('ext.cnf')
  )
  return {
    caFile: file('ca.pem'),
    key: await readFile(file('server.key'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true })
  }
}

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { HttpPoster } from '../../src/vendor/http.js'

/**
 * Connections opened ahead (HttpPoster.prepare): against a plain HTTP server
 * that records every connection and the connection each request came on.
 */
describe('connections opened ahead of the requests', () => {
  let server: Server
  let url: URL
  const sockets: Socket[] = []
  /** For each request, the index in `sockets` of the connection it came on. */
  let requestsOn: number[]
  let poster: HttpPoster

  beforeEach(async () => {
    sockets.length = 0
    requestsOn = []
    server = createServer((req, res) => {
      requestsOn.push(sockets.indexOf(req.socket))
      req.resume()
      req.on('end', () => setTimeout(() => res.end('{"ok":true}'), 20))
    })
    server.on('connection', socket => sockets.push(socket))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const address = server.address() as { port: number }
    url = new URL(`http://127.0.0.1:${address.port}/v4/x`)
    poster = new HttpPoster(1024, null)
  })

  afterEach(async () => {
    poster.close()
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  })

  const until = async (condition: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 5))
    expect(condition()).toBe(true)
  }
  const post = (): Promise<string> => poster.post(url, '{}', 5000).then(answer => answer.body.toString())

  it('opens them while a request is in flight, and the next requests sent at once use them', async () => {
    const first = post()
    poster.prepare(url, 3)
    await first
    await until(() => sockets.length === 4)

    // The first request's connection is free again, and three wait unused: four requests need no new one.
    expect(await Promise.all([post(), post(), post(), post()])).toEqual(Array(4).fill('{"ok":true}'))
    expect(sockets).toHaveLength(4)
    expect(new Set(requestsOn.slice(1))).toEqual(new Set([0, 1, 2, 3]))
  })

  it('opens nothing before the agent has made its first connection (it copies that one)', async () => {
    poster.prepare(url, 3)
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(sockets).toHaveLength(0)
    await post()
    expect(sockets).toHaveLength(1)
  })

  it('never hands out a connection the server closed while it waited', async () => {
    const first = post()
    poster.prepare(url, 2)
    await first
    await until(() => sockets.length === 3)
    // The server drops the two idle connections (say, its idle timeout).
    sockets[1].destroy()
    sockets[2].destroy()
    await new Promise(resolve => setTimeout(resolve, 50))

    expect(await Promise.all([post(), post(), post()])).toEqual(Array(3).fill('{"ok":true}'))
    expect(requestsOn.slice(1).filter(index => index === 1 || index === 2)).toEqual([])
  })

  it('never hands out a connection on which the server sent something before any request', async () => {
    const first = post()
    poster.prepare(url, 2)
    await first
    await until(() => sockets.length === 3)
    // Bytes no request asked for: an answer that is not this run's, and a 408 sent as the server closes an idle connection.
    sockets[1].write('HTTP/1.1 200 OK\r\ncontent-length: 18\r\n\r\n{"unsolicited":1}\n')
    sockets[2].end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    await new Promise(resolve => setTimeout(resolve, 50))

    // Each request gets the answer to itself, never bytes that were waiting on a connection opened ahead.
    expect(await Promise.all([post(), post(), post()])).toEqual(Array(3).fill('{"ok":true}'))
    expect(requestsOn.slice(1).filter(index => index === 1 || index === 2)).toEqual([])
  })

  it("keeps the first request's connection options without its URL, whose query carries the UserSig", async () => {
    const first = poster.post(new URL(`${url.href}?usersig=SECRET-USERSIG`), '{}', 5000)
    poster.prepare(url, 1)
    await first
    await until(() => sockets.length === 2)
    const spares = [...(poster as unknown as { spares: Map<unknown, { template: Record<string, unknown> }> }).spares.values()]
    expect(spares).toHaveLength(1)
    expect(spares[0].template).toMatchObject({ host: '127.0.0.1', port: Number(url.port) })
    expect(JSON.stringify(spares[0].template, (key, value: unknown) => (key === 'agent' ? undefined : value))).not.toContain('SECRET-USERSIG')
  })

  it('a connection that cannot even be started ahead costs nothing: prepare does not throw, requests open their own', async () => {
    await post()
    const spares = [...(poster as unknown as { spares: Map<unknown, { template: Record<string, unknown> }> }).spares.values()]
    // A port node:net refuses at once (ERR_SOCKET_BAD_PORT), standing in for any error opening one.
    spares[0].template.port = -1
    expect(() => poster.prepare(url, 2)).not.toThrow()
    expect(await Promise.all([post(), post()])).toEqual(Array(2).fill('{"ok":true}'))
  })

  it('close() ends the connections nobody used, so the process can end', async () => {
    const first = post()
    poster.prepare(url, 3)
    await first
    await until(() => sockets.length === 4)
    const closed = sockets.map(socket => new Promise(resolve => socket.once('close', resolve)))
    poster.close()
    await Promise.all(closed)
    expect(sockets.every(socket => socket.destroyed)).toBe(true)
  })
})

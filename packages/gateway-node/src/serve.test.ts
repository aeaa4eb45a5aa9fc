import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { ImproperlyConfigured, text } from '@cycle/core'
import { who } from './__fixtures__/who-app'
import { closeAll, rawRequest, routesApp, start, until } from './__fixtures__/net'
import { DEFAULTS, type ServerHandle } from './options'
import { serve } from './serve'

afterEach(closeAll)

describe('serve()', () => {
  it('listens on 127.0.0.1 and reports url, address and port', async () => {
    let listened: ServerHandle | undefined
    const server = await start(who, { onListen: (h) => (listened = h) })
    expect(server.address).toBe('127.0.0.1')
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(listened).toBe(server)
    const res = await fetch(`${server.url}/who`)
    expect(await res.json()).toEqual({
      protocol: 'http',
      version: '1.1',
      host: `127.0.0.1:${server.port}`,
      path: '/who',
    })
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
  })

  it('documents its defaults', () => {
    expect(DEFAULTS).toEqual({
      port: 3000,
      hostname: '127.0.0.1',
      headersTimeout: 60_000,
      requestTimeout: 300_000,
      keepAliveTimeout: 5_000,
      sendTimeout: 60_000,
      maxHeaderSize: 16_384,
      shutdownTimeout: 10_000,
    })
  })

  it('applies the default timeouts and header size to the node server', async () => {
    const server = await start(who)
    const s = server.server as http.Server & { maxHeaderSize?: number }
    expect([s.headersTimeout, s.requestTimeout, s.keepAliveTimeout, s.maxHeaderSize]).toEqual([
      60_000, 300_000, 5_000, 16_384,
    ])
  })

  it('applies configured timeouts', async () => {
    const server = await start(who, {
      timeouts: { headers: 1_000, request: 2_000, keepAlive: 750 },
      maxHeaderSize: 4096,
    })
    const s = server.server as http.Server & { maxHeaderSize?: number }
    expect([s.headersTimeout, s.requestTimeout, s.keepAliveTimeout, s.maxHeaderSize]).toEqual([
      1_000, 2_000, 750, 4096,
    ])
  })

  it('caps the headers timeout at a shorter request timeout', async () => {
    const server = await start(who, { timeouts: { request: 10_000 } })
    expect((server.server as http.Server).headersTimeout).toBe(10_000)
  })

  it.each([
    [{ port: -1 }, /port/],
    [{ port: 70_000 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ timeouts: { headers: -5 } }, /timeouts.headers/],
    [{ timeouts: { headers: 20_000, request: 10_000 } }, /must not exceed/],
    [{ maxHeaderSize: 0 }, /maxHeaderSize/],
    [{ shutdownTimeout: -1 }, /shutdownTimeout/],
    [{ http2: true }, /TLS/],
    [{ bodyLimit: Number.NaN }, /bodyLimit/],
  ])('rejects bad options %j', async (options, message) => {
    await expect(serve(who, { port: 0, ...options })).rejects.toThrow(message)
  })

  it('rejects something that is not an app (ImproperlyConfigured, as gateway-fetch)', async () => {
    await expect(serve({} as never)).rejects.toThrow(ImproperlyConfigured)
  })

  it('rejects when the port is taken', async () => {
    const first = await start(who)
    await expect(serve(who, { port: first.port, hostname: '127.0.0.1' })).rejects.toThrow(
      /EADDRINUSE/
    )
  })

  it('closes when the signal aborts', async () => {
    const controller = new AbortController()
    const hooks: string[] = []
    const app = routesApp({})
    app.onClose(() => void hooks.push('closed'))
    const server = await start(app, { signal: controller.signal })
    controller.abort()
    await until(() => hooks.length === 1)
    expect(server.server.listening).toBe(false)
  })

  it('closes on SIGTERM with handleSignals, and removes its listeners afterwards', async () => {
    const before = process.listenerCount('SIGTERM')
    const beforeInt = process.listenerCount('SIGINT')
    const hooks: string[] = []
    const app = routesApp({})
    app.onClose(() => void hooks.push('closed'))
    const server = await start(app, { handleSignals: true })
    expect(process.listenerCount('SIGTERM')).toBe(before + 1)
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => hooks.length === 1)
    expect(server.server.listening).toBe(false)
    await until(() => process.listenerCount('SIGTERM') === before)
    expect(process.listenerCount('SIGINT')).toBe(beforeInt)
  })

  it('a raw request still works when the app is not a createApp() app', async () => {
    const server = await start({ handle: () => text('plain') })
    const res = await rawRequest(
      server.port,
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
    )
    expect(res.text).toBe('plain')
  })
})

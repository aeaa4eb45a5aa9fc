import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, text, type CycleRequest } from '@cycle/core'
import { closeAll, deferred, RawClient, routesApp, start, until } from './__fixtures__/net'
import { serve } from './serve'

afterEach(closeAll)

const req = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`

/** An app whose `/slow` waits for `release()`, counting entries. */
function gatedApp() {
  const gate = deferred()
  const state = { entered: 0 }
  const app = routesApp({
    '/slow': async () => {
      state.entered++
      await gate.promise
      return text('finished')
    },
    '/fast': () => text('fast'),
  })
  return { app, state, release: gate.resolve }
}

describe('graceful shutdown', () => {
  it('finishes every in-flight request, each with Connection: close, then runs the shutdown hooks', async () => {
    const { app, state, release } = gatedApp()
    const hooks: string[] = []
    app.onClose(() => void hooks.push('closed'))
    const server = await start(app, { shutdownTimeout: 60_000 })
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(server.port)))
    for (const c of clients) c.write(req('/slow'))
    await until(() => state.entered === 3)
    const closing = server.close()
    expect(hooks).toEqual([])
    release()
    const answers = await Promise.all(clients.map((c) => c.response()))
    for (const res of answers) {
      expect(res.status).toBe(200)
      expect(res.text).toBe('finished')
      expect(res.header('connection')).toBe('close')
    }
    await closing
    await Promise.all(clients.map((c) => c.closed))
    expect(hooks).toEqual(['closed'])
  })

  it('closes idle keep-alive connections at once instead of waiting for them', async () => {
    // A 60 s keep-alive and deadline: if close() waited for either, the test would time out.
    const server = await start(routesApp({ '/fast': () => text('fast') }), {
      timeouts: { keepAlive: 60_000 },
      shutdownTimeout: 60_000,
    })
    const clients = await Promise.all([1, 2].map(() => RawClient.connect(server.port)))
    for (const c of clients) c.write(req('/fast'))
    for (const c of clients) expect((await c.response()).header('connection')).toBe('keep-alive')
    await server.close()
    await Promise.all(clients.map((c) => c.closed))
    expect(clients.every((c) => c.isClosed)).toBe(true)
  })

  it('answers a request arriving on a kept-alive connection during shutdown with 503 + close', async () => {
    const server = await start(routesApp({ '/fast': () => text('fast') }), {
      shutdownTimeout: 60_000,
    })
    const serverSockets: Socket[] = []
    server.server.on('connection', (s: Socket) => serverSockets.push(s))
    const client = await RawClient.connect(server.port)
    client.write(req('/fast'))
    expect((await client.response()).status).toBe(200)
    // Half a request: the connection is busy (not idle), so shutdown must wait for it.
    const partial = 'GET /fast HTTP/1.1\r\nHost: a\r\n'
    const before = serverSockets[0]?.bytesRead ?? 0
    client.write(partial)
    await until(() => (serverSockets[0]?.bytesRead ?? 0) >= before + partial.length)
    const closing = server.close()
    client.write('\r\n')
    const res = await client.response()
    expect(res.status).toBe(503)
    expect(res.header('connection')).toBe('close')
    expect(res.header('content-type')).toBe('application/problem+json')
    await client.closed
    await closing
  })

  it('a pipelined late request gets its 503 after the in-flight answer', async () => {
    const { app, state, release } = gatedApp()
    const server = await start(app, { shutdownTimeout: 60_000 })
    let requests = 0
    server.server.on('request', () => requests++)
    const client = await RawClient.connect(server.port)
    client.write(req('/slow'))
    await until(() => state.entered === 1)
    const closing = server.close()
    client.write(req('/fast'))
    await until(() => requests === 2)
    release()
    const first = await client.response()
    expect(first.status).toBe(200)
    expect(first.text).toBe('finished')
    const second = await client.response()
    expect(second.status).toBe(503)
    expect(second.header('connection')).toBe('close')
    await client.closed
    await closing
    expect(state.entered).toBe(1)
  })

  it('loses no pipelined request that was already being processed', async () => {
    const gates = { a: deferred(), b: deferred() }
    let entered = 0
    const app = routesApp({
      '/a': async () => (entered++, await gates.a.promise, text('A')),
      '/b': async () => (entered++, await gates.b.promise, text('B')),
    })
    const server = await start(app, { shutdownTimeout: 60_000 })
    const client = await RawClient.connect(server.port)
    client.write(req('/a') + req('/b'))
    await until(() => entered === 2)
    const closing = server.close()
    // The second finishes first: its answer waits behind the first, and neither is dropped.
    gates.b.resolve()
    await new Promise((r) => setTimeout(r, 10))
    gates.a.resolve()
    const first = await client.response()
    const second = await client.response()
    expect([first.text, second.text]).toEqual(['A', 'B'])
    expect(first.header('connection')).toBe('keep-alive')
    await client.closed
    await closing
  })

  it('at the deadline, aborts request signals, drops the connections, and still runs the hooks', async () => {
    const reasons: unknown[] = []
    const hooks: string[] = []
    const entered = deferred()
    const app = routesApp({
      '/stuck': (r: CycleRequest) =>
        new Promise((resolve) => {
          r.signal.addEventListener('abort', () => {
            reasons.push(r.signal.reason)
            resolve(text('aborted'))
          })
          entered.resolve()
        }),
    })
    app.onClose(() => void hooks.push('closed'))
    const server = await start(app)
    const client = await RawClient.connect(server.port)
    client.write(req('/stuck'))
    await entered.promise
    await server.close({ timeout: 50 })
    await client.closed
    expect(reasons).toHaveLength(1)
    expect((reasons[0] as DOMException).name).toBe('AbortError')
    expect((reasons[0] as DOMException).message).toMatch(/shutting down/)
    expect(hooks).toEqual(['closed'])
  })

  it('waits for waitUntil() work before the shutdown hooks', async () => {
    const order: string[] = []
    const work = deferred()
    const app = routesApp({
      '/later': (r: CycleRequest) => {
        r.waitUntil(work.promise.then(() => void order.push('background done')))
        return text('accepted')
      },
    })
    app.onClose(() => void order.push('hooks'))
    const server = await start(app, { shutdownTimeout: 60_000 })
    const client = await RawClient.connect(server.port)
    client.write(req('/later', 'Connection: close\r\n'))
    expect((await client.response()).text).toBe('accepted')
    const closing = server.close()
    await new Promise((r) => setTimeout(r, 20))
    expect(order).toEqual([])
    work.resolve()
    await closing
    expect(order).toEqual(['background done', 'hooks'])
  })

  it('close() is idempotent and reports failing hooks', async () => {
    const app = createApp({ urls: [] })
    app.onClose(() => {
      throw new Error('db did not close')
    })
    const server = await serve(app, { port: 0 })
    const a = server.close()
    const b = server.close()
    expect(a).toBe(b)
    await expect(a).rejects.toThrow(AggregateError)
  })

  it('refuses new connections once closing', async () => {
    const server = await start(routesApp({}))
    const port = server.port
    await server.close()
    await expect(RawClient.connect(port)).rejects.toThrow(/ECONNREFUSED/)
  })
})

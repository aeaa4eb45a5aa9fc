import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { json, text, type CycleRequest } from '@cycle/core'
import {
  closeAll,
  deferred,
  RawClient,
  rawRequest,
  routesApp,
  start,
  until,
} from './__fixtures__/net'
import { NodeRequest } from './request'

afterEach(closeAll)

/** GET over node:http (not fetch: undici builds its own Headers and AbortControllers). */
function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
  })
}

/** Counts constructions of a global class while `fn` runs. */
async function counting<T>(
  name: 'Headers' | 'AbortController',
  fn: () => Promise<T>
): Promise<[T, number]> {
  const original = globalThis[name] as unknown as new (...args: unknown[]) => object
  let count = 0
  const Counted = class extends original {
    constructor(...args: unknown[]) {
      super(...args)
      count++
    }
  }
  ;(globalThis as Record<string, unknown>)[name] = Counted
  try {
    return [await fn(), count]
  } finally {
    ;(globalThis as Record<string, unknown>)[name] = original
  }
}

describe('NodeRequest is lazy', () => {
  it('builds no Headers and no AbortController when the view does not read them', async () => {
    const server = await start(routesApp({ '/lazy': (r) => text(`ua=${r.header('user-agent')}`) }))
    const [[headersRes, headersCount], signalCount] = await counting('AbortController', () =>
      counting('Headers', () => httpGet(server.port, '/lazy', { 'user-agent': 'probe' }))
    )
    expect(headersRes.body).toBe('ua=probe')
    expect(headersCount).toBe(0)
    expect(signalCount).toBe(0)
  })

  it('builds Headers once, on first read, with every value', async () => {
    const seen: Headers[] = []
    const server = await start(
      routesApp({
        '/headers': (r) => {
          seen.push(r.headers, r.headers)
          return json({
            a: r.headers.get('x-a'),
            accept: r.headers.get('accept'),
            host: r.headers.get('host'),
          })
        },
      })
    )
    const [res, count] = await counting('Headers', () =>
      rawRequest(
        server.port,
        'GET /headers HTTP/1.1\r\nHost: example.test\r\nX-A: 1\r\nX-A: 2\r\nAccept: text/plain\r\nConnection: close\r\n\r\n'
      )
    )
    expect(JSON.parse(res.text)).toEqual({ a: '1, 2', accept: 'text/plain', host: 'example.test' })
    expect(count).toBe(1)
    expect(seen[0]).toBe(seen[1])
  })

  it('header() is case-insensitive and joins repeated fields', async () => {
    const server = await start(
      routesApp({
        '/h': (r) =>
          json({
            lower: r.header('x-tag'),
            upper: r.header('X-Tag'),
            missing: r.header('x-none'),
            cookie: r.header('cookie'),
          }),
      })
    )
    const res = await rawRequest(
      server.port,
      'GET /h HTTP/1.1\r\nHost: a\r\nX-Tag: one\r\nX-Tag: two\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n'
    )
    expect(JSON.parse(res.text)).toEqual({
      lower: 'one, two',
      upper: 'one, two',
      missing: null,
      cookie: 'a=1; b=2',
    })
  })
})

describe('signal, protocol and address', () => {
  it('reports the socket protocol and address without trustProxy', async () => {
    const server = await start(
      routesApp({
        '/who': (r) => json({ protocol: r.protocol, address: r.remoteAddress, secure: r.secure }),
      })
    )
    const res = await rawRequest(
      server.port,
      'GET /who HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n'
    )
    expect(JSON.parse(res.text)).toEqual({ protocol: 'http', address: '127.0.0.1', secure: false })
  })

  it('aborts request.signal when the client disconnects before the response', async () => {
    const entered = deferred()
    const aborted = deferred<unknown>()
    const server = await start(
      routesApp({
        '/slow': (r) =>
          new Promise((resolve) => {
            r.signal.addEventListener('abort', () => {
              aborted.resolve(r.signal.reason)
              resolve(text('too late'))
            })
            entered.resolve()
          }),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n')
    await entered.promise
    client.destroy()
    expect(((await aborted.promise) as DOMException).name).toBe('AbortError')
  })

  it('request.abort() aborts the signal, read before or after, and the answer still goes out', async () => {
    const reasons: unknown[] = []
    const server = await start(
      routesApp({
        '/before': (r) => {
          const signal = r.signal
          r.abort(new DOMException('deadline', 'TimeoutError'))
          reasons.push((signal.reason as DOMException).name)
          return text('answered')
        },
        '/after': (r) => {
          r.abort()
          reasons.push((r.signal.reason as DOMException).name)
          return text('answered')
        },
      })
    )
    expect(await httpGet(server.port, '/before')).toEqual({ status: 200, body: 'answered' })
    expect(await httpGet(server.port, '/after')).toEqual({ status: 200, body: 'answered' })
    expect(reasons).toEqual(['TimeoutError', 'AbortError'])
  })

  it('a signal first read after the client left is already aborted', async () => {
    const entered = deferred()
    const gone = deferred()
    const result = deferred<boolean>()
    const server = await start(
      routesApp({
        '/late': async (r) => {
          entered.resolve()
          await gone.promise
          // Node has seen the disconnect (the response is destroyed) before the signal exists.
          await until(() => (r as NodeRequest).res.destroyed)
          result.resolve(r.signal.aborted)
          return text('x')
        },
      })
    )
    const client = await RawClient.connect(server.port)
    client.write('GET /late HTTP/1.1\r\nHost: a\r\n\r\n')
    await entered.promise
    client.destroy()
    await client.closed
    gone.resolve()
    expect(await result.promise).toBe(true)
  })
})

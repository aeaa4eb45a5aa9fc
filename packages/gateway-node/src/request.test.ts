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
import { NodeRequest, normalizeTarget } from './request'

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

describe('request target and host', () => {
  const probe = (r: CycleRequest): ReturnType<typeof json> =>
    json({ target: r.target, path: r.path, host: r.host, url: r.url, query: r.search })

  it.each([
    ['//admin', '//admin', '//admin'],
    ['/a%20b/?x=1', '/a%20b/?x=1', '/a b/'],
    ['http://evil.example/x?y=1', '/x?y=1', '/x'],
    ['https://evil.example', '/', '/'],
    ['http://evil.example?q', '/?q', '/'],
    ['*', '/*', '/*'],
  ])('target %s becomes %s (host from the Host header)', async (sent, target, path) => {
    const seen: unknown[] = []
    const server = await start({
      handle: (r: CycleRequest) => {
        const out = probe(r)
        seen.push(out.data)
        return out
      },
    })
    const res = await rawRequest(
      server.port,
      `GET ${sent} HTTP/1.1\r\nHost: good.example\r\nConnection: close\r\n\r\n`
    )
    expect(res.status).toBe(200)
    expect(seen[0]).toMatchObject({ target, path, host: 'good.example' })
    expect((seen[0] as { url: string }).url).toBe(`http://good.example${target}`)
  })

  it('normalizeTarget keeps only path and query of absolute-form targets', () => {
    expect(normalizeTarget('http://h/p/q?x#f')).toBe('/p/q?x#f')
    expect(normalizeTarget('HTTPS://h:8443//double')).toBe('//double')
    expect(normalizeTarget('weird')).toBe('/weird')
    expect(normalizeTarget('1http://h/x')).toBe('/1http://h/x')
  })

  it('rejects a duplicate Host with a 400 problem before the app runs', async () => {
    let ran = false
    const server = await start(routesApp({ '/': () => ((ran = true), text('no')) }))
    const res = await rawRequest(
      server.port,
      'GET / HTTP/1.1\r\nHost: good.example\r\nhost: evil.example\r\nConnection: close\r\n\r\n'
    )
    expect(res.status).toBe(400)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(res.text)).toMatchObject({ status: 400, title: 'Bad Request' })
    expect(JSON.parse(res.text).detail).toMatch(/more than one Host/)
    expect(ran).toBe(false)
  })

  it('rejects a missing Host on HTTP/1.1 but accepts it on HTTP/1.0', async () => {
    const server = await start(routesApp({ '/': () => text('fine') }))
    const missing = await rawRequest(server.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')
    expect(missing.status).toBe(400)
    expect(JSON.parse(missing.text).detail).toMatch(/no Host/)
    const old = await rawRequest(server.port, 'GET / HTTP/1.0\r\n\r\n')
    expect(old.status).toBe(200)
    expect(old.text).toBe('fine')
  })

  it.each(['bad host', 'evil.example/path', 'a@b', '[::1'])(
    'rejects the malformed Host %j with a 400',
    async (host) => {
      const server = await start(routesApp({ '/': () => text('no') }))
      const res = await rawRequest(
        server.port,
        `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
      )
      expect(res.status).toBe(400)
      expect(res.header('content-type')).toBe('application/problem+json')
    }
  )

  it('answers malformed percent-encoding in the path with a 400 problem', async () => {
    const server = await start(routesApp({ '/ok': () => text('ok') }))
    const res = await rawRequest(
      server.port,
      'GET /bad%E0%A4%A/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
    )
    expect(res.status).toBe(400)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(res.text).detail).toMatch(/percent-encoding/)
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

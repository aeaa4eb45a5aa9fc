/**
 * The CORS middleware through `app.fetch()`: preflights, actual requests, `Vary`, credentials,
 * exposed headers, Private Network Access, and the origin matching rules with their classic
 * bypasses.
 */
import { createApp, defineMiddleware, json, path, text, type Middleware } from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { describe, expect, it, vi } from 'vitest'
import { cors } from './cors'
import type { CorsOptions } from './options'

const APP = 'https://app.example.com'

function appWith(options: CorsOptions, extra: Middleware[] = []) {
  const optionsView = vi.fn(() => text('own OPTIONS'))
  const app = createApp({
    middleware: [cors(options), ...extra],
    urls: [
      path('notes/', () => json([{ id: 1 }]), { methods: ['GET', 'POST'] }),
      path('options/', { OPTIONS: optionsView, GET: () => text('get') }),
      path('boom/', () => {
        throw new Error('internal')
      }),
    ],
  })
  return { app, optionsView }
}

function req(target: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(`http://localhost${target}`, { method, headers })
}

function preflight(
  target: string,
  origin: string,
  method = 'PUT',
  more: Record<string, string> = {}
): Request {
  return req(target, { origin, 'access-control-request-method': method, ...more }, 'OPTIONS')
}

/** Every `access-control-*` header of a response. */
function corsHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  res.headers.forEach((v, k) => {
    if (k.startsWith('access-control-')) out[k] = v
  })
  return out
}

describe('preflight', () => {
  it('is answered before routing: 204 with the configured headers, for a route, a 405 and a 404', async () => {
    const { app } = appWith({ origin: [APP] })
    // notes/ answers GET and POST only (a PUT would be 405); nowhere/ does not exist (404).
    for (const target of ['/notes/', '/nowhere/']) {
      const res = await app.fetch(preflight(target, APP, 'PUT'))
      expect(res.status).toBe(204)
      expect(await res.text()).toBe('')
      expect(corsHeaders(res)).toEqual({
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
        'access-control-allow-headers': 'Accept, Authorization, Content-Type, X-Requested-With',
        'access-control-max-age': '7200',
      })
      expect(res.headers.get('vary')).toBe('Origin')
      // Core's own OPTIONS answer would carry Allow: this one is the middleware's.
      expect(res.headers.get('allow')).toBeNull()
    }
  })

  it("never reaches the view, not even a route's own OPTIONS handler", async () => {
    const { app, optionsView } = appWith({ origin: [APP] })
    const res = await app.fetch(preflight('/options/', APP, 'GET'))
    expect(res.status).toBe(204)
    expect(optionsView).not.toHaveBeenCalled()
    // A plain OPTIONS (no Access-Control-Request-Method) is no preflight: the route answers it.
    const plain = await app.fetch(req('/options/', { origin: APP }, 'OPTIONS'))
    expect(await plain.text()).toBe('own OPTIONS')
    expect(plain.headers.get('access-control-allow-origin')).toBe(APP)
    expect(plain.headers.get('access-control-allow-methods')).toBeNull()
    expect(optionsView).toHaveBeenCalledOnce()
  })

  it('from a refused origin: no CORS header; routing answers as for any OPTIONS', async () => {
    const { app, optionsView } = appWith({ origin: [APP] })
    const onRoute = await app.fetch(preflight('/notes/', 'https://evil.example', 'GET'))
    expect(onRoute.status).toBe(204) // core's OPTIONS answer, not a CORS success
    expect(onRoute.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST')
    expect(corsHeaders(onRoute)).toEqual({})
    expect(onRoute.headers.get('vary')).toBe('Origin')

    const nowhere = await app.fetch(preflight('/nowhere/', 'https://evil.example', 'GET'))
    expect(nowhere.status).toBe(404)
    expect(corsHeaders(nowhere)).toEqual({})
    expect(nowhere.headers.get('vary')).toContain('Origin')

    // A route's own OPTIONS handler does answer it (the app decided to), still without CORS.
    const own = await app.fetch(preflight('/options/', 'https://evil.example', 'GET'))
    expect(await own.text()).toBe('own OPTIONS')
    expect(corsHeaders(own)).toEqual({})
    expect(optionsView).toHaveBeenCalledOnce()
  })

  it('for a method not in `methods`: no CORS header (compared exactly, as browsers do)', async () => {
    const { app } = appWith({ origin: [APP], methods: ['get', 'post'] })
    for (const method of ['PUT', 'DELETE', 'post', 'PURGE']) {
      const res = await app.fetch(preflight('/notes/', APP, method))
      expect(corsHeaders(res), method).toEqual({})
      expect(res.headers.get('vary')).toContain('Origin')
    }
    const ok = await app.fetch(preflight('/notes/', APP, 'POST'))
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST')
  })

  it('does not ask the origin function about a method it would refuse anyway', async () => {
    const decide = vi.fn(() => true)
    const { app } = appWith({ origin: decide, methods: ['GET'] })
    await app.fetch(preflight('/notes/', APP, 'DELETE'))
    expect(decide).not.toHaveBeenCalled()
  })

  it('sends the configured header list, whatever is asked', async () => {
    const { app } = appWith({ origin: [APP], allowedHeaders: ['X-Api-Key'] })
    const res = await app.fetch(
      preflight('/notes/', APP, 'GET', { 'access-control-request-headers': 'x-evil,x-api-key' })
    )
    expect(res.headers.get('access-control-allow-headers')).toBe('X-Api-Key')
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('sends no Access-Control-Allow-Headers for an empty list', async () => {
    const { app } = appWith({ origin: [APP], allowedHeaders: [] })
    const res = await app.fetch(preflight('/notes/', APP, 'GET'))
    expect(res.status).toBe(204)
    expect(res.headers.has('access-control-allow-headers')).toBe(false)
  })

  it("reflects the requested headers only with allowedHeaders: 'reflect', and varies on them", async () => {
    const { app } = appWith({ origin: [APP], allowedHeaders: 'reflect' })
    const asked = 'content-type,x-api-key'
    const res = await app.fetch(
      preflight('/notes/', APP, 'POST', { 'access-control-request-headers': asked })
    )
    expect(res.headers.get('access-control-allow-headers')).toBe(asked)
    expect(res.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers')

    // Not a list of field names: not echoed.
    const odd = await app.fetch(
      preflight('/notes/', APP, 'POST', { 'access-control-request-headers': 'x-a, (x-b)' })
    )
    expect(odd.status).toBe(204)
    expect(odd.headers.has('access-control-allow-headers')).toBe(false)

    const none = await app.fetch(preflight('/notes/', APP, 'POST'))
    expect(none.headers.has('access-control-allow-headers')).toBe(false)
    expect(none.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers')
  })

  it("with origin '*' and reflected headers: varies on the requested headers only", async () => {
    const { app } = appWith({ origin: '*', allowedHeaders: 'reflect' })
    const res = await app.fetch(
      preflight('/notes/', 'https://any.example', 'GET', {
        'access-control-request-headers': 'x-a',
      })
    )
    expect(res.headers.get('access-control-allow-headers')).toBe('x-a')
    expect(res.headers.get('vary')).toBe('Access-Control-Request-Headers')
  })

  it('carries credentials and a custom max age', async () => {
    const { app } = appWith({ origin: [APP], credentials: true, maxAge: 600 })
    const res = await app.fetch(preflight('/notes/', APP))
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
  })

  it("with origin '*': the wildcard and no Vary: Origin", async () => {
    const { app } = appWith({ origin: '*' })
    const res = await app.fetch(preflight('/nowhere/', 'https://any.example'))
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.has('access-control-allow-credentials')).toBe(false)
    expect(res.headers.get('vary')).toBeNull()
    // A refused method: no CORS header at all (not even the wildcard).
    const refused = await app.fetch(preflight('/notes/', 'https://any.example', 'PURGE'))
    expect(corsHeaders(refused)).toEqual({})
    expect(refused.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST')
  })
})

describe('Private Network Access preflight', () => {
  const pna = { 'access-control-request-private-network': 'true' }

  it('is allowed only with privateNetwork: true', async () => {
    const on = appWith({ origin: [APP], privateNetwork: true }).app
    const res = await on.fetch(preflight('/notes/', APP, 'GET', pna))
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-private-network')).toBe('true')

    const off = appWith({ origin: [APP] }).app
    const refused = await off.fetch(preflight('/notes/', APP, 'GET', pna))
    expect(refused.status).toBe(204) // an ordinary CORS success: the browser blocks on PNA
    expect(refused.headers.has('access-control-allow-private-network')).toBe(false)
  })

  it('is not granted unasked, nor to a refused origin', async () => {
    const { app } = appWith({ origin: [APP], privateNetwork: true })
    const unasked = await app.fetch(preflight('/notes/', APP, 'GET'))
    expect(unasked.headers.has('access-control-allow-private-network')).toBe(false)
    const evil = await app.fetch(preflight('/notes/', 'https://evil.example', 'GET', pna))
    expect(corsHeaders(evil)).toEqual({})
  })
})

describe('actual requests', () => {
  it('an allowed origin gets Allow-Origin (itself), Vary: Origin, credentials and exposed headers', async () => {
    const { app } = appWith({
      origin: [APP],
      credentials: true,
      exposedHeaders: ['X-Total-Count', 'ETag'],
    })
    const res = await app.fetch(req('/notes/', { origin: APP }))
    expect(res.status).toBe(200)
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total-Count, ETag',
    })
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('a refused origin gets Vary: Origin and nothing else', async () => {
    const { app } = appWith({ origin: [APP], credentials: true, exposedHeaders: ['X-A'] })
    const res = await app.fetch(req('/notes/', { origin: 'https://evil.example' }))
    expect(res.status).toBe(200) // CORS is enforced by the browser; the server only withholds
    expect(corsHeaders(res)).toEqual({})
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('a request without Origin gets Vary: Origin (a cache must not reuse it for a CORS one)', async () => {
    const { app } = appWith({ origin: [APP] })
    const res = await app.fetch(req('/notes/'))
    expect(corsHeaders(res)).toEqual({})
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it("origin '*': the same headers on every answer, Origin or not, and no Vary", async () => {
    const { app } = appWith({ origin: '*', exposedHeaders: ['X-A'] })
    const cases: Record<string, string>[] = [
      {},
      { origin: 'https://any.example' },
      { origin: 'null' },
    ]
    for (const headers of cases) {
      const res = await app.fetch(req('/notes/', headers))
      expect(corsHeaders(res)).toEqual({
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'X-A',
      })
      expect(res.headers.get('vary')).toBeNull()
    }
  })

  it('adds Origin to a Vary another middleware set', async () => {
    const accept = defineMiddleware({
      name: 'accept',
      response(_req, res) {
        res.headers.vary('Accept')
      },
    })
    const { app } = appWith({ origin: [APP] }, [accept])
    const res = await app.fetch(req('/notes/', { origin: APP }))
    expect(res.headers.get('vary')).toBe('Accept, Origin')
  })

  it('replaces an Allow-Origin a view set (one policy, the configured one)', async () => {
    const app = createApp({
      middleware: [cors({ origin: [APP] })],
      urls: [path('x/', () => text('x', { headers: { 'access-control-allow-origin': '*' } }))],
    })
    const res = await app.fetch(req('/x/', { origin: APP }))
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
  })
})

describe('error answers carry CORS headers for allowed origins', () => {
  it('404, 405 and 500 from core', async () => {
    const { app } = appWith({ origin: [APP], credentials: true })
    for (const [target, method, status] of [
      ['/nowhere/', 'GET', 404],
      ['/notes/', 'DELETE', 405],
      ['/boom/', 'GET', 500],
    ] as const) {
      const res = await app.fetch(req(target, { origin: APP }, method))
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('access-control-allow-origin')).toBe(APP)
      expect(res.headers.get('access-control-allow-credentials')).toBe('true')
      expect(res.headers.get('vary')).toContain('Origin')
    }
  })

  it('an error thrown by a later request hook, and a failing inner response hook', async () => {
    const throwsIn = defineMiddleware({
      name: 'throwsIn',
      request(request) {
        if (request.path === '/notes/') throw new Error('in')
      },
    })
    const throwsOut = defineMiddleware({
      name: 'throwsOut',
      response() {
        throw new Error('out')
      },
    })
    const a = appWith({ origin: [APP] }, [throwsIn]).app
    const b = appWith({ origin: [APP] }, [throwsOut]).app
    for (const app of [a, b]) {
      const res = await app.fetch(req('/notes/', { origin: APP }))
      expect(res.status).toBe(500)
      expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    }
  })

  it('not for refused origins', async () => {
    const { app } = appWith({ origin: [APP] })
    const res = await app.fetch(req('/boom/', { origin: 'https://evil.example' }))
    expect(res.status).toBe(500)
    expect(corsHeaders(res)).toEqual({})
    expect(res.headers.get('vary')).toContain('Origin')
  })
})

describe('origin lists compare exactly', () => {
  const app = appWith({ origin: ['https://example.com', 'https://Api.Example.com:443'] }).app
  const allowed = async (origin: string) =>
    (await app.fetch(req('/notes/', { origin }))).headers.get('access-control-allow-origin')

  it('allows the listed origins, host and scheme case-insensitively, and sends the canonical form', async () => {
    expect(await allowed('https://example.com')).toBe('https://example.com')
    expect(await allowed('https://api.example.com')).toBe('https://api.example.com')
    expect(await allowed('HTTPS://EXAMPLE.COM')).toBe('https://example.com')
  })

  it.each([
    ['a suffix match', 'https://evil-example.com'],
    ['a subdomain', 'https://sub.example.com'],
    ['a prefix match', 'https://example.com.evil.net'],
    ['another scheme', 'http://example.com'],
    ['another port', 'https://example.com:8443'],
    ['the default port spelled out (browsers never send it)', 'https://example.com:443'],
    ['a trailing slash', 'https://example.com/'],
    ['a path', 'https://example.com/app'],
    ['user info', 'https://example.com@evil.net'],
    ['the opaque origin null', 'null'],
    ['NULL', 'NULL'],
    ['an empty Origin', ''],
    ['a bare host', 'example.com'],
  ])('refuses %s', async (_why, origin) => {
    expect(await allowed(origin)).toBeNull()
  })

  it("allows null only when 'null' is listed", async () => {
    const withNull = appWith({ origin: ['https://example.com', 'null'] }).app
    const res = await withNull.fetch(req('/notes/', { origin: 'null' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('null')
    const single = appWith({ origin: 'null' }).app
    const res2 = await single.fetch(req('/notes/', { origin: 'null' }))
    expect(res2.headers.get('access-control-allow-origin')).toBe('null')
  })

  it('a single string is a one-item list', async () => {
    const one = appWith({ origin: 'https://example.com' }).app
    const res = await one.fetch(req('/notes/', { origin: 'https://example.com' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('https://example.com')
    const evil = await one.fetch(req('/notes/', { origin: 'https://example.com.evil.net' }))
    expect(evil.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('non-http schemes (native shells) compare on their canonical form', async () => {
    const shell = appWith({ origin: ['capacitor://localhost'] }).app
    const res = await shell.fetch(req('/notes/', { origin: 'capacitor://localhost' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('capacitor://localhost')
  })
})

describe('origin patterns', () => {
  const sub = /^https:\/\/[a-z0-9-]+\.example\.com$/

  it('allow what they match and send the request origin back', async () => {
    const { app } = appWith({ origin: sub })
    const res = await app.fetch(req('/notes/', { origin: 'https://api.example.com' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('https://api.example.com')
  })

  it('never match null, a path or a trailing slash, even when unanchored', async () => {
    const { app } = appWith({ origin: [/example\.com/, /.*/] })
    for (const origin of ['null', 'https://example.com/', 'https://example.com/x', 'https://a b']) {
      const res = await app.fetch(req('/notes/', { origin }))
      expect(res.headers.has('access-control-allow-origin'), origin).toBe(false)
    }
  })

  it('an unanchored or unescaped pattern is the pattern author’s problem (documented)', async () => {
    // /example.com$/ matches a suffix: the README shows anchored, escaped patterns.
    const { app } = appWith({ origin: /https:\/\/api.example\.com$/ })
    const res = await app.fetch(req('/notes/', { origin: 'https://apixexample.com' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('https://apixexample.com')
  })

  it('mix with strings in one list', async () => {
    const { app } = appWith({ origin: ['https://example.com', sub] })
    for (const origin of ['https://example.com', 'https://a.example.com']) {
      const res = await app.fetch(req('/notes/', { origin }))
      expect(res.headers.get('access-control-allow-origin')).toBe(origin)
    }
    const evil = await app.fetch(req('/notes/', { origin: 'https://a.example.com.evil.net' }))
    expect(evil.headers.has('access-control-allow-origin')).toBe(false)
  })
})

describe('origin functions', () => {
  it('decide per request, synchronously, with the request', async () => {
    const decide = vi.fn(
      (origin: string, request: { path: string }) =>
        origin.endsWith('.example.com') && request.path !== '/boom/'
    )
    const { app } = appWith({ origin: decide, credentials: true })
    const ok = await app.fetch(req('/notes/', { origin: 'https://a.example.com' }))
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example.com')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
    expect(decide).toHaveBeenCalledWith('https://a.example.com', expect.anything())
    const no = await app.fetch(req('/boom/', { origin: 'https://a.example.com' }))
    expect(no.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('are asked once per request, not again on the way out', async () => {
    const decide = vi.fn(() => true)
    const { app } = appWith({ origin: decide })
    await app.fetch(req('/boom/', { origin: APP }))
    await app.fetch(preflight('/notes/', APP))
    expect(decide).toHaveBeenCalledTimes(2)
  })

  it('may be async, for preflights too', async () => {
    const { app } = appWith({
      origin: async (origin) => {
        await new Promise((r) => setTimeout(r, 1))
        return origin === APP
      },
    })
    const pre = await app.fetch(preflight('/nowhere/', APP))
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP)
    const ok = await app.fetch(req('/notes/', { origin: APP }))
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP)
    const no = await app.fetch(preflight('/nowhere/', 'https://evil.example'))
    expect(no.status).toBe(404)
    expect(corsHeaders(no)).toEqual({})
  })

  it('allow only on true (a truthy string or 1 refuses)', async () => {
    const { app } = appWith({ origin: (() => 'yes') as unknown as () => boolean })
    const res = await app.fetch(req('/notes/', { origin: APP }))
    expect(res.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('are never asked about null or a malformed origin', async () => {
    const decide = vi.fn(() => true)
    const { app } = appWith({ origin: decide })
    for (const origin of ['null', 'https://a.example/', 'https://a.example/x', 'x']) {
      const res = await app.fetch(req('/notes/', { origin }))
      expect(res.headers.has('access-control-allow-origin')).toBe(false)
    }
    expect(decide).not.toHaveBeenCalled()
  })

  it('that throw or reject give a 500 without CORS headers (fail closed)', async () => {
    for (const origin of [
      () => {
        throw new Error('db down')
      },
      () => Promise.reject(new Error('db down')),
    ]) {
      const { app } = appWith({ origin })
      const res = await app.fetch(req('/notes/', { origin: APP }))
      expect(res.status).toBe(500)
      expect(corsHeaders(res)).toEqual({})
      expect(await res.text()).not.toContain('db down')
    }
  })
})

describe('cost', () => {
  it('stays synchronous and writes nothing on request.state without Origin', () => {
    let symbols = -1
    const app = createApp({
      middleware: [cors({ origin: [APP] })],
      urls: [
        path('x/', (request) => {
          symbols = Object.getOwnPropertySymbols(request.state).length
          return text('x')
        }),
      ],
    })
    const res = app.handle(new WebRequest(req('/x/')))
    expect(res).not.toBeInstanceOf(Promise)
    expect(symbols).toBe(0)
  })

  it('stays synchronous for list origins, preflights included', () => {
    const { app } = appWith({ origin: [APP] })
    expect(app.handle(new WebRequest(req('/notes/', { origin: APP })))).not.toBeInstanceOf(Promise)
    expect(app.handle(new WebRequest(preflight('/notes/', APP)))).not.toBeInstanceOf(Promise)
  })
})

/**
 * securityHeaders() through `app.fetch` (the request's scheme is the URL's: `https://` is a TLS
 * request as far as core is concerned).
 */
import {
  createApp,
  defineMiddleware,
  defineUrls,
  html,
  NotFound,
  path,
  text,
  type StateOf,
} from '@cycle/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { securityHeaders, type SecurityHeadersOptions } from './headers'

const DEFAULTS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
}

function appWith(options?: SecurityHeadersOptions, allowedHosts?: string[]) {
  return createApp({
    middleware: [securityHeaders(options)],
    allowedHosts,
    urls: [
      path('', () => text('home')),
      path('own/', () => {
        const res = text('own')
        res.headers.set('x-frame-options', 'SAMEORIGIN')
        res.headers.set('referrer-policy', 'origin')
        return res
      }),
      path('boom/', () => {
        throw new Error('boom')
      }),
      path('gone/', () => {
        throw new NotFound('no such note')
      }),
      path('form/', () => text('posted'), { methods: ['POST'] }),
    ],
  })
}

const get = (app: ReturnType<typeof appWith>, url: string, init?: RequestInit) =>
  app.fetch(new Request(url, init))

describe('securityHeaders() defaults', () => {
  it('sends Helmet’s set on plain HTTP, without HSTS', async () => {
    const res = await get(appWith(), 'http://localhost/')
    expect(res.status).toBe(200)
    for (const [name, value] of Object.entries(DEFAULTS)) expect(res.headers.get(name)).toBe(value)
    const added = [...res.headers.keys()].filter(
      (n) => n !== 'content-type' && n !== 'content-length'
    )
    expect(added.sort()).toEqual(Object.keys(DEFAULTS).sort())
    expect(res.headers.get('strict-transport-security')).toBeNull()
    expect(res.headers.get('cross-origin-embedder-policy')).toBeNull()
    expect(res.headers.get('permissions-policy')).toBeNull()
    expect(res.headers.get('content-security-policy')).toBeNull()
  })

  it('adds HSTS only when the request is HTTPS', async () => {
    const res = await get(appWith(), 'https://localhost/')
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    for (const [name, value] of Object.entries(DEFAULTS)) expect(res.headers.get(name)).toBe(value)
  })

  it('puts the headers on error answers too (404 from resolution, thrown NotFound, 500)', async () => {
    const app = appWith()
    for (const [url, status] of [
      ['https://localhost/nowhere/', 404],
      ['https://localhost/gone/', 404],
      ['https://localhost/boom/', 500],
    ] as const) {
      const res = await get(app, url)
      expect(res.status).toBe(status)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains'
      )
    }
    const r405 = await get(app, 'http://localhost/', { method: 'DELETE' })
    expect(r405.status).toBe(405)
    expect(r405.headers.get('x-frame-options')).toBe('DENY')
  })

  it('keeps a header the view set itself and adds the others', async () => {
    const res = await get(appWith(), 'https://localhost/own/')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('referrer-policy')).toBe('origin')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  })

  it('keeps headers of a WHATWG Response the view returned', async () => {
    const app = createApp({
      middleware: [securityHeaders()],
      urls: [path('', () => new Response('x', { headers: { 'x-frame-options': 'SAMEORIGIN' } }))],
    })
    const res = await app.fetch(new Request('https://localhost/'))
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  })

  it('has no request hook when there is no request work', () => {
    const m = securityHeaders() as { request?: unknown; response?: unknown }
    expect(m.request).toBeUndefined()
    expect(typeof m.response).toBe('function')
  })
})

describe('securityHeaders() options', () => {
  it('turns each header off', async () => {
    const res = await get(
      appWith({
        hsts: false,
        contentTypeOptions: false,
        referrerPolicy: false,
        frameOptions: false,
        crossOriginOpenerPolicy: false,
        crossOriginResourcePolicy: false,
        crossOriginEmbedderPolicy: false,
        originAgentCluster: false,
        dnsPrefetchControl: false,
        downloadOptions: false,
        permittedCrossDomainPolicies: false,
        xssProtection: false,
      }),
      'https://localhost/'
    )
    const names = [...res.headers.keys()].filter(
      (n) => n !== 'content-type' && n !== 'content-length'
    )
    expect(names).toEqual([])
  })

  it('overrides each value', async () => {
    const res = await get(
      appWith({
        hsts: { maxAge: 63072000, includeSubDomains: true, preload: true },
        referrerPolicy: ['no-referrer', 'strict-origin-when-cross-origin'],
        frameOptions: 'SAMEORIGIN',
        crossOriginOpenerPolicy: 'same-origin-allow-popups',
        crossOriginResourcePolicy: 'cross-origin',
        crossOriginEmbedderPolicy: 'require-corp',
        dnsPrefetchControl: 'on',
        permittedCrossDomainPolicies: 'master-only',
        permissionsPolicy: {
          camera: [],
          geolocation: ['self', 'https://maps.example.com'],
          fullscreen: '*',
          displayCapture: ['self'],
        },
      }),
      'https://localhost/'
    )
    expect(res.headers.get('strict-transport-security')).toBe(
      'max-age=63072000; includeSubDomains; preload'
    )
    expect(res.headers.get('referrer-policy')).toBe('no-referrer, strict-origin-when-cross-origin')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect(res.headers.get('x-dns-prefetch-control')).toBe('on')
    expect(res.headers.get('x-permitted-cross-domain-policies')).toBe('master-only')
    expect(res.headers.get('permissions-policy')).toBe(
      'camera=(), geolocation=(self "https://maps.example.com"), fullscreen=*, display-capture=(self)'
    )
  })

  it('HSTS without includeSubDomains, and max-age=0 to clear it', async () => {
    let res = await get(
      appWith({ hsts: { maxAge: 600, includeSubDomains: false } }),
      'https://localhost/'
    )
    expect(res.headers.get('strict-transport-security')).toBe('max-age=600')
    res = await get(appWith({ hsts: { maxAge: 0 } }), 'https://localhost/')
    expect(res.headers.get('strict-transport-security')).toBe('max-age=0; includeSubDomains')
  })

  it.each<[unknown, RegExp]>([
    ['nope', /options must be an object/],
    [{ hts: {} }, /unknown option "hts"/],
    [{ hsts: { maxAge: -1 } }, /maxAge/],
    [{ hsts: { maxAge: 1.5 } }, /maxAge/],
    [{ hsts: { maxage: 1 } }, /unknown option "maxage"/],
    [{ hsts: { preload: true, maxAge: 600 } }, /preload needs/],
    [{ hsts: { preload: true, includeSubDomains: false } }, /preload needs/],
    [{ frameOptions: 'ALLOW-FROM https://x' }, /frameOptions must be/],
    [{ referrerPolicy: 'none' }, /referrerPolicy must be/],
    [{ referrerPolicy: [] }, /non-empty list/],
    [{ crossOriginOpenerPolicy: 'same' }, /crossOriginOpenerPolicy/],
    [{ contentTypeOptions: 'nosniff' }, /contentTypeOptions must be a boolean/],
    [{ permissionsPolicy: { camera: 'self' } }, /'\*' or a list/],
    [{ permissionsPolicy: { camera: ['*'] } }, /'\*' alone/],
    [
      { permissionsPolicy: { camera: ['https://a.example/path'] } },
      /not 'self', 'src' or an origin/,
    ],
    [{ permissionsPolicy: { 'camera;x': [] } }, /not a feature name/],
    [{ permissionsPolicy: {} }, /empty/],
    [{ contentSecurityPolicy: { directives: { scriptSrc: ["'self';"] } } }, /';'/],
    [{ httpsRedirect: { status: 302 } }, /301 or 308/],
    [{ httpsRedirect: { host: 'https://evil.example' } }, /host name without scheme/],
    [{ httpsRedirect: { port: 0 } }, /port/],
    [{ httpsRedirect: { exempt: ['/healthz'] } }, /regular expressions/],
    [{ httpsRedirect: { hosts: [] } }, /unknown option "hosts"/],
  ])('refuses %j at creation with ERR_BAD_OPTION', (options, message) => {
    let caught: unknown
    try {
      securityHeaders(options as SecurityHeadersOptions)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(Error)
    expect((caught as Error).message).toMatch(message)
    expect((caught as { code: string }).code).toBe('ERR_BAD_OPTION')
  })
})

describe('Content-Security-Policy', () => {
  it('sends a constant policy, or report-only', async () => {
    const directives = { defaultSrc: ["'self'"], frameAncestors: ["'none'"] }
    let res = await get(appWith({ contentSecurityPolicy: { directives } }), 'http://localhost/')
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; frame-ancestors 'none'"
    )
    res = await get(
      appWith({ contentSecurityPolicy: { directives, reportOnly: true } }),
      'http://localhost/'
    )
    expect(res.headers.get('content-security-policy')).toBeNull()
    expect(res.headers.get('content-security-policy-report-only')).toBe(
      "default-src 'self'; frame-ancestors 'none'"
    )
  })

  it('puts a fresh nonce per request on typed request.state and in the header', async () => {
    const middleware = [
      securityHeaders({
        contentSecurityPolicy: {
          directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"] },
          nonce: true,
        },
      }),
    ] as const
    expectTypeOf<StateOf<typeof middleware>>().toEqualTypeOf<{ cspNonce: string }>()
    const urls = defineUrls<StateOf<typeof middleware>>()
    const app = createApp({
      middleware,
      urls: [urls.path('', (req) => html(`<script nonce="${req.state.cspNonce}">1</script>`))],
    })
    const seen = new Set<string>()
    for (let i = 0; i < 3; i++) {
      const res = await app.fetch(new Request('http://localhost/'))
      const body = await res.text()
      const nonce = /nonce="([^"]+)"/.exec(body)?.[1] as string
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(res.headers.get('content-security-policy')).toBe(
        `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`
      )
      seen.add(nonce)
    }
    expect(seen.size).toBe(3)
  })

  it('adds no cspNonce to the state type without a nonce', () => {
    const m = [
      securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } } }),
    ] as const
    expectTypeOf<keyof StateOf<typeof m>>().toEqualTypeOf<never>()
    const plain = [securityHeaders()] as const
    expectTypeOf<keyof StateOf<typeof plain>>().toEqualTypeOf<never>()
  })

  it('keeps a policy the view set and nonces the error answers', async () => {
    const app = createApp({
      middleware: [
        securityHeaders({
          contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] }, nonce: true },
        }),
      ] as const,
      urls: [
        path('', () => {
          const res = text('x')
          res.headers.set('content-security-policy', "default-src 'none'")
          return res
        }),
      ],
    })
    let res = await app.fetch(new Request('http://localhost/'))
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'")
    res = await app.fetch(new Request('http://localhost/missing/'))
    expect(res.status).toBe(404)
    expect(res.headers.get('content-security-policy')).toMatch(
      /^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='$/
    )
  })
})

describe('HTTPS redirect', () => {
  it('sends GET and HEAD to https with 301, other methods with 308, keeping path and query', async () => {
    const app = appWith({ httpsRedirect: true })
    let res = await get(app, 'http://example.com:8080/a/b?x=1&y=2', { redirect: 'manual' })
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('https://example.com/a/b?x=1&y=2')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('strict-transport-security')).toBeNull()
    res = await get(app, 'http://example.com/form/', {
      method: 'POST',
      body: 'a=1',
      redirect: 'manual',
    })
    expect(res.status).toBe(308)
    expect(res.headers.get('location')).toBe('https://example.com/form/')
    res = await get(app, 'http://example.com/', { method: 'HEAD', redirect: 'manual' })
    expect(res.status).toBe(301)
  })

  it('does not redirect HTTPS requests', async () => {
    const res = await get(appWith({ httpsRedirect: true }), 'https://example.com/')
    expect(res.status).toBe(200)
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  })

  it('uses 308 for GET when asked, a fixed host, a port, and exempt paths', async () => {
    const app = appWith({
      httpsRedirect: { status: 308, host: 'WWW.example.com', port: 8443, exempt: [/^\/own\/$/] },
    })
    let res = await get(app, 'http://example.com/?q', { redirect: 'manual' })
    expect(res.status).toBe(308)
    expect(res.headers.get('location')).toBe('https://www.example.com:8443/?q')
    res = await get(app, 'http://example.com/own/')
    expect(res.status).toBe(200)
  })

  it('never redirects to a host outside allowedHosts: core refuses it first', async () => {
    const app = appWith({ httpsRedirect: true }, ['example.com'])
    const evil = await get(app, 'http://evil.example.net/', { redirect: 'manual' })
    expect(evil.status).toBe(400)
    expect(evil.headers.get('location')).toBeNull()
    const ok = await get(app, 'http://example.com/', { redirect: 'manual' })
    expect(ok.headers.get('location')).toBe('https://example.com/')
  })

  it('keeps an IPv6 host and strips only its port', async () => {
    const res = await get(appWith({ httpsRedirect: true }), 'http://[::1]:8000/x', {
      redirect: 'manual',
    })
    expect(res.headers.get('location')).toBe('https://[::1]/x')
  })

  it('runs before the nonce: a redirect costs no random bytes and sets no state', async () => {
    const seen: unknown[] = []
    const probe = defineMiddleware({
      name: 'probe',
      response(req) {
        seen.push((req.state as { cspNonce?: string }).cspNonce)
        return undefined
      },
    })
    const app = createApp({
      middleware: [
        probe,
        securityHeaders({
          httpsRedirect: true,
          contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] }, nonce: true },
        }),
      ],
      urls: [path('', () => text('x'))],
    })
    const res = await app.fetch(new Request('http://example.com/'))
    expect(res.status).toBe(301)
    expect(res.headers.get('content-security-policy')).toBeNull()
    expect(seen).toEqual([undefined])
  })
})

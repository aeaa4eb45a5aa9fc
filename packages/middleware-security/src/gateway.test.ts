/**
 * Both middlewares behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0): the scheme comes
 * from the connection, or from `X-Forwarded-Proto` only when the peer is a trusted proxy. Requests
 * are written with `node:http` so that no client adds or drops a header on its own.
 */
import http from 'node:http'
import net from 'node:net'
import { createApp, defineUrls, html, path, text, type StateOf } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csrf, csrfToken } from './csrf'
import { securityHeaders } from './headers'

const SECRET = 'gateway-secret-0123456789-0123456789'

const middleware = [
  securityHeaders({
    httpsRedirect: { exempt: [/^\/healthz$/] },
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"] },
      nonce: true,
    },
  }),
  csrf({ token: { secret: SECRET } }),
] as const
const { path: typedPath } = defineUrls<StateOf<typeof middleware>>()
const urls = [
  typedPath('', (req) => html(`<script nonce="${req.state.cspNonce}"></script>`)),
  path('healthz', () => text('ok')),
  path('notes/', () => ({ ok: true }), { methods: ['POST', 'DELETE'] }),
  path('form/', async (req) =>
    html(`<input name="csrfmiddlewaretoken" value="${await csrfToken(req)}">`)
  ),
]

// Behind a proxy on 127.0.0.1 that the app trusts, serving example.com only.
const proxied = createApp({ middleware, urls, allowedHosts: ['example.com'] })
// Reached directly: forwarded headers are anybody's and ignored.
const direct = createApp({
  middleware: [securityHeaders(), csrf()],
  urls,
  allowedHosts: ['example.com'],
})

// Every host allowed (core's default): an HTTP/1.0 request may come without any Host.
const open = createApp({ middleware: [securityHeaders({ httpsRedirect: true })], urls })

let proxiedPort = 0
let directPort = 0
let openPort = 0
const closers: (() => Promise<void>)[] = []

beforeAll(async () => {
  const a = await serve(proxied, { port: 0, hostname: '127.0.0.1', trustProxy: ['127.0.0.1'] })
  const b = await serve(direct, { port: 0, hostname: '127.0.0.1' })
  const c = await serve(open, { port: 0, hostname: '127.0.0.1' })
  proxiedPort = Number(new URL(a.url).port)
  directPort = Number(new URL(b.url).port)
  openPort = Number(new URL(c.url).port)
  closers.push(
    () => a.close({ timeout: 1000 }),
    () => b.close({ timeout: 1000 }),
    () => c.close({ timeout: 1000 })
  )
})

afterAll(async () => {
  await Promise.all(closers.map((c) => c()))
})

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function call(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        headers: { host: 'example.com', connection: 'close', ...headers },
      },
      (res) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (data += c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data })
        )
      }
    )
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })
}

const HTTPS = { 'x-forwarded-proto': 'https' }

describe('securityHeaders() over a socket', () => {
  it('sends HSTS only when the trusted proxy says https', async () => {
    const secure = await call(proxiedPort, 'GET', '/', HTTPS)
    expect(secure.status).toBe(200)
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    expect(secure.headers['x-content-type-options']).toBe('nosniff')
    const nonce = /nonce="([^"]+)"/.exec(secure.body)?.[1] as string
    expect(secure.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'`
    )
  })

  it('ignores X-Forwarded-Proto from a peer it does not trust', async () => {
    const spoofed = await call(directPort, 'GET', '/healthz', HTTPS)
    expect(spoofed.status).toBe(200)
    expect(spoofed.headers['strict-transport-security']).toBeUndefined()
    expect(spoofed.headers['x-frame-options']).toBe('DENY')
  })

  it('redirects plain HTTP to https on the validated host, exempt paths aside', async () => {
    const plain = await call(proxiedPort, 'GET', '/?a=1', { 'x-forwarded-proto': 'http' })
    expect(plain.status).toBe(301)
    expect(plain.headers.location).toBe('https://example.com/?a=1')
    expect(plain.headers['strict-transport-security']).toBeUndefined()
    const post = await call(proxiedPort, 'POST', '/notes/', {})
    expect(post.status).toBe(308)
    expect((await call(proxiedPort, 'GET', '/healthz', {})).status).toBe(200)
  })

  it('never redirects to a forwarded host outside allowedHosts', async () => {
    const evil = await call(proxiedPort, 'GET', '/', {
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'evil.example.net',
    })
    expect(evil.status).toBe(400)
    expect(evil.headers.location).toBeUndefined()
  })

  it('answers 400, with the headers, an HTTP/1.0 request without Host it cannot redirect', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(openPort, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'))
      let data = ''
      socket.setEncoding('utf8')
      socket.on('data', (c: string) => (data += c))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
      socket.setTimeout(5000, () => socket.destroy(new Error('timeout')))
    })
    expect(raw).toMatch(/^HTTP\/1\.1 400 /)
    expect(raw.toLowerCase()).toContain('x-content-type-options: nosniff')
    expect(raw).toContain('The request has no Host to redirect to over HTTPS.')
    expect(raw.toLowerCase()).not.toContain('location:')
  })

  it('puts the headers on error answers', async () => {
    const missing = await call(proxiedPort, 'GET', '/nowhere/', HTTPS)
    expect(missing.status).toBe(404)
    expect(missing.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    expect(missing.headers['content-security-policy']).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='$/)
  })
})

describe('csrf() over a socket', () => {
  const cookie = { cookie: 'sessionid=abc' }

  it('compares Origin with the scheme the trusted proxy reports', async () => {
    const ok = await call(proxiedPort, 'POST', '/notes/', {
      ...HTTPS,
      ...cookie,
      origin: 'https://example.com',
    })
    expect(ok.status).toBe(200)
    // reached directly, the request is plain http: an https Origin is another origin
    const other = await call(directPort, 'POST', '/notes/', {
      ...HTTPS,
      ...cookie,
      origin: 'https://example.com',
    })
    expect(other.status).toBe(403)
    expect(JSON.parse(other.body).detail).toBe(
      'CSRF: Origin "https://example.com" does not match "http://example.com" or a trusted origin.'
    )
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(other.headers['x-content-type-options']).toBe('nosniff')
  })

  it.each<[string, string, Record<string, string>, string?]>([
    ['missing Origin and Sec-Fetch-Site with a cookie', '/notes/', cookie],
    ['Origin: null', '/notes/', { ...cookie, origin: 'null' }],
    ['a subdomain origin', '/notes/', { ...cookie, origin: 'https://evil.example.com' }],
    ['a look-alike origin', '/notes/', { ...cookie, origin: 'https://example.com.evil.net' }],
    [
      'text/plain carrying JSON cross-site',
      '/notes/',
      { ...cookie, origin: 'https://evil.net', 'content-type': 'text/plain' },
      '{"title":"x"}',
    ],
    [
      'urlencoded carrying JSON cross-site',
      '/notes/',
      {
        ...cookie,
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      '{"title":"x"}',
    ],
    [
      'X-HTTP-Method-Override on a cross-site POST',
      '/notes/',
      { ...cookie, origin: 'https://evil.net', 'x-http-method-override': 'GET' },
    ],
    [
      '?_method= on a cross-site POST',
      '/notes/?_method=GET',
      { ...cookie, 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses %s', async (_, target, headers, body) => {
    const res = await call(directPort, 'POST', target, headers, body)
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).status).toBe(403)
  })

  it('lets same-origin requests and safe methods through', async () => {
    expect(
      (await call(directPort, 'POST', '/notes/', { ...cookie, 'sec-fetch-site': 'same-origin' }))
        .status
    ).toBe(200)
    expect(
      (await call(directPort, 'GET', '/healthz', { ...cookie, 'sec-fetch-site': 'cross-site' }))
        .status
    ).toBe(200)
  })

  it('round-trips a signed token for a client that sends neither header', async () => {
    const page = await call(proxiedPort, 'GET', '/form/', HTTPS)
    const token = /value="([^"]+)"/.exec(page.body)?.[1] as string
    expect(page.headers['set-cookie']).toEqual([
      `csrftoken=${token}; Max-Age=31449600; Path=/; Secure; SameSite=Lax`,
    ])
    const jar = `csrftoken=${token}`
    const viaHeader = await call(proxiedPort, 'POST', '/notes/', {
      ...HTTPS,
      cookie: jar,
      'x-csrftoken': token,
    })
    expect(viaHeader.status).toBe(200)
    const viaForm = await call(
      proxiedPort,
      'POST',
      '/notes/',
      { ...HTTPS, cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
      `csrfmiddlewaretoken=${encodeURIComponent(token)}`
    )
    expect(viaForm.status).toBe(200)
    const without = await call(proxiedPort, 'POST', '/notes/', { ...HTTPS, cookie: jar })
    expect(without.status).toBe(403)
  })
})

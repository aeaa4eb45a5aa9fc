/**
 * The CORS middleware behind a real `node:http` server (`@cycle/gateway-node` on 127.0.0.1:0),
 * composed with `@cycle/middleware-auth` and `@cycle/middleware-format` as an API would be:
 * preflights are answered before authentication, and a 401 or 500 problem carries the CORS
 * headers a browser needs to let the page read it.
 */
import { request as httpRequest } from 'node:http'
import { createApp, json, path } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { authenticate, bearerBackend, requireAuth } from '@cycle/middleware-auth'
import { format } from '@cycle/middleware-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cors } from './cors'

const APP = 'https://app.example.com'

const app = createApp({
  middleware: [
    cors({
      origin: [APP],
      credentials: true,
      exposedHeaders: ['WWW-Authenticate'],
      privateNetwork: true,
    }),
    format(),
    authenticate({
      backends: [bearerBackend({ verify: (t) => (t === 'good' ? { id: 'u1' } : null) })],
    }),
  ],
  urls: [
    path('me/', (req) => ({ id: (req.state as { user: { id?: string } }).user.id }), {
      middleware: [requireAuth()],
    }),
    path('notes/', () => json([{ id: 1 }], 201), { methods: ['POST'] }),
    path('boom/', () => {
      throw new Error('internal detail')
    }),
  ],
})

let base = ''
let port = 0
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  base = server.url.replace(/\/$/, '')
  port = Number(new URL(server.url).port)
  close = () => server.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
})

const call = (url: string, init?: RequestInit) =>
  fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(5000) })

/** A raw request, for headers `fetch` would not send as given. */
function raw(
  method: string,
  target: string,
  headers: Record<string, string>
): Promise<{
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}> {
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    r.on('error', reject)
    r.setTimeout(5000, () => r.destroy(new Error('timeout')))
    r.end()
  })
}

describe('through @cycle/gateway-node, with auth and format', () => {
  it('answers a preflight before authentication and routing (no 401, no 405)', async () => {
    // notes/ answers POST only and needs no auth; me/ needs auth: a preflight carries no
    // credentials, yet both get the CORS answer.
    for (const target of ['/notes/', '/me/']) {
      const res = await raw('OPTIONS', target, {
        origin: APP,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'authorization',
      })
      expect(res.status).toBe(204)
      expect(res.body).toBe('')
      expect(res.headers['access-control-allow-origin']).toBe(APP)
      expect(res.headers['access-control-allow-credentials']).toBe('true')
      expect(res.headers['access-control-allow-methods']).toBe(
        'GET, HEAD, PUT, PATCH, POST, DELETE'
      )
      expect(res.headers['access-control-allow-headers']).toContain('Authorization')
      expect(res.headers['access-control-max-age']).toBe('7200')
      expect(res.headers['vary']).toBe('Origin')
      expect(res.headers['content-length']).toBeUndefined()
    }
  })

  it('grants Private Network Access when asked', async () => {
    const res = await raw('OPTIONS', '/me/', {
      origin: APP,
      'access-control-request-method': 'GET',
      'access-control-request-private-network': 'true',
    })
    expect(res.status).toBe(204)
    expect(res.headers['access-control-allow-private-network']).toBe('true')
  })

  it('a 401 from auth carries the CORS headers, so the page can read the problem and challenge', async () => {
    const cases: Record<string, string>[] = [
      { origin: APP },
      { origin: APP, authorization: 'Bearer bad' },
    ]
    for (const headers of cases) {
      const res = await call('/me/', { headers })
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(res.headers.get('access-control-allow-origin')).toBe(APP)
      expect(res.headers.get('access-control-allow-credentials')).toBe('true')
      expect(res.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate')
      expect(res.headers.get('vary')).toBe('Accept, Origin')
      expect(await res.json()).toMatchObject({ status: 401 })
    }
  })

  it('a 500 problem carries them too, without leaking the error', async () => {
    const res = await call('/boom/', { headers: { origin: APP } })
    expect(res.status).toBe(500)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    const body = await res.text()
    expect(body).not.toContain('internal detail')
    expect(JSON.parse(body)).toMatchObject({ status: 500 })
  })

  it('an authenticated answer to an allowed origin, and the same to a refused one', async () => {
    const ok = await call('/me/', { headers: { origin: APP, authorization: 'Bearer good' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ data: { id: 'u1' }, meta: {} })
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP)

    const evil = await call('/me/', {
      headers: { origin: 'https://app.example.com.evil.net', authorization: 'Bearer good' },
    })
    expect(evil.status).toBe(200)
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull()
    expect(evil.headers.get('vary')).toBe('Accept, Origin')
  })

  it('a refused preflight gets no CORS header over the wire either', async () => {
    for (const [origin, method] of [
      ['https://evil.example', 'GET'],
      ['null', 'GET'],
      [`${APP}/`, 'GET'],
      [APP, 'PURGE'],
    ] as const) {
      const res = await raw('OPTIONS', '/me/', { origin, 'access-control-request-method': method })
      const names = Object.keys(res.headers).filter((k) => k.startsWith('access-control-'))
      expect(names, `${origin} ${method}`).toEqual([])
      expect(String(res.headers['vary'])).toContain('Origin')
    }
  })
})

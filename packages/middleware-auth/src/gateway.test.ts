/**
 * The same middleware behind a real `node:http` server (`@cycle/gateway-node`), bound to
 * 127.0.0.1 on a free port: headers, challenges and cookies survive the trip over the wire.
 */
import { createApp, json, path } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, whoami } from './__fixtures__/app'
import { hs256, respell } from './__fixtures__/tokens'
import { authenticate } from './authenticate'
import { basicBackend } from './backends/basic'
import { jwtBackend } from './backends/jwt'
import { sessionBackend } from './backends/session'
import { requireAuth, requireScope } from './guards'
import { signJwt } from './jwt/sign'

const SECRET = 'gateway-secret-0123456789-0123456789'
const sessions = sessionBackend({ secret: SECRET, load: (d: { id: string }) => ({ id: d.id }) })
const app = createApp({
  middleware: [
    authenticate({
      backends: [
        jwtBackend({ secret: SECRET, algorithms: ['HS256'], realm: 'api' }),
        basicBackend({
          realm: 'admin',
          verify: (u, p) => (u === 'admin' && p === 'pw:with:colons' ? { id: 'admin' } : null),
        }),
        sessions,
      ],
    }),
  ],
  urls: [
    path('me/', whoami, { middleware: [requireAuth()] }),
    path('write/', whoami, { middleware: [requireScope('notes:write')] }),
    path('login/', () => sessions.issue(json({ ok: true }), { id: 's1' })),
  ],
})

let server: Awaited<ReturnType<typeof serve>>
beforeAll(async () => {
  server = await serve(app, { port: 0, hostname: '127.0.0.1' })
})
afterAll(async () => {
  await server.close({ timeout: 1000 })
})

const get = (target: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${target}`, { headers, signal: AbortSignal.timeout(5000) })

describe('through @cycle/gateway-node', () => {
  it('answers 401 problem+json with every challenge', async () => {
    const res = await get('/me/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", Basic realm="admin", charset="UTF-8"'
    )
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized' })
  })

  it('authenticates JWT and Basic credentials', async () => {
    const token = await signJwt(
      { sub: 'j1', scope: 'notes:write' },
      { secret: SECRET, algorithm: 'HS256' }
    )
    const jwt = await get('/me/', { authorization: `Bearer ${token}` })
    expect(await jwt.json()).toMatchObject({
      user: { sub: 'j1', isAuthenticated: true },
      auth: { backend: 'jwt' },
    })
    expect((await get('/write/', { authorization: `Bearer ${token}` })).status).toBe(200)
    const basicRes = await get('/me/', { authorization: basic('admin', 'pw:with:colons') })
    expect(await basicRes.json()).toMatchObject({ user: { id: 'admin' } })
  })

  it('refuses bad input with 400/401/403 and the RFC error parameters', async () => {
    expect((await get('/me/', { authorization: 'Bearer' })).status).toBe(400)
    const bad = await get('/me/', { authorization: 'Bearer x.y.z' })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"')
    expect((await get('/me/', { authorization: 'Basic %%%' })).status).toBe(401)
    const token = await signJwt(
      { sub: 'j1', scope: 'notes:read' },
      { secret: SECRET, algorithm: 'HS256' }
    )
    const scope = await get('/write/', { authorization: `Bearer ${token}` })
    expect(scope.status).toBe(403)
    expect(scope.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="notes:write"'
    )
  })

  it('sets and reads the session cookie, and deletes a tampered one', async () => {
    const login = await get('/login/')
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string
    expect(cookie).toMatch(/^session=/)
    expect(await (await get('/me/', { cookie })).json()).toMatchObject({
      user: { id: 's1' },
      auth: { backend: 'session' },
    })
    const tampered = await get('/me/', { cookie: `${cookie}x` })
    expect(tampered.status).toBe(401)
    expect(tampered.headers.getSetCookie()).toEqual([expect.stringMatching(/^session=; Max-Age=0/)])
  })
})

describe('hostile tokens and negotiation, over a real socket', () => {
  const now = (): number => Math.floor(Date.now() / 1000)
  /** A normal authenticated request still answers: the attack left nothing broken behind. */
  const stillServes = async (): Promise<void> => {
    const token = await signJwt({ sub: 'ok' }, { secret: SECRET, algorithm: 'HS256' })
    const res = await get('/me/', { authorization: `Bearer ${token}` })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ user: { sub: 'ok' } })
  }

  it('JWT: an exp, nbf or iat of 1e400 (Infinity) is refused, not a token that never expires', async () => {
    for (const payload of [
      '{"sub":"forever","exp":1e400}',
      `{"sub":"x","exp":${now() + 60},"nbf":-1e400}`,
      `{"sub":"x","exp":${now() + 60},"iat":1e400}`,
    ]) {
      const res = await get('/me/', { authorization: `Bearer ${await hs256(payload, SECRET)}` })
      expect(res.status, payload).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token".*not a finite number/)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    await stillServes()
  })

  it('JWT: padding, standard base64 and respelled signatures are malformed', async () => {
    const good = await hs256(`{"sub":"a","exp":${now() + 60}}`, SECRET)
    expect((await get('/me/', { authorization: `Bearer ${good}` })).status).toBe(200)
    for (const token of [`${good}=`, `${good}==`, respell(good), good.replace(/-/g, '+')]) {
      if (token === good) continue
      const res = await get('/me/', { authorization: `Bearer ${token}` })
      expect(res.status, token).toBe(401)
      expect(await res.json()).toMatchObject({ detail: 'The token is malformed.' })
    }
    await stillServes()
  })

  it('Vary: Accept on the 401 challenge, as JSON and as HTML', async () => {
    const asJson = await get('/me/', { accept: 'application/json' })
    const asHtml = await get('/me/', { accept: 'text/html' })
    expect(asJson.status).toBe(401)
    expect(asHtml.status).toBe(401)
    expect(asJson.headers.get('content-type')).toContain('application/problem+json')
    expect(asHtml.headers.get('content-type')).toContain('text/html')
    for (const res of [asJson, asHtml]) {
      expect(res.headers.get('vary')).toMatch(/\bAccept\b/)
      expect(res.headers.get('www-authenticate')).toContain('Bearer realm="api"')
    }
    await stillServes()
  })
})

/**
 * The same middleware behind a real `node:http` server (`@cycle/gateway-node`), bound to
 * 127.0.0.1 on a free port: headers, challenges and cookies survive the trip over the wire.
 */
import { createApp, json, path } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, whoami } from './__fixtures__/app'
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

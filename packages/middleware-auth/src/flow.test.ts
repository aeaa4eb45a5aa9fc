/**
 * End-to-end flows as an app would wire them, driven by `@cycle/testing`'s in-process client:
 * a JWT login view issuing tokens for an API, and a cookie-session login for pages.
 */
import {
  BadRequest,
  createApp,
  defineUrls,
  include,
  json,
  redirect,
  type StateOf,
} from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import { describe, expect, it } from 'vitest'
import { authenticate } from './authenticate'
import { basicBackend } from './backends/basic'
import { jwtBackend } from './backends/jwt'
import { sessionBackend } from './backends/session'
import { requireAuth, requireRole, requireScope } from './guards'
import { signJwt } from './jwt/sign'
import { timingSafeEqual } from './timing-safe-equal'

const JWT_SECRET = 'jwt-secret-0123456789-0123456789-xyz'
const SESSION_SECRET = 'session-secret-0123456789-0123456789'
const accounts = new Map([
  ['ada', { id: 'u1', username: 'ada', password: 'correct horse', roles: ['admin'] }],
  ['bob', { id: 'u2', username: 'bob', password: 'battery staple', roles: [] as string[] }],
])
const check = (username: string, password: string) => {
  const account = accounts.get(username)
  // Compare against something even for unknown users, so both paths take the same time.
  const ok = timingSafeEqual(password, account?.password ?? '\0'.repeat(16))
  return ok && account ? { id: account.id, username: account.username, roles: account.roles } : null
}
const byId = (id: string) => [...accounts.values()].find((a) => a.id === id)

const sessions = sessionBackend({
  secret: SESSION_SECRET,
  load: (data: { userId: string }) => {
    const a = byId(data.userId)
    return a ? { id: a.id, username: a.username, roles: a.roles } : null
  },
})
const auth = authenticate({
  backends: [
    jwtBackend({
      secret: JWT_SECRET,
      algorithms: ['HS256'],
      issuer: 'notes',
      realm: 'notes-api',
      toUser: (p) => ({ id: p.sub as string, username: String(p['name']), roles: [] as string[] }),
    }),
    basicBackend({ realm: 'notes', verify: check }),
    sessions,
  ],
})
const middleware = [auth] as const
const { path } = defineUrls<StateOf<typeof middleware>>()

const app = createApp({
  middleware,
  urls: [
    path(
      'api/token/',
      async (request) => {
        const body = await request.json<{ username?: unknown; password?: unknown }>()
        if (typeof body.username !== 'string' || typeof body.password !== 'string')
          throw new BadRequest('username and password are required.')
        const user = check(body.username, body.password)
        if (!user) return json({ error: 'invalid credentials' }, 400)
        const token = await signJwt(
          { name: user.username, scope: 'notes:read' },
          {
            secret: JWT_SECRET,
            algorithm: 'HS256',
            issuer: 'notes',
            subject: user.id,
            expiresIn: '15m',
          }
        )
        return json({ token })
      },
      { methods: ['POST'] }
    ),
    include(
      'api/',
      [
        path(
          'notes/',
          (request) =>
            json({
              owner: request.state.user.isAuthenticated ? request.state.user.username : null,
            }),
          {
            middleware: [requireScope('notes:read')],
          }
        ),
        path('notes/new/', () => json({ created: true }), {
          methods: ['POST'],
          middleware: [requireScope('notes:write')],
        }),
      ],
      { middleware: [requireAuth()] }
    ),
    path(
      'login/',
      async (request) => {
        const form = await request.form()
        const user = check(String(form.get('username')), String(form.get('password')))
        if (!user) return json({ error: 'invalid credentials' }, 400)
        return sessions.issue(redirect('/dashboard/', 303), { userId: user.id })
      },
      { methods: ['POST'] }
    ),
    path('logout/', () => sessions.clear(redirect('/', 303)), { methods: ['POST'] }),
    path(
      'dashboard/',
      (request) =>
        json({ hello: request.state.user.isAuthenticated ? request.state.user.username : '' }),
      {
        middleware: [requireAuth({ loginUrl: '/login/' })],
      }
    ),
    path('admin/', () => json({ admin: true }), { middleware: [requireRole('admin')] }),
  ],
})

describe('JWT login view + protected API', () => {
  it('issues a token for good credentials and serves the API with it', async () => {
    const client = createTestClient(app)
    const login = await client.post<{ token: string }>('/api/token/', {
      json: { username: 'ada', password: 'correct horse' },
    })
    expect(login.status).toBe(200)
    const token = login.json?.token as string
    const notes = await client.get('/api/notes/', { headers: { authorization: `Bearer ${token}` } })
    expect(notes.status).toBe(200)
    expect(notes.json).toEqual({ owner: 'ada' })
    const write = await client.post('/api/notes/new/', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(write.status).toBe(403)
    expect(write.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes-api", error="insufficient_scope", scope="notes:write"'
    )
  })

  it('refuses bad credentials and bad bodies at the login view', async () => {
    const client = createTestClient(app)
    expect(
      (await client.post('/api/token/', { json: { username: 'ada', password: 'nope' } })).status
    ).toBe(400)
    expect(
      (await client.post('/api/token/', { json: { username: 'ghost', password: 'x' } })).status
    ).toBe(400)
    expect((await client.post('/api/token/', { json: ['ada'] })).status).toBe(400)
    expect(
      (
        await client.post('/api/token/', {
          body: '{bad json',
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(400)
  })

  it('answers the API without credentials with every challenge', async () => {
    const res = await createTestClient(app).get('/api/notes/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes-api", Basic realm="notes", charset="UTF-8"'
    )
    expect(res.json).toMatchObject({ status: 401 })
  })
})

describe('session login for pages', () => {
  it('logs in with a form, keeps the cookie, and logs out', async () => {
    const client = createTestClient(app, { cookies: true, baseUrl: 'https://localhost' })
    const anonymous = await client.get('/dashboard/')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe('/login/?next=%2Fdashboard%2F')
    const login = await client.post('/login/', {
      form: { username: 'ada', password: 'correct horse' },
    })
    expect(login.status).toBe(303)
    expect(Object.keys(client.cookies)).toEqual(['session'])
    expect((await client.get('/dashboard/')).json).toEqual({ hello: 'ada' })
    expect((await client.get('/admin/')).status).toBe(200)
    await client.post('/logout/')
    expect((await client.get('/dashboard/')).status).toBe(302)
  })

  it('gives a logged-in user without the role a 403', async () => {
    const client = createTestClient(app, { cookies: true, baseUrl: 'https://localhost' })
    await client.post('/login/', { form: { username: 'bob', password: 'battery staple' } })
    expect((await client.get('/admin/')).status).toBe(403)
  })
})

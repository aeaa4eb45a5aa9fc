import { createApp, include, path } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { appWith, call, whoami } from './__fixtures__/app'
import { authenticate } from './authenticate'
import { apiKeyBackend } from './backends/api-key'
import { jwtBackend } from './backends/jwt'
import { requireAuth, requirePermission, requireRole, requireScope } from './guards'
import { signJwt } from './jwt/sign'

const SECRET = 'a-test-secret-that-is-32-bytes-long!'
const keys = {
  'key-editor-0123456789': {
    id: 'ed',
    permissions: ['notes.view', 'notes.change'],
    roles: ['editor'],
    scopes: ['notes:write'],
  },
  'key-viewer-0123456789': {
    id: 'vi',
    permissions: new Set(['notes.view']),
    roles: new Set(['viewer']),
  },
  'key-method-0123456789': {
    id: 'me',
    hasPermission: (p: string) => p.startsWith('notes.'),
    hasRole: (r: string) => r === 'admin',
  },
}
const auth = authenticate({
  backends: [
    jwtBackend({ secret: SECRET, algorithms: ['HS256'], realm: 'notes' }),
    apiKeyBackend({ keys }),
  ],
})
const as = (who: 'editor' | 'viewer' | 'method') => ({ 'x-api-key': `key-${who}-0123456789` })
const jwt = async (payload: Record<string, unknown>) => ({
  authorization: `Bearer ${await signJwt({ sub: 'j', ...payload }, { secret: SECRET, algorithm: 'HS256' })}`,
})

describe('requireAuth', () => {
  it('lets authenticated users through and refuses anonymous ones with every challenge', async () => {
    const app = appWith([auth], [requireAuth()])
    expect((await call(app, '/guarded/', as('viewer'))).status).toBe(200)
    const res = await call(app, '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes", ApiKey header="x-api-key"'
    )
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Authentication credentials were not provided.',
    })
  })

  it('redirects anonymous GETs to loginUrl with next=, and answers 401 to other methods', async () => {
    const app = appWith([auth], [requireAuth({ loginUrl: '/login/' })])
    const res = await app.fetch(new Request('http://localhost/guarded/?tab=2'))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/login/?next=%2Fguarded%2F%3Ftab%3D2')
    const post = await app.fetch(new Request('http://localhost/guarded/', { method: 'POST' }))
    expect(post.status).toBe(401)
  })

  it('works globally and in include()', async () => {
    const global = createApp({ middleware: [auth, requireAuth()], urls: [path('me/', whoami)] })
    expect((await call(global, '/me/')).status).toBe(401)
    expect((await call(global, '/me/', as('editor'))).status).toBe(200)
    const scoped = createApp({
      middleware: [auth],
      urls: [
        path('open/', whoami),
        include('admin/', [path('x/', whoami)], { middleware: [requireRole('admin')] }),
      ],
    })
    expect((await call(scoped, '/open/')).status).toBe(200)
    expect((await call(scoped, '/admin/x/')).status).toBe(401)
    expect((await call(scoped, '/admin/x/', as('editor'))).status).toBe(403)
    expect((await call(scoped, '/admin/x/', as('method'))).status).toBe(200)
  })

  it('is a type error in an app middleware list without authenticate() before it', () => {
    // @ts-expect-error requireAuth() needs request.state.user, which no middleware before it adds
    createApp({ middleware: [requireAuth(), auth], urls: [] })
    const users = apiKeyBackend({ keys: { 'key-0123456789abcdef': { id: 'x', roles: 7 } } })
    // @ts-expect-error the guards cannot read a user whose roles are a number
    createApp({ middleware: [authenticate({ backends: [users] }), requireRole('x')], urls: [] })
  })

  it('fails loudly (500) when authenticate() is missing', async () => {
    const app = appWith([], [requireAuth()])
    const res = await app.fetch(new Request('http://localhost/guarded/'))
    expect(res.status).toBe(500)
  })

  it('refuses a loginUrl with CR/LF', () => {
    expect(() => requireAuth({ loginUrl: '/login\r\nx: y' })).toThrow(/loginUrl/)
  })
})

describe('requirePermission', () => {
  it('needs every permission: from arrays, Sets or hasPermission()', async () => {
    const app = appWith([auth], [requirePermission('notes.view', 'notes.change')])
    expect((await call(app, '/guarded/', as('editor'))).status).toBe(200)
    expect((await call(app, '/guarded/', as('method'))).status).toBe(200)
    const viewer = await call(app, '/guarded/', as('viewer'))
    expect(viewer.status).toBe(403)
    expect(viewer.body).toMatchObject({ status: 403, title: 'Forbidden' })
    expect(viewer.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers 401, not 403, to anonymous users', async () => {
    const app = appWith([auth], [requirePermission('notes.view')])
    expect((await call(app, '/guarded/')).status).toBe(401)
  })

  it('answers 403 to users without any permission list', async () => {
    const app = appWith([auth], [requirePermission('notes.view')])
    expect(await call(app, '/guarded/', await jwt({}))).toMatchObject({ status: 403 })
  })

  it('refuses empty lists and names', () => {
    expect(() => requirePermission()).toThrow(/at least one permission/)
    expect(() => requirePermission('')).toThrow(/non-empty string/)
  })
})

describe('requireRole', () => {
  it('accepts any of the roles', async () => {
    const app = appWith([auth], [requireRole('editor', 'viewer')])
    expect((await call(app, '/guarded/', as('editor'))).status).toBe(200)
    expect((await call(app, '/guarded/', as('viewer'))).status).toBe(200)
    expect((await call(app, '/guarded/', as('method'))).status).toBe(403)
    expect((await call(app, '/guarded/')).status).toBe(401)
  })
})

describe('requireScope', () => {
  it('reads the JWT scope claim (space-separated) and scp (array)', async () => {
    const app = appWith([auth], [requireScope('notes:read', 'notes:write')])
    expect(
      (await call(app, '/guarded/', await jwt({ scope: 'notes:write notes:read other' }))).status
    ).toBe(200)
    expect(
      (await call(app, '/guarded/', await jwt({ scp: ['notes:read', 'notes:write'] }))).status
    ).toBe(200)
  })

  it('answers 403 insufficient_scope with the required scope and the realm (RFC 6750 §3.1)', async () => {
    const app = appWith([auth], [requireScope('notes:read', 'notes:write')])
    const res = await call(app, '/guarded/', await jwt({ scope: 'notes:read' }))
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes", error="insufficient_scope", scope="notes:read notes:write"'
    )
    expect(res.body['detail']).toBe('The credentials lack the scope notes:write.')
  })

  it('falls back to user.scopes for other backends, with a bare Bearer challenge', async () => {
    const app = appWith([auth], [requireScope('notes:write')])
    expect((await call(app, '/guarded/', as('editor'))).status).toBe(200)
    const res = await call(app, '/guarded/', as('viewer'))
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="notes:write"'
    )
  })

  it('answers 401 to anonymous users', async () => {
    const app = appWith([auth], [requireScope('notes:read')])
    expect((await call(app, '/guarded/')).status).toBe(401)
  })

  it('refuses scope names that are not scope tokens', () => {
    expect(() => requireScope('has space')).toThrow(/scope token/)
    expect(() => requireScope('quo"te')).toThrow(/scope token/)
    expect(() => requireScope()).toThrow(/at least one scope/)
  })
})

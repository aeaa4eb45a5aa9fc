import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { requireAuth } from '../guards'
import { signJwt } from '../jwt/sign'
import { bearerBackend } from './bearer'
import { jwtBackend } from './jwt'

const SECRET = 'a-test-secret-that-is-32-bytes-long!'
const hs = (
  payload: Record<string, unknown> = {},
  options: Parameters<typeof signJwt>[1] = { secret: SECRET, algorithm: 'HS256' }
) => signJwt({ sub: 'u1', ...payload }, { expiresIn: '5m', ...options })

const hsApp = (
  extra: Partial<Parameters<typeof jwtBackend>[0]> = {},
  onInvalid?: 'reject' | 'anonymous'
) =>
  appWith(
    [
      authenticate({
        backends: [jwtBackend({ secret: SECRET, algorithms: ['HS256'], realm: 'api', ...extra })],
        onInvalid,
      }),
    ],
    [requireAuth()]
  )

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

function challengeOf(res: { headers: Headers }): string {
  return res.headers.get('www-authenticate') ?? ''
}

describe('jwtBackend with a shared secret', () => {
  it('authenticates a valid token, with the payload as the default user', async () => {
    const res = await call(
      hsApp(),
      '/guarded/',
      bearer(await hs({ scope: 'notes:read notes:write' }))
    )
    expect(res.status).toBe(200)
    expect(res.body['user']).toMatchObject({ sub: 'u1', isAuthenticated: true })
    expect(res.body['auth']).toMatchObject({
      backend: 'jwt',
      scopes: ['notes:read', 'notes:write'],
    })
  })

  it('maps the payload through toUser', async () => {
    const app = hsApp({ toUser: (p) => ({ id: p.sub, kind: 'staff' }) })
    const res = await call(app, '/me/', bearer(await hs()))
    expect(res.body['user']).toEqual({ id: 'u1', kind: 'staff', isAuthenticated: true })
  })

  it('leaves requests without credentials anonymous, and requireAuth answers 401 with the challenge', async () => {
    const app = hsApp()
    expect((await call(app, '/me/')).body['user']).toEqual({ isAuthenticated: false })
    const res = await call(app, '/guarded/')
    expect(res.status).toBe(401)
    expect(challengeOf(res)).toBe('Bearer realm="api"')
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' })
  })

  it('ignores other schemes and garbage without a scheme (they are not bearer tokens)', async () => {
    const app = hsApp()
    for (const value of ['Basic dXNlcjpwYXNz', 'garbage', 'Token abc', 'Bearerabc']) {
      const res = await call(app, '/me/', { authorization: value })
      expect(res.status).toBe(200)
      expect(res.body['user']).toEqual({ isAuthenticated: false })
    }
  })

  it('answers 400 invalid_request for an empty or malformed bearer token (RFC 6750 §3.1)', async () => {
    const app = hsApp()
    for (const value of [
      'Bearer',
      'Bearer   ',
      'Bearer a b',
      'Bearer tok"en',
      'Bearer ==abc',
      'Bearer ünïcode',
    ]) {
      const res = await call(app, '/me/', { authorization: value })
      expect(res.status, value).toBe(400)
      expect(challengeOf(res)).toMatch(
        /^Bearer realm="api", error="invalid_request", error_description="/
      )
    }
  })

  it('answers 401 invalid_token for a token that is not a JWT', async () => {
    for (const token of ['abc', 'a.b', 'a.b.c', 'eyJ.eyJ.sig', '...']) {
      const res = await call(hsApp(), '/me/', bearer(token))
      expect(res.status, token).toBe(401)
      expect(challengeOf(res)).toContain('error="invalid_token"')
    }
  })

  it('refuses a huge token before parsing it', async () => {
    const res = await call(hsApp(), '/me/', bearer('a'.repeat(10_000)))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The access token is longer than 8192 characters.')
    const small = await call(hsApp({ maxTokenLength: 100 }), '/me/', bearer(await hs()))
    expect(small.status).toBe(401)
  })

  it('refuses a tampered signature, payload and header', async () => {
    const token = await hs()
    const [h, p, s] = token.split('.') as [string, string, string]
    const flip = (x: string) => (x[0] === 'A' ? 'B' : 'A') + x.slice(1)
    const forgedPayload = btoa(JSON.stringify({ sub: 'admin', exp: 9999999999 })).replace(/=+$/, '')
    for (const bad of [
      `${h}.${p}.${flip(s)}`,
      `${h}.${forgedPayload}.${s}`,
      `${flip(h)}.${p}.${s}`,
      `${h}.${p}.`,
    ]) {
      const res = await call(hsApp(), '/me/', bearer(bad))
      expect(res.status).toBe(401)
      expect(challengeOf(res)).toContain('error="invalid_token"')
    }
    const sig = await call(hsApp(), '/me/', bearer(`${h}.${p}.${flip(s)}`))
    expect(challengeOf(sig)).toContain('error_description="The token signature is invalid."')
  })

  it('refuses an expired token and a token not valid yet, saying which', async () => {
    const expired = await call(
      hsApp(),
      '/me/',
      bearer(await hs({}, { secret: SECRET, algorithm: 'HS256', expiresIn: -60 }))
    )
    expect(expired.status).toBe(401)
    expect(challengeOf(expired)).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired."'
    )
    expect(expired.body['detail']).toBe('The token has expired.')
    const early = await call(
      hsApp(),
      '/me/',
      bearer(await hs({}, { secret: SECRET, algorithm: 'HS256', notBefore: '1h' }))
    )
    expect(early.status).toBe(401)
    expect(challengeOf(early)).toContain('error_description="The token is not valid yet."')
  })

  it('accepts a slightly expired token within clockTolerance', async () => {
    const token = await hs({}, { secret: SECRET, algorithm: 'HS256', expiresIn: -5 })
    expect((await call(hsApp({ clockTolerance: 60 }), '/me/', bearer(token))).status).toBe(200)
  })

  it('requires exp by default', async () => {
    const token = await hs({}, { secret: SECRET, algorithm: 'HS256', expiresIn: false })
    const res = await call(hsApp(), '/me/', bearer(token))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The token has no "exp" claim.')
    expect((await call(hsApp({ requireExpiration: false }), '/me/', bearer(token))).status).toBe(
      200
    )
  })

  it('checks issuer and audience', async () => {
    const app = hsApp({ issuer: 'https://id.example', audience: 'notes' })
    const ok = await hs(
      {},
      { secret: SECRET, algorithm: 'HS256', issuer: 'https://id.example', audience: 'notes' }
    )
    expect((await call(app, '/me/', bearer(ok))).status).toBe(200)
    const wrongIss = await hs(
      {},
      { secret: SECRET, algorithm: 'HS256', issuer: 'https://evil.example', audience: 'notes' }
    )
    expect((await call(app, '/me/', bearer(wrongIss))).body['detail']).toBe(
      'The token issuer is not accepted.'
    )
    const wrongAud = await hs(
      {},
      { secret: SECRET, algorithm: 'HS256', issuer: 'https://id.example', audience: 'other' }
    )
    expect((await call(app, '/me/', bearer(wrongAud))).body['detail']).toBe(
      'The token audience is not accepted.'
    )
    expect((await call(app, '/me/', bearer(await hs()))).body['detail']).toBe(
      'The token has no "iss" claim.'
    )
  })

  it('refuses alg "none" and algorithms outside the allow-list', async () => {
    const enc = (o: object) =>
      btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
    const none = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'admin', exp: 9999999999 })}.`
    const resNone = await call(hsApp(), '/me/', bearer(none))
    expect(resNone.status).toBe(401)
    const hs512 = await signJwt({ sub: 'u1' }, { secret: SECRET + SECRET, algorithm: 'HS512' })
    const res = await call(hsApp({ secret: SECRET + SECRET }), '/me/', bearer(hs512))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The token algorithm is not allowed.')
  })

  it('refuses a token whose user toUser cannot find', async () => {
    const res = await call(hsApp({ toUser: () => null }), '/me/', bearer(await hs()))
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The token does not belong to a known user.')
  })

  it("with onInvalid: 'anonymous', a bad token is anonymous and guards still refuse", async () => {
    const app = hsApp({}, 'anonymous')
    const expired = await hs({}, { secret: SECRET, algorithm: 'HS256', expiresIn: -60 })
    const me = await call(app, '/me/', bearer(expired))
    expect(me.status).toBe(200)
    expect(me.body['user']).toEqual({ isAuthenticated: false })
    expect((await call(app, '/guarded/', bearer(expired))).status).toBe(401)
    expect((await call(app, '/me/', { authorization: 'Bearer' })).status).toBe(200)
  })

  it('reads a bare token from a custom header', async () => {
    const app = hsApp({ header: 'X-Token', scheme: null })
    expect((await call(app, '/me/', { 'x-token': await hs() })).body['user']).toMatchObject({
      sub: 'u1',
    })
    expect((await call(app, '/me/', bearer(await hs()))).body['user']).toEqual({
      isAuthenticated: false,
    })
  })
})

describe('jwtBackend composition', () => {
  it('with skipNonJwt, leaves opaque tokens to bearerBackend', async () => {
    const app = appWith([
      authenticate({
        backends: [
          jwtBackend({ secret: SECRET, algorithms: ['HS256'], skipNonJwt: true }),
          bearerBackend({ verify: (t) => (t === 'opaque-123' ? { id: 'svc' } : null) }),
        ],
      }),
    ])
    expect((await call(app, '/me/', bearer(await hs()))).body['auth']).toMatchObject({
      backend: 'jwt',
    })
    expect((await call(app, '/me/', bearer('opaque-123'))).body['auth']).toMatchObject({
      backend: 'bearer',
    })
    expect((await call(app, '/me/', bearer('opaque-999'))).status).toBe(401)
    // A JWT-shaped token is still the JWT backend's, and refused there.
    expect((await call(app, '/me/', bearer('aaa.bbb.ccc'))).body['detail']).toBe(
      'The token is malformed.'
    )
  })
})

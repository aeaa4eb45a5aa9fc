import { CycleResponse, json, path } from '@cycle/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { requireAuth } from '../guards'
import { clearSession, issueSession, type SessionCookieOptions } from '../session/cookie'
import { sessionBackend } from './session'

const SECRET = 'session-secret-0123456789-abcdefghij'
const OLD = 'old-session-secret-0123456789-abcdefg'
const users = new Map([['u1', { id: 'u1', name: 'Ada' }]])
const load = (data: { userId: string }) => users.get(data.userId) ?? null

function cookieFrom(setCookie: string | null): string {
  return (setCookie ?? '').split(';')[0] as string
}

async function issued(
  options: SessionCookieOptions,
  data: unknown = { userId: 'u1' }
): Promise<string> {
  const res = await issueSession(new CycleResponse(null), data, options)
  return cookieFrom(res.headers.get('set-cookie'))
}

const app = (options: Partial<Parameters<typeof sessionBackend>[0]> = {}) => {
  const sessions = sessionBackend({ secret: SECRET, load, ...options })
  return appWith(
    [authenticate({ backends: [sessions] })],
    [requireAuth()],
    [
      path('login/', async (req) =>
        sessions.issue(json({ ok: true }), { userId: req.query.get('as') ?? '' })
      ),
      path('logout/', () => sessions.clear(json({ bye: true }))),
    ]
  )
}

afterEach(() => {
  vi.useRealTimers()
})

describe('sessionBackend', () => {
  it('logs in through issue(), then authenticates with the cookie', async () => {
    const a = app()
    const login = await call(a, '/login/?as=u1')
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(
      /^session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Max-Age=1209600; Path=\/; Secure; HttpOnly; SameSite=Lax$/
    )
    const me = await call(a, '/guarded/', { cookie: cookieFrom(setCookie) })
    expect(me.status).toBe(200)
    expect(me.body['user']).toEqual({ id: 'u1', name: 'Ada', isAuthenticated: true })
    expect(me.body['auth']).toMatchObject({ backend: 'session', claims: { userId: 'u1' } })
  })

  it('is anonymous without the cookie, and requireAuth answers 401', async () => {
    expect((await call(app(), '/me/')).body['user']).toEqual({ isAuthenticated: false })
    expect((await call(app(), '/me/', { cookie: 'other=1; session=' })).body['user']).toEqual({
      isAuthenticated: false,
    })
    const res = await call(app(), '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBeNull()
  })

  it('refuses a tampered cookie with 401 and deletes it', async () => {
    const cookie = await issued({ secret: SECRET })
    const [, value] = cookie.split('=') as [string, string]
    const [body, mac] = value.split('.') as [string, string]
    const forgedBody = btoa(
      JSON.stringify({ d: { userId: 'u1' }, iat: 0, exp: 9999999999 })
    ).replace(/=+$/, '')
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
    const cases: [string, string][] = [
      [`${body}.${flip(mac)}`, 'The session cookie signature is invalid.'],
      [`${forgedBody}.${mac}`, 'The session cookie signature is invalid.'],
      [`${body}`, 'The session cookie is malformed.'],
      [`${body}.`, 'The session cookie is malformed.'],
      [`${body}.${mac}x`, 'The session cookie is malformed.'],
      [`.${mac}`, 'The session cookie is malformed.'],
      ['garbage', 'The session cookie is malformed.'],
      ['a'.repeat(5000), 'The session cookie is malformed.'],
    ]
    for (const [v, detail] of cases) {
      const res = await call(app(), '/me/', { cookie: `session=${v}` })
      expect(res.status, v.slice(0, 30)).toBe(401)
      expect(res.body['detail']).toBe(detail)
      expect(res.headers.get('set-cookie')).toMatch(
        /^session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=\/; Secure; HttpOnly; SameSite=Lax$/
      )
    }
  })

  it('does not accept a cookie value moved to another cookie name', async () => {
    const cookie = await issued({ secret: SECRET, cookie: 'other' })
    const value = cookie.slice('other='.length)
    expect((await call(app(), '/me/', { cookie: `session=${value}` })).status).toBe(401)
  })

  it('rotates secrets: signs with the first, accepts any, refuses dropped ones', async () => {
    const fromOld = await issued({ secret: OLD })
    const rotated = app({ secret: [SECRET, OLD] })
    expect((await call(rotated, '/me/', { cookie: fromOld })).body['user']).toMatchObject({
      id: 'u1',
    })
    const fresh = await call(rotated, '/login/?as=u1')
    const newCookie = cookieFrom(fresh.headers.get('set-cookie'))
    // The new cookie verifies with the new secret alone: it was signed with the first.
    expect((await call(app({ secret: SECRET }), '/me/', { cookie: newCookie })).status).toBe(200)
    // Once OLD is dropped, its cookies are refused.
    expect((await call(app({ secret: SECRET }), '/me/', { cookie: fromOld })).status).toBe(401)
  })

  it('expires sessions from inside the signed payload', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const cookie = await issued({ secret: SECRET, maxAge: 3600 })
    vi.setSystemTime(new Date('2030-01-01T00:59:00Z'))
    expect((await call(app(), '/me/', { cookie })).status).toBe(200)
    vi.setSystemTime(new Date('2030-01-01T01:00:01Z'))
    const res = await call(app(), '/me/', { cookie })
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The session has expired.')
  })

  it('refuses a session whose user is gone', async () => {
    const cookie = await issued({ secret: SECRET }, { userId: 'deleted' })
    const res = await call(app(), '/me/', { cookie })
    expect(res.status).toBe(401)
    expect(res.body['detail']).toBe('The session does not belong to a known user.')
  })

  it("with onInvalid: 'anonymous', a bad cookie is just anonymous", async () => {
    const sessions = sessionBackend({ secret: SECRET, load })
    const a = appWith([authenticate({ backends: [sessions], onInvalid: 'anonymous' })])
    const res = await call(a, '/me/', { cookie: 'session=garbage' })
    expect(res.status).toBe(200)
    expect(res.body['user']).toEqual({ isAuthenticated: false })
  })

  it('clears the cookie on logout', async () => {
    const res = await call(app(), '/logout/')
    expect(res.headers.get('set-cookie')).toContain('session=; Max-Age=0')
  })

  it('issueSession and clearSession work on WHATWG responses and honour attributes', async () => {
    const options: SessionCookieOptions = {
      secret: SECRET,
      cookie: 'sid',
      path: '/app',
      domain: 'example.com',
      sameSite: 'Strict',
      maxAge: 60,
    }
    const res = await issueSession(new Response(null), { userId: 'u1' }, options)
    expect(res.headers.get('set-cookie')).toMatch(
      /^sid=[^;]+; Max-Age=60; Domain=example.com; Path=\/app; Secure; HttpOnly; SameSite=Strict$/
    )
    const cleared = clearSession(new Response(null), { cookie: 'sid', path: '/app' })
    expect(cleared.headers.get('set-cookie')).toBe(
      'sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app; Secure; HttpOnly; SameSite=Lax'
    )
  })

  it('refuses oversized session data and data JSON cannot hold', async () => {
    await expect(
      issueSession(new CycleResponse(null), { blob: 'x'.repeat(5000) }, { secret: SECRET })
    ).rejects.toThrow(/at most 4096/)
    await expect(
      issueSession(new CycleResponse(null), { n: 1n }, { secret: SECRET })
    ).rejects.toThrow(TypeError)
  })

  it('refuses bad options', () => {
    expect(() => sessionBackend({ secret: 'short', load })).toThrow(/at least 32 bytes/)
    expect(() => sessionBackend({ secret: [], load })).toThrow(/non-empty list/)
    expect(() => sessionBackend({ secret: [SECRET, 'short'], load })).toThrow(/at least 32 bytes/)
    expect(() => sessionBackend({ secret: SECRET } as never)).toThrow(/load must be a function/)
    expect(() => sessionBackend({ secret: SECRET, load, cookie: 'bad name' })).toThrow(
      /invalid cookie name/
    )
    expect(() => sessionBackend({ secret: SECRET, load, maxAge: 0 })).toThrow(/maxAge/)
    expect(() => sessionBackend({ secret: SECRET, load, sameSite: 'None', secure: false })).toThrow(
      /SameSite=None/
    )
    expect(() => sessionBackend({ secret: SECRET, load, path: '/a;b' })).toThrow(
      /Invalid cookie Path/
    )
  })
})

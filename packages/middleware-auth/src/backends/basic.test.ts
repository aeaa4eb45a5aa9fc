import { describe, expect, it } from 'vitest'
import { appWith, basic, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { requireAuth } from '../guards'
import { timingSafeEqual } from '../timing-safe-equal'
import { basicBackend } from './basic'

const users: Record<string, string> = { admin: 'pa:ss:word', jürgen: 'pässwörd' }
const seen: [string, string][] = []
const backend = basicBackend({
  realm: 'admin area',
  verify(username, password) {
    seen.push([username, password])
    const expected = Object.hasOwn(users, username) ? users[username] : undefined
    return expected !== undefined && timingSafeEqual(password, expected) ? { name: username } : null
  },
})
const app = appWith([authenticate({ backends: [backend] })], [requireAuth()])
const CHALLENGE = 'Basic realm="admin area", charset="UTF-8"'

describe('basicBackend', () => {
  it('authenticates, splitting at the first colon so passwords may hold colons', async () => {
    seen.length = 0
    const res = await call(app, '/guarded/', { authorization: basic('admin', 'pa:ss:word') })
    expect(res.status).toBe(200)
    expect(res.body['user']).toEqual({ name: 'admin', isAuthenticated: true })
    expect(seen).toEqual([['admin', 'pa:ss:word']])
  })

  it('decodes UTF-8 user names and passwords (RFC 7617 §2.1)', async () => {
    const res = await call(app, '/me/', { authorization: basic('jürgen', 'pässwörd') })
    expect(res.body['user']).toEqual({ name: 'jürgen', isAuthenticated: true })
  })

  it('accepts the scheme in any case and an empty password', async () => {
    const a = appWith([
      authenticate({ backends: [basicBackend({ verify: (u, p) => (p === '' ? { u } : null) })] }),
    ])
    const res = await call(a, '/me/', { authorization: basic('x', '').replace('Basic', 'bAsIc') })
    expect(res.body['user']).toEqual({ u: 'x', isAuthenticated: true })
  })

  it('advertises the realm and charset on requireAuth', async () => {
    const res = await call(app, '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it('refuses wrong passwords and unknown users with 401 and the challenge', async () => {
    for (const [u, p] of [
      ['admin', 'pa:ss'],
      ['admin', 'pa:ss:word '],
      ['nobody', 'x'],
      ['__proto__', 'x'],
    ] as const) {
      const res = await call(app, '/me/', { authorization: basic(u, p) })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
      expect(res.body['detail']).toBe('Invalid username or password.')
    }
  })

  it('answers 401, never 500, for malformed credentials', async () => {
    const cases: [string, string][] = [
      ['Basic', 'The Basic credentials are empty.'],
      ['Basic !!!notbase64!!!', 'The Basic credentials are not valid base64.'],
      ['Basic YWRtaW4', 'The Basic credentials are not valid base64.'], // no padding
      ['Basic YWRt aW46eA==', 'The Basic credentials are not valid base64.'],
      [
        `Basic ${btoa('no-colon-here')}`,
        'The Basic credentials have no colon between user and password.',
      ],
      [`Basic ${btoa('\xff\xfe:\xc3')}`, 'The Basic credentials are not valid UTF-8.'],
      [`Basic ${btoa('admin:pa\x00ss')}`, 'The Basic credentials contain control characters.'],
      [`Basic ${'A'.repeat(5000)}`, 'The Basic credentials are too long.'],
    ]
    for (const [value, detail] of cases) {
      const res = await call(app, '/me/', { authorization: value })
      expect(res.status, value.slice(0, 40)).toBe(401)
      expect(res.body['detail']).toBe(detail)
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
    }
  })

  it('leaves other schemes to other backends', async () => {
    const res = await call(app, '/me/', { authorization: 'Bearer abc' })
    expect(res.status).toBe(200)
    expect(res.body['user']).toEqual({ isAuthenticated: false })
  })

  it('supports an async verify', async () => {
    const a = appWith([
      authenticate({ backends: [basicBackend({ verify: async (u) => ({ u }) })] }),
    ])
    expect((await call(a, '/me/', { authorization: basic('a', 'b') })).body['user']).toEqual({
      u: 'a',
      isAuthenticated: true,
    })
  })

  it('refuses bad options', () => {
    expect(() => basicBackend({} as never)).toThrow(/verify must be a function/)
    expect(() => basicBackend({ verify: () => null, realm: 'a\nb' })).toThrow(/printable ASCII/)
    expect(() => basicBackend({ verify: () => null, maxLength: -1 })).toThrow(/positive integer/)
  })
})

import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { requireAuth } from '../guards'
import { bearerBackend } from './bearer'

const tokens = new Map([['tok_live_123', { id: 'svc-1', scopes: ['notes:read'] }]])
const app = (options: Partial<Parameters<typeof bearerBackend>[0]> = {}) =>
  appWith(
    [
      authenticate({
        backends: [
          bearerBackend({ verify: (t) => tokens.get(t) ?? null, realm: 'notes', ...options }),
        ],
      }),
    ],
    [requireAuth()]
  )

describe('bearerBackend', () => {
  it('authenticates a known opaque token (sync verify)', async () => {
    const res = await call(app(), '/guarded/', { authorization: 'Bearer tok_live_123' })
    expect(res.status).toBe(200)
    expect(res.body['user']).toEqual({ id: 'svc-1', scopes: ['notes:read'], isAuthenticated: true })
    expect(res.body['auth']).toMatchObject({ backend: 'bearer' })
  })

  it('authenticates with an async verify that sees the request', async () => {
    const a = app({
      verify: async (t, req) => (t === 'abc' ? { id: req.header('x-tenant') ?? '' } : null),
    })
    expect(
      (await call(a, '/me/', { authorization: 'Bearer abc', 'x-tenant': 't1' })).body['user']
    ).toEqual({
      id: 't1',
      isAuthenticated: true,
    })
  })

  it('refuses an unknown token with 401 invalid_token', async () => {
    const res = await call(app(), '/me/', { authorization: 'Bearer tok_live_999' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes", error="invalid_token", error_description="The access token is invalid."'
    )
  })

  it('answers 400 for an empty token and one with spaces or quotes', async () => {
    for (const value of ['Bearer', 'Bearer a b', 'Bearer "abc"', 'bearer ,abc']) {
      expect((await call(app(), '/me/', { authorization: value })).status, value).toBe(400)
    }
  })

  it('refuses a token over maxTokenLength without calling verify', async () => {
    let called = false
    const a = app({ maxTokenLength: 16, verify: () => ((called = true), null) })
    expect((await call(a, '/me/', { authorization: `Bearer ${'x'.repeat(17)}` })).status).toBe(401)
    expect(called).toBe(false)
  })

  it('sends the challenge on requireAuth without credentials', async () => {
    const res = await call(app(), '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="notes"')
  })

  it('refuses bad options', () => {
    expect(() => bearerBackend({} as never)).toThrow(/verify must be a function/)
    expect(() => bearerBackend(null as never)).toThrow(/options are required/)
  })

  it('reads the token the same way on the exact-form fast path and the general path', async () => {
    const seen: string[] = []
    const a = app({ verify: (t) => (seen.push(t), tokens.get(t) ?? null) })
    // Exact form (one space, no padding), other spellings of the same credentials, and padding.
    for (const value of [
      'Bearer tok_live_123',
      'bearer tok_live_123',
      'BEARER  tok_live_123',
      '  Bearer\ttok_live_123  ',
    ]) {
      expect((await call(a, '/guarded/', { authorization: value })).status).toBe(200)
    }
    expect(seen).toEqual(Array(4).fill('tok_live_123'))
    // b64token characters and trailing `=` pass; anything else is refused on either path.
    expect((await call(a, '/guarded/', { authorization: 'Bearer a-b.c_d~e+f/g==' })).status).toBe(401)
    expect(seen.at(-1)).toBe('a-b.c_d~e+f/g==')
    for (const value of ['Bearer a=b', 'Bearer a b', 'Bearer "ab"', 'bearer a,b']) {
      expect((await call(a, '/guarded/', { authorization: value })).status).toBe(400)
    }
    expect(seen).toHaveLength(5)
  })

  it('escapes a scheme with regular-expression characters and keeps the length limit', async () => {
    const seen: string[] = []
    const a = app({ scheme: 'Tok.en+1', maxTokenLength: 12, verify: (t) => (seen.push(t), null) })
    expect((await call(a, '/guarded/', { authorization: 'Tok.en+1 abc' })).status).toBe(401)
    // `.` and `+` are literal: these are other schemes, so no credentials were found.
    expect((await call(a, '/guarded/', { authorization: 'TokXen+1 abc' })).status).toBe(401)
    expect((await call(a, '/guarded/', { authorization: 'Tok.ennn1 abc' })).status).toBe(401)
    expect(seen).toEqual(['abc'])
    const long = await call(a, '/guarded/', { authorization: `Tok.en+1 ${'a'.repeat(13)}` })
    expect(long.status).toBe(401)
    expect(long.headers.get('www-authenticate')).toContain('longer than 12')
    expect((await call(a, '/guarded/', { authorization: `Tok.en+1 ${'a'.repeat(12)}` })).status).toBe(401)
    expect(seen).toEqual(['abc', 'a'.repeat(12)])
  })
})

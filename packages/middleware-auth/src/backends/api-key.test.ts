import { describe, expect, it } from 'vitest'
import { appWith, call } from '../__fixtures__/app'
import { authenticate } from '../authenticate'
import { requireAuth } from '../guards'
import { apiKeyBackend } from './api-key'

const reporting = { id: 'reporting', roles: ['reader'] }
const keys = { 'key-reporting-0123456789': reporting, 'key-billing-0123456789': { id: 'billing' } }
const app = (options: Partial<Parameters<typeof apiKeyBackend>[0]> = {}) =>
  appWith([authenticate({ backends: [apiKeyBackend({ keys, ...options })] })], [requireAuth()])

describe('apiKeyBackend', () => {
  it('authenticates a known key from x-api-key, without mutating the shared user', async () => {
    const res = await call(app(), '/guarded/', { 'x-api-key': 'key-reporting-0123456789' })
    expect(res.status).toBe(200)
    expect(res.body['user']).toEqual({ id: 'reporting', roles: ['reader'], isAuthenticated: true })
    expect(reporting).toEqual({ id: 'reporting', roles: ['reader'] })
    expect(
      (await call(app(), '/me/', { 'x-api-key': 'key-billing-0123456789' })).body['user']
    ).toMatchObject({ id: 'billing' })
  })

  it('refuses unknown, near-miss, empty and oversized keys with 401', async () => {
    for (const key of [
      'nope',
      'key-reporting-012345678',
      'key-reporting-01234567890',
      'KEY-REPORTING-0123456789',
      ' ',
      'x'.repeat(2000),
    ]) {
      const res = await call(app(), '/me/', { 'x-api-key': key })
      expect(res.status, key.slice(0, 30)).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('ApiKey header="x-api-key"')
    }
  })

  it('ignores the query string unless query is enabled', async () => {
    const off = await call(app(), '/me/?api_key=key-reporting-0123456789')
    expect(off.body['user']).toEqual({ isAuthenticated: false })
    const on = await call(app({ query: 'api_key' }), '/me/?api_key=key-reporting-0123456789')
    expect(on.body['user']).toMatchObject({ id: 'reporting' })
    // The header wins over the query when both are present.
    const both = await call(app({ query: 'api_key' }), '/me/?api_key=key-reporting-0123456789', {
      'x-api-key': 'key-billing-0123456789',
    })
    expect(both.body['user']).toMatchObject({ id: 'billing' })
  })

  it('reads a custom header and accepts a Map of keys', async () => {
    const a = app({ keys: new Map([['k'.repeat(20), { id: 'm' }]]), header: 'X-Service-Key' })
    expect((await call(a, '/me/', { 'x-service-key': 'k'.repeat(20) })).body['user']).toMatchObject(
      { id: 'm' }
    )
    expect((await call(a, '/guarded/')).headers.get('www-authenticate')).toBe(
      'ApiKey header="x-service-key"'
    )
  })

  it('looks keys up with verify (sync and async)', async () => {
    const sync = app({ keys: undefined, verify: (k) => (k === 'abc' ? { id: 'v' } : null) })
    expect((await call(sync, '/me/', { 'x-api-key': 'abc' })).body['user']).toMatchObject({
      id: 'v',
    })
    expect((await call(sync, '/me/', { 'x-api-key': 'abd' })).status).toBe(401)
    const async_ = app({
      keys: undefined,
      verify: async (k, req) => (k === 'abc' ? { id: req.method } : null),
    })
    expect((await call(async_, '/me/', { 'x-api-key': 'abc' })).body['user']).toMatchObject({
      id: 'GET',
    })
  })

  it('can send no challenge', async () => {
    const res = await call(app({ challenge: null }), '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBeNull()
  })

  it('refuses bad options', () => {
    expect(() => apiKeyBackend({} as never)).toThrow(/exactly one of keys or verify/)
    expect(() => apiKeyBackend({ keys, verify: () => null })).toThrow(
      /exactly one of keys or verify/
    )
    expect(() => apiKeyBackend({ keys: {} })).toThrow(/keys is empty/)
    expect(() => apiKeyBackend({ keys: { ' ': { id: 'x' } } })).toThrow(/non-empty string/)
    expect(() => apiKeyBackend({ keys: { abc: 'user' as never } })).toThrow(/user object/)
    expect(() => apiKeyBackend({ keys, query: '' })).toThrow(/query/)
    expect(() => apiKeyBackend({ keys, header: 'x y' })).toThrow(/header name/)
  })
})

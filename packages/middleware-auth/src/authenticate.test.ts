import { json, type CycleRequest, type StateOf } from '@cycle/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { appWith, basic, call } from './__fixtures__/app'
import { authenticate, getAuth } from './authenticate'
import { apiKeyBackend } from './backends/api-key'
import { basicBackend } from './backends/basic'
import { requireAuth } from './guards'
import { anonymousUser, type AnonymousUser, type AuthBackend, type Authenticated } from './types'

const KEY = 'key-0123456789abcdef'
const basicB = basicBackend({
  realm: 'r',
  verify: (u, p) => (p === 'pw' ? { kind: 'basic' as const, name: u } : null),
})
const keyB = apiKeyBackend({ keys: { [KEY]: { kind: 'key' as const, service: 'svc' } } })

describe('authenticate', () => {
  it('asks backends in order; the first that recognises credentials wins', async () => {
    const app = appWith([authenticate({ backends: [basicB, keyB] })])
    const both = await call(app, '/me/', { authorization: basic('ada', 'pw'), 'x-api-key': KEY })
    expect(both.body['user']).toEqual({ kind: 'basic', name: 'ada', isAuthenticated: true })
    expect(both.body['auth']).toEqual({ backend: 'basic', scopes: [] })
    const keyOnly = await call(app, '/me/', { 'x-api-key': KEY })
    expect(keyOnly.body['user']).toEqual({ kind: 'key', service: 'svc', isAuthenticated: true })
    const reversed = appWith([authenticate({ backends: [keyB, basicB] })])
    expect(
      (await call(reversed, '/me/', { authorization: basic('ada', 'pw'), 'x-api-key': KEY })).body[
        'auth'
      ]
    ).toMatchObject({
      backend: 'apiKey',
    })
  })

  it('stops at a backend that rejects credentials, even if a later one would accept', async () => {
    const app = appWith([authenticate({ backends: [basicB, keyB] })])
    const res = await call(app, '/me/', { authorization: basic('ada', 'wrong'), 'x-api-key': KEY })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="r", charset="UTF-8"')
  })

  it('sets the frozen anonymous user when nobody matches', async () => {
    const app = appWith([authenticate({ backends: [basicB] })])
    const res = await call(app, '/me/')
    expect(res.body).toEqual({ user: { isAuthenticated: false }, auth: null })
    expect(Object.isFrozen(anonymousUser)).toBe(true)
  })

  it('combines every backend challenge for requireAuth (RFC 9110 §11.6.1)', async () => {
    const app = appWith([authenticate({ backends: [basicB, keyB] })], [requireAuth()])
    const res = await call(app, '/guarded/')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Basic realm="r", charset="UTF-8", ApiKey header="x-api-key"'
    )
  })

  it('keeps class instances (and their methods) and refuses users that are not objects', async () => {
    class User {
      constructor(readonly id: string) {}
      hello(): string {
        return `hi ${this.id}`
      }
    }
    const custom = (user: unknown): AuthBackend<object> => ({
      name: 'custom',
      challenge: undefined,
      authenticate: (req) => (req.header('x-user') ? { user: user as object } : null),
    })
    let seen: unknown
    const app = appWith([authenticate({ backends: [custom(new User('a'))] })], [], [])
    app.on('requestFinished', (req) => {
      seen = (req.state as { user?: unknown }).user
    })
    await call(app, '/me/', { 'x-user': '1' })
    expect(seen).toBeInstanceOf(User)
    expect((seen as User & { isAuthenticated: boolean }).isAuthenticated).toBe(true)
    expect((seen as User).hello()).toBe('hi a')

    const bad = appWith([authenticate({ backends: [custom('a string')] })])
    expect((await call(bad, '/me/', { 'x-user': '1' })).status).toBe(500)
    const frozen = appWith([authenticate({ backends: [custom(Object.freeze(new User('b')))] })])
    expect((await call(frozen, '/me/', { 'x-user': '1' })).status).toBe(500)
    const negative = appWith([authenticate({ backends: [custom({ isAuthenticated: false })] })])
    expect((await call(negative, '/me/', { 'x-user': '1' })).status).toBe(500)
  })

  it('passes unexpected backend errors on (500), even with onInvalid anonymous', async () => {
    const broken: AuthBackend = {
      name: 'broken',
      challenge: undefined,
      authenticate: () => {
        throw new Error('database down')
      },
    }
    const app = appWith([authenticate({ backends: [broken], onInvalid: 'anonymous' })])
    expect((await call(app, '/me/')).status).toBe(500)
  })

  it('refuses bad options', () => {
    expect(() => authenticate(undefined as never)).toThrow(/options are required/)
    expect(() => authenticate({ backends: [] })).toThrow(/non-empty list/)
    expect(() => authenticate({ backends: [{} as AuthBackend] })).toThrow(
      /backends\[0\] is not a backend/
    )
    expect(() => authenticate({ backends: [basicB], onInvalid: 'ignore' as 'reject' })).toThrow(
      /onInvalid/
    )
  })

  it('types request.state.user from the backends through StateOf', () => {
    const auth = authenticate({ backends: [basicB, keyB] })
    const middleware = [auth] as const
    type State = StateOf<typeof middleware>
    type User = State['user']
    expectTypeOf<User>().toEqualTypeOf<
      | Authenticated<{ kind: 'basic'; name: string }>
      | Authenticated<{ kind: 'key'; service: string }>
      | AnonymousUser
    >()
    const view = (request: CycleRequest<State>) => {
      const user = request.state.user
      if (user.isAuthenticated) {
        expectTypeOf(user.kind).toEqualTypeOf<'basic' | 'key'>()
        return json(user.kind === 'basic' ? user.name : user.service)
      }
      expectTypeOf(user).toEqualTypeOf<AnonymousUser>()
      return json(getAuth(request))
    }
    expect(typeof view).toBe('function')
  })
})

import { describe, expectTypeOf, it } from 'vitest'
import { createApp } from './app'
import {
  defineMiddleware,
  type CheckNeeds,
  type Middleware,
  type MiddlewareState,
  type NeedsOf,
  type StateOf,
  type UnmetNeed,
} from './middleware'
import type { CycleRequest } from './request'
import type { RequestState } from './state'
import { path } from './urls/conf'

type User = { id: number; name: string }

const requestId = defineMiddleware<{ requestId: string }>({
  name: 'requestId',
  request(req) {
    expectTypeOf(req.state).toEqualTypeOf<MiddlewareState<{ requestId: string }, object>>()
    expectTypeOf(req.state.requestId).toEqualTypeOf<string | undefined>()
    req.state.requestId = 'abc'
  },
  view(req) {
    // Its own adds are optional in every hook: the hook that sets them may not have run.
    expectTypeOf(req.state.requestId).toEqualTypeOf<string | undefined>()
  },
  response(req) {
    // Its own request hook may have answered before setting it.
    expectTypeOf(req.state.requestId).toEqualTypeOf<string | undefined>()
  },
})
const auth = defineMiddleware<{ user: User }, { requestId: string }>({
  name: 'auth',
  request(req) {
    expectTypeOf(req.state.requestId).toEqualTypeOf<string>()
    req.state.user = { id: 1, name: 'ann' }
    // @ts-expect-error undeclared state: no Record<string, any> behind request.state
    void req.state.session
  },
  exception(req) {
    expectTypeOf(req.state.requestId).toEqualTypeOf<string>()
    expectTypeOf(req.state.user).toEqualTypeOf<User | undefined>()
  },
})
const timing = defineMiddleware(async (req, next) => {
  expectTypeOf(req.state).toEqualTypeOf<MiddlewareState>()
  return next()
})
const audit = defineMiddleware<{ audited: true }, { user: User }>(async (req, next) => {
  expectTypeOf(req.state.user).toEqualTypeOf<User>()
  expectTypeOf(req.state.audited).toEqualTypeOf<true | undefined>()
  req.state.audited = true
  return next()
})
const wantsName = defineMiddleware<object, { user: { name: number } }>({ name: 'wantsName' })
const maybeId = defineMiddleware<object, { requestId?: string }>({
  name: 'maybeId',
  request(req) {
    expectTypeOf(req.state.requestId).toEqualTypeOf<string | undefined>()
  },
})

describe('typed state', () => {
  it('StateOf merges what each middleware declares', () => {
    const middleware = [requestId, auth, timing] as const
    type State = StateOf<typeof middleware>
    expectTypeOf<State>().toEqualTypeOf<{ requestId: string; user: { id: number; name: string } }>()
    const view = (req: CycleRequest<State>) => req.state.user.name
    expectTypeOf(view).returns.toEqualTypeOf<string>()
  })

  it('createApp carries the state type', () => {
    const app = createApp({ middleware: [requestId, auth], urls: [] })
    expectTypeOf(app['~state']).toEqualTypeOf<{ requestId: string; user: User }>()
  })

  it('a middleware without declared state adds and needs nothing', () => {
    type State = StateOf<[typeof timing]>
    expectTypeOf<State>().toEqualTypeOf<{}>()
    expectTypeOf<NeedsOf<typeof timing>>().toEqualTypeOf<object>()
    expectTypeOf<MiddlewareState>().toEqualTypeOf<object & Partial<object> & RequestState>()
  })

  it('a middleware that needs state is still a Middleware (route lists, loose lists)', () => {
    expectTypeOf(auth).toMatchTypeOf<Middleware>()
    expectTypeOf(audit).toMatchTypeOf<Middleware>()
    const list: readonly Middleware[] = [auth, audit, timing]
    path('x/', () => null, { middleware: list })
  })
})

describe('createApp checks what each middleware needs', () => {
  it('accepts a list where each need is added earlier', () => {
    createApp({ middleware: [requestId, auth, audit, timing, maybeId], urls: [] })
    createApp({ middleware: [maybeId, timing], urls: [] })
    type Ok = [typeof requestId, typeof auth, typeof audit]
    expectTypeOf<CheckNeeds<Ok>>().toEqualTypeOf<
      readonly [typeof requestId, typeof auth, typeof audit]
    >()
  })

  it('replaces a middleware whose need is missing by a message naming the key', () => {
    expectTypeOf<CheckNeeds<[typeof auth, typeof requestId]>>().toEqualTypeOf<
      readonly [
        UnmetNeed<'requestId', 'which no middleware before it adds'>,
        typeof requestId,
      ]
    >()
    expectTypeOf<UnmetNeed<'user', 'which no middleware before it adds'>>().toEqualTypeOf<
      'This middleware needs request.state.user, which no middleware before it adds.'
    >()
    // @ts-expect-error auth needs requestId, added only after it
    createApp({ middleware: [auth, requestId], urls: [] })
    // @ts-expect-error audit needs user; nothing adds it
    createApp({ middleware: [requestId, audit], urls: [] })
  })

  it('reports a need of another type than the one added', () => {
    expectTypeOf<CheckNeeds<[typeof requestId, typeof auth, typeof wantsName]>[2]>().toEqualTypeOf<
      UnmetNeed<'user', 'but the middlewares before it add another type'>
    >()
    // @ts-expect-error wantsName needs user.name as a number
    createApp({ middleware: [requestId, auth, wantsName], urls: [] })
  })

  it('counts the global RequestState as provided', () => {
    // `Have` starts as RequestState; an augmented key there satisfies a need.
    const tenant = defineMiddleware<object, { tenant: string }>({ name: 'tenant' })
    expectTypeOf<CheckNeeds<[typeof tenant], { tenant: string }>>().toEqualTypeOf<
      readonly [typeof tenant]
    >()
  })

  it('checks the tuple part of a list with a spread, and long lists', () => {
    const rest: Middleware[] = []
    createApp({ middleware: [requestId, auth, ...rest], urls: [] })
    // @ts-expect-error auth needs requestId, added by nothing before it
    createApp({ middleware: [auth, ...rest], urls: [] })
    // 60 middlewares, each needing what the previous one adds: within TypeScript's depth limit.
    type Link<P extends string> = Middleware<Record<`${P}x`, string>, Record<P, string>>
    type Chain<N extends number, Acc extends unknown[], P extends string> = Acc['length'] extends N
      ? Acc
      : Chain<N, [...Acc, Link<P>], `${P}x`>
    type Sixty = Chain<60, [Middleware<Record<'k', string>>], 'k'>
    expectTypeOf<CheckNeeds<Sixty>>().toEqualTypeOf<readonly [...Sixty]>()
  })

  it('leaves lists that are not tuples unchecked', () => {
    const loose: Middleware[] = [auth]
    createApp({ middleware: loose, urls: [] })
    expectTypeOf<CheckNeeds<Middleware[]>>().toEqualTypeOf<Middleware[]>()
  })
})

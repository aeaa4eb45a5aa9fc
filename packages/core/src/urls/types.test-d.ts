import { describe, expectTypeOf, it } from 'vitest'
import { defineMiddleware, type StateOf } from '../middleware'
import type { CycleRequest, Params } from '../request'
import type { RequestState } from '../state'
import { View } from '../views'
import { defineUrls, include, path, type PathEntry, type UrlEntry } from './conf'
import { Resolver } from './resolver'
import type {
  ConverterValue,
  NoParams,
  ParamsOf,
  ReverseArgs,
  ReverseArgsOf,
  ReverseParams,
  ReverseQuery,
  RouteMap,
  RouteNames,
} from './types'

declare module '../state' {
  interface ConverterTypes {
    year: number
  }
}

describe('ParamsOf', () => {
  it('infers parameter types from converters', () => {
    expectTypeOf<ParamsOf<'notes/<int:id>/'>>().toEqualTypeOf<{ id: number }>()
    expectTypeOf<ParamsOf<'articles/<int:year>/<slug:slug>/'>>().toEqualTypeOf<{
      year: number
      slug: string
    }>()
    expectTypeOf<ParamsOf<'n/<uuid:id>/<path:rest>'>>().toEqualTypeOf<{
      id: string
      rest: string
    }>()
  })

  it('treats a bare <name> as str and handles mixed segments', () => {
    expectTypeOf<ParamsOf<'<name>/page-<int:n>.json'>>().toEqualTypeOf<{
      name: string
      n: number
    }>()
  })

  it('gives {} without parameters and Params for a non-literal pattern', () => {
    expectTypeOf<ParamsOf<'notes/'>>().toEqualTypeOf<{}>()
    expectTypeOf<ParamsOf<string>>().toEqualTypeOf<Params>()
  })

  it('uses ConverterTypes for custom converters, unknown when not declared', () => {
    expectTypeOf<ConverterValue<'year'>>().toEqualTypeOf<number>()
    expectTypeOf<ParamsOf<'archive/<year:y>/'>>().toEqualTypeOf<{ y: number }>()
    expectTypeOf<ParamsOf<'x/<nope:v>/'>>().toEqualTypeOf<{ v: unknown }>()
  })
})

describe('path() view typing', () => {
  it('types request.params from the pattern', () => {
    path('notes/<uuid:id>/<int:n>/', (request) => {
      expectTypeOf(request).toEqualTypeOf<CycleRequest<RequestState, { id: string; n: number }>>()
      expectTypeOf(request.params.id).toEqualTypeOf<string>()
      expectTypeOf(request.params.n).toEqualTypeOf<number>()
      // @ts-expect-error no such parameter
      void request.params.other
    })
  })

  it('types each handler of a method map', () => {
    path('notes/<int:id>/', {
      GET: (request) => expectTypeOf(request.params.id).toEqualTypeOf<number>(),
      DELETE: (request) => expectTypeOf(request.params).toEqualTypeOf<{ id: number }>(),
    })
  })

  it('accepts class-based views and refuses views expecting other params', () => {
    class Detail extends View {
      get(): string {
        return 'ok'
      }
    }
    path('notes/<int:id>/', Detail.asView())
    const wrong = (request: CycleRequest<RequestState, { id: string }>): string => request.params.id
    // @ts-expect-error id is a number in this pattern
    path('notes/<int:id>/', wrong)
  })

  it('keeps pattern and name literals', () => {
    const entry = path('notes/<int:id>/', () => null, { name: 'detail' })
    expectTypeOf(entry).toEqualTypeOf<PathEntry<'notes/<int:id>/', 'detail'>>()
    expectTypeOf(path('a/', () => null).name).toEqualTypeOf<undefined>()
  })
})

const v = (): null => null
const urls = [
  path('', v, { name: 'home' }),
  path('about/', v),
  include(
    'api/',
    [
      include(
        'notes/',
        [
          path('', v, { name: 'list' }),
          path('<uuid:id>/', v, { name: 'detail' }),
          include('<uuid:id>/tags/', [path('<slug:tag>/', v, { name: 'tag' })], {
            namespace: 'tags',
          }),
        ],
        { namespace: 'notes' }
      ),
      include('users/<int:uid>/', [path('posts/<int:pid>/', v, { name: 'post' })]),
    ],
    { namespace: 'api' }
  ),
]

describe('RouteNames and ReverseParams', () => {
  it('lists qualified names through nested namespaces', () => {
    expectTypeOf<RouteNames<typeof urls>>().toEqualTypeOf<
      'home' | 'api:notes:list' | 'api:notes:detail' | 'api:notes:tags:tag' | 'api:post'
    >()
  })

  it('computes the parameters a name needs, include prefixes included', () => {
    expectTypeOf<ReverseParams<typeof urls, 'home'>>().toEqualTypeOf<{}>()
    expectTypeOf<ReverseParams<typeof urls, 'api:notes:detail'>>().toEqualTypeOf<{ id: string }>()
    expectTypeOf<ReverseParams<typeof urls, 'api:notes:tags:tag'>>().toEqualTypeOf<{
      id: string
      tag: string
    }>()
    expectTypeOf<ReverseParams<typeof urls, 'api:post'>>().toEqualTypeOf<{
      uid: number
      pid: number
    }>()
  })

  it('makes params optional only when a route has none, and then only {}', () => {
    expectTypeOf<ReverseArgs<{}>>().toEqualTypeOf<
      [params?: NoParams, query?: Record<string, string> | URLSearchParams]
    >()
    expectTypeOf<ReverseArgs<{ id: number }>['length']>().toEqualTypeOf<1 | 2>()
    expectTypeOf<ReverseArgs<Params>>().toEqualTypeOf<[params?: Params, query?: ReverseQuery]>()
    expectTypeOf<{}>().toMatchTypeOf<NoParams>()
    expectTypeOf<{ id: number }>().not.toMatchTypeOf<NoParams>()
  })

  it('maps each qualified name to its full pattern', () => {
    expectTypeOf<RouteMap<typeof urls>>().toEqualTypeOf<{
      home: ''
      'api:notes:list': 'api/notes/'
      'api:notes:detail': 'api/notes/<uuid:id>/'
      'api:notes:tags:tag': 'api/notes/<uuid:id>/tags/<slug:tag>/'
      'api:post': 'api/users/<int:uid>/posts/<int:pid>/'
    }>()
    expectTypeOf<ReverseArgsOf<typeof urls, 'api:post'>>().toEqualTypeOf<
      [params: { uid: number; pid: number }, query?: ReverseQuery]
    >()
  })

  it('type-checks Resolver.reverse', () => {
    const resolver = new Resolver(urls)
    resolver.reverse('home')
    resolver.reverse('api:post', { uid: 1, pid: 2 }, { page: '2' })
    resolver.reverse('api:notes:tags:tag', { id: crypto.randomUUID(), tag: 'x' })
    // @ts-expect-error unknown route name
    resolver.reverse('api:notes:detial', { id: 'x' })
    // @ts-expect-error un-namespaced lookup of a namespaced route
    resolver.reverse('detail', { id: 'x' })
    // @ts-expect-error missing parameter
    resolver.reverse('api:post', { uid: 1 })
    // @ts-expect-error parameters are required
    resolver.reverse('api:notes:detail')
    // @ts-expect-error wrong parameter type
    resolver.reverse('api:post', { uid: 'one', pid: 2 })
    // @ts-expect-error home takes no parameters
    resolver.reverse('home', { id: 1 })
  })

  it('falls back to strings and Params for an untyped URL conf', () => {
    const loose: readonly UrlEntry[] = urls
    expectTypeOf<RouteNames<typeof loose>>().toEqualTypeOf<string>()
    expectTypeOf<ReverseParams<typeof loose, 'x'>>().toEqualTypeOf<Params>()
    expectTypeOf<RouteMap<typeof loose>>().toEqualTypeOf<{ [name: string]: string }>()
    new Resolver(loose).reverse('anything', { id: 1 })
    new Resolver(loose).reverse('anything')
  })
})

describe('defineUrls', () => {
  const auth = defineMiddleware<{ user: { id: number } }>({ name: 'auth' })
  const timing = defineMiddleware<{ started: number }>(async function timing(_request, next) {
    return next()
  })
  const middleware = [auth, timing] as const

  it('types request.state from the middleware list', () => {
    const urls = defineUrls<StateOf<typeof middleware>>()
    const entry = urls.path(
      'me/<int:n>/',
      (request) => {
        expectTypeOf(request.state.user).toEqualTypeOf<{ id: number }>()
        expectTypeOf(request.state.started).toEqualTypeOf<number>()
        expectTypeOf(request.params).toEqualTypeOf<{ n: number }>()
      },
      { name: 'me', middleware }
    )
    expectTypeOf(entry).toEqualTypeOf<PathEntry<'me/<int:n>/', 'me'>>()
    path('me/', (request) => {
      // @ts-expect-error the plain path() does not know this middleware's state
      void request.state.user
    })
  })

  it('adds the prefix parameters when given', () => {
    const users = defineUrls<RequestState, 'users/<int:uid>/'>()
    users.path('posts/<slug:s>/', (request) => {
      expectTypeOf(request.params).toEqualTypeOf<{ uid: number; s: string }>()
    })
  })
})

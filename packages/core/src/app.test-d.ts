import { describe, expectTypeOf, it } from 'vitest'
import { createApp } from './app'
import type { CycleRequest, Params } from './request'
import { json, redirect, text } from './response'
import { View } from './views'
import { defineUrls, include, path } from './urls/conf'
import type { NoParams, Reverse, ReverseArgsOf, ReverseQuery, RouteNames } from './urls/types'

/** `request.reverse()`, the request-scoped reverse typed through Register. */
type RequestReverse = CycleRequest['reverse']

const urls = [
  path('', () => text('home'), { name: 'home' }),
  // Views of the registered URL conf may use the Register-typed reverse: no circular type.
  path('index/', (req) => redirect(req.reverse('home'))),
  path('n/<int:id>/', (req) => redirect(req.reverse('api:detail', { id: req.params.id }))),
  include(
    'api/',
    [
      path('notes/<int:id>/', () => text(''), { name: 'detail' }),
      include('users/<int:uid>/', [path('posts/<slug:slug>/', () => text(''), { name: 'post' })], {
        namespace: 'users',
      }),
    ],
    { namespace: 'api' }
  ),
] as const

// The typed request.reverse(): register the root URL conf once.
declare module './app' {
  interface Register {
    urls: typeof urls
  }
}

type Names = 'home' | 'api:detail' | 'api:users:post'
/** The type of a reverse function's name parameter (`Parameters` sees a generic's constraint). */
type NameOf<F extends (...args: never[]) => unknown> = Parameters<F>[0]

describe('typed reverse', () => {
  it('app.reverse checks names and params from the URL conf', () => {
    const app = createApp({ urls })
    expectTypeOf(app.reverse('home')).toEqualTypeOf<string>()
    app.reverse('api:detail', { id: 1 })
    app.reverse('api:users:post', { uid: 1, slug: 'hello' }, { page: '2' })
    // @ts-expect-error unknown name
    app.reverse('api:detial', { id: 1 })
    // @ts-expect-error missing param
    app.reverse('api:detail')
    // @ts-expect-error wrong param type
    app.reverse('api:detail', { id: 'one' })
    // @ts-expect-error include-prefix param missing
    app.reverse('api:users:post', { slug: 'x' })
    // @ts-expect-error extra param
    app.reverse('api:detail', { id: 1, page: 2 })
  })

  it('the name parameter is the union of known names (the error names the name)', () => {
    const app = createApp({ urls })
    expectTypeOf<NameOf<typeof app.reverse>>().toEqualTypeOf<Names>()
    expectTypeOf<NameOf<RequestReverse>>().toEqualTypeOf<Names>()
    // What TypeScript falls back to for an unknown name: loose arguments, so that the only error
    // left is the name's ('nope' is not assignable to 'home' | …), never an argument count.
    expectTypeOf<ReverseArgsOf<typeof urls, Names>>().toEqualTypeOf<
      [params?: Params, query?: ReverseQuery]
    >()
    // @ts-expect-error 'nope' is not a route name; every route here needs params
    app.reverse('nope')
  })

  it('a route without params takes no params', () => {
    const app = createApp({ urls })
    expectTypeOf<ReverseArgsOf<typeof urls, 'home'>>().toEqualTypeOf<
      [params?: NoParams, query?: ReverseQuery]
    >()
    app.reverse('home', {})
    app.reverse('home', undefined, { page: '2' })
    // @ts-expect-error home takes no params
    app.reverse('home', { id: 1 })
    path('x/', (req) => {
      // @ts-expect-error home takes no params
      req.reverse('home', { id: 1 })
    })
  })

  it('a name typed as a union of routes gets loose params', () => {
    const app = createApp({ urls })
    const name = Math.random() > 0.5 ? 'home' : 'api:detail'
    expectTypeOf<Parameters<typeof app.reverse<typeof name>>>().toEqualTypeOf<
      [name: 'home' | 'api:detail', params?: Params, query?: ReverseQuery]
    >()
  })

  it('Reverse<Urls> is the typed reverse of a URL conf', () => {
    const app = createApp({ urls })
    const link: Reverse<typeof urls> = (name, ...args) => app.reverse(name, ...args)
    expectTypeOf<NameOf<typeof link>>().toEqualTypeOf<Names>()
    link('api:detail', { id: 1 })
    // @ts-expect-error home takes no params
    link('home', { id: 1 })
  })

  it('request.reverse() is typed through Register', () => {
    path('x/', (req) => {
      req.reverse('api:detail', { id: 2 })
      req.reverse('home')
      // @ts-expect-error unknown name
      req.reverse('nope')
      // @ts-expect-error wrong param type
      req.reverse('api:detail', { id: '2' })
      return text('')
    })
  })

  it('views see params typed from the pattern', () => {
    path('notes/<uuid:id>/<int:n>/', (req) => {
      expectTypeOf(req.params).toEqualTypeOf<{ id: string; n: number }>()
      return text('')
    })
  })

  it('an app with no named route has no names', () => {
    const app = createApp({ urls: [path('', () => text(''))] })
    expectTypeOf<NameOf<typeof app.reverse>>().toEqualTypeOf<never>()
    expectTypeOf<RouteNames<[]>>().toEqualTypeOf<never>()
  })
})

describe("app.reverse() inside the app's own views", () => {
  it('type-checks without annotations and without a circular-type error', () => {
    const app = createApp({
      urls: [
        path('old/', () => redirect(app.reverse('home'))),
        path('n/<int:id>/', (req) => redirect(app.reverse('api:detail', { id: req.params.id }))),
        path('m/', {
          GET: () => redirect(app.reverse('home')),
          POST: async () => json({ next: app.reverse('api:detail', { id: 1 }) }, 201),
        }),
        path('', () => text('home'), { name: 'home' }),
        include(
          'api/',
          [
            path('notes/<int:id>/', (req) => {
              expectTypeOf<NameOf<typeof app.reverse>>().toEqualTypeOf<'home' | 'api:detail'>()
              // @ts-expect-error the view's own app checks the name
              app.reverse('api:nope', { id: req.params.id })
              return text('')
            }, { name: 'detail' }),
          ],
          { namespace: 'api' }
        ),
      ],
    })
    expectTypeOf<NameOf<typeof app.reverse>>().toEqualTypeOf<'home' | 'api:detail'>()
  })

  it('works in defineUrls() views and class-based views', () => {
    const { path: p } = defineUrls<{ user: string }>()
    class Detail extends View {
      get(): Response {
        return Response.redirect(app.reverse('d'))
      }
    }
    const app = createApp({
      urls: [
        p('a/', (req) => redirect(`${app.reverse('d')}?u=${req.state.user}`)),
        path('d/', Detail.asView(), { name: 'd' }),
      ],
    })
    expectTypeOf<NameOf<typeof app.reverse>>().toEqualTypeOf<'d'>()
  })

  it('the Register-typed request.reverse() works in the registered URL conf', () => {
    // `urls` (registered above) is typed with its own views calling request.reverse().
    const own = [
      path('a/', (req) => redirect(req.reverse('home'))),
      // @ts-expect-error checked against the registered names
      path('b/', (req) => redirect(req.reverse('nope'))),
    ]
    expectTypeOf(own).toBeArray()
  })
})

import { describe, expectTypeOf, it } from 'vitest'
import { createApp } from './app'
import { text } from './response'
import { include, path } from './urls/conf'

const urls = [
  path('', () => text('home'), { name: 'home' }),
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

// The typed top-level reverse(): register the root URL conf once.
declare module './app' {
  interface Register {
    urls: typeof urls
  }
}

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
})

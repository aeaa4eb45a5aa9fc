import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from '../codes'
import { defineMiddleware, type ErrorHandler } from '../middleware'
import type { Params } from '../request'
import { include, path, type UrlEntry } from './conf'
import { registerConverter } from './converters'
import { Resolver } from './resolver'

registerConverter('year4', {
  regex: '[0-9]{4}',
  toValue: Number,
  toUrl: (value: number) => String(value).padStart(4, '0'),
})

const v = (): null => null
async function timing(_request: unknown, next: () => Promise<unknown>): Promise<unknown> {
  return next()
}
const UUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'

const urls = [
  path('', v, { name: 'home' }),
  path('users/<name>/', v, { name: 'user' }),
  path('files/<path:rest>', v, { name: 'file' }),
  path('archive/<year4:y>/', v, { name: 'archive' }),
  path('page-<int:n>/', v, { name: 'page' }),
  path('café/', v, { name: 'cafe' }),
  include(
    'api/',
    [
      include(
        'notes/',
        [path('<uuid:id>/', v, { name: 'detail' }), path('', v, { name: 'list' })],
        {
          namespace: 'notes',
        }
      ),
      include('u/<int:uid>/', [path('p/<slug:s>/', v, { name: 'post' })], { namespace: 'u' }),
    ],
    { namespace: 'api' }
  ),
]
const resolver = new Resolver(urls)
const loose = new Resolver(urls as readonly UrlEntry[])
const reverse = (name: string, params?: Params, query?: Record<string, string> | URLSearchParams) =>
  loose.reverse(name, params, query)

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfigured)
    expect((error as ImproperlyConfigured).code).toBe('ERR_NO_REVERSE_MATCH')
    return (error as Error).message
  }
  throw new Error('expected reverse() to refuse')
}

describe('Resolver.reverse', () => {
  it('builds absolute paths, include prefixes and namespaces included', () => {
    expect(resolver.reverse('home')).toBe('/')
    expect(resolver.reverse('api:notes:list')).toBe('/api/notes/')
    expect(resolver.reverse('api:notes:detail', { id: UUID })).toBe(`/api/notes/${UUID}/`)
    expect(resolver.reverse('api:u:post', { uid: 7, s: 'hello' })).toBe('/api/u/7/p/hello/')
    expect(resolver.reverse('page', { n: 3 })).toBe('/page-3/')
  })

  it('round-trips through match()', () => {
    const target = { params: {} as Params }
    const url = resolver.reverse('api:u:post', { uid: 7, s: 'hello' })
    expect(resolver.match(url, target)?.pattern).toBe('api/u/<int:uid>/p/<slug:s>/')
    expect(target.params).toEqual({ uid: 7, s: 'hello' })
  })

  it('percent-encodes values per segment: spaces, unicode, reserved characters', () => {
    expect(reverse('user', { name: 'Jane Doe' })).toBe('/users/Jane%20Doe/')
    expect(reverse('user', { name: 'zoë' })).toBe('/users/zo%C3%AB/')
    expect(reverse('user', { name: 'a?b#c%' })).toBe('/users/a%3Fb%23c%25/')
    expect(reverse('cafe')).toBe('/caf%C3%A9/')
  })

  it('keeps slashes in path converter values, encoding the rest', () => {
    expect(reverse('file', { rest: 'docs/my file.txt' })).toBe('/files/docs/my%20file.txt')
  })

  it('refuses a slash in a str value', () => {
    expect(refusal(() => reverse('user', { name: 'a/b' }))).toMatch(
      /does not match the str converter/
    )
  })

  it('passes values through toUrl, then checks the converter regex', () => {
    expect(reverse('archive', { y: 987 })).toBe('/archive/0987/')
    expect(refusal(() => reverse('archive', { y: 12345 }))).toMatch(/\[0-9\]\{4\}/)
    expect(reverse('api:notes:detail', { id: UUID.toUpperCase() })).toBe(`/api/notes/${UUID}/`)
    expect(refusal(() => reverse('api:notes:detail', { id: 'not-a-uuid' }))).toMatch(/uuid/)
  })

  it("refuses what the int converter's toUrl refuses", () => {
    expect(refusal(() => reverse('page', { n: 'abc' }))).toMatch(/refused n="abc"/)
    expect(refusal(() => reverse('page', { n: -1 }))).toMatch(/refused n=-1/)
    expect(refusal(() => reverse('page', { n: 1.5 }))).toMatch(/int converter/)
  })

  it('refuses missing and extra params, listing the expected ones', () => {
    const missing = refusal(() => reverse('api:u:post', { uid: 1 }))
    expect(missing).toMatch(/needs \{ uid: int, s: slug \}/)
    expect(missing).toMatch(/missing s/)
    const extra = refusal(() => reverse('page', { n: 1, m: 2 }))
    expect(extra).toMatch(/unexpected m/)
    expect(refusal(() => reverse('home', { id: 1 }))).toMatch(/takes no parameters/)
    expect(refusal(() => reverse('page'))).toMatch(/missing n/)
  })

  it('ignores params given as undefined', () => {
    expect(reverse('home', { id: undefined })).toBe('/')
  })

  it('refuses unknown names, suggesting close ones', () => {
    expect(refusal(() => reverse('api:notes:detial'))).toMatch(/Did you mean "api:notes:detail"/)
    expect(refusal(() => reverse('detail'))).toMatch(/"api:notes:detail"/)
    const far = refusal(() => reverse('zzzzzzzzzzzz'))
    expect(far).toMatch(/No route named "zzzzzzzzzzzz"/)
    expect(far).toMatch(/Named routes: "home"/)
    expect(refusal(() => new Resolver([] as readonly UrlEntry[]).reverse('x'))).toMatch(
      /pass \{ name \} to path\(\)/
    )
  })

  it('appends a query string', () => {
    expect(reverse('home', {}, { q: 'a b', page: '2' })).toBe('/?q=a+b&page=2')
    expect(reverse('page', { n: 1 }, new URLSearchParams([['x', 'é']]))).toBe('/page-1/?x=%C3%A9')
    expect(reverse('home', undefined, {})).toBe('/')
  })
})

describe('Resolver introspection', () => {
  it('lists every full pattern in declaration order for tried()', () => {
    const r = new Resolver([
      path('b/', v, { methods: ['GET'] }),
      include('x/<int:i>/', [path('a/', v), path('', v)]),
      path('b/', v, { methods: ['POST'] }),
      path('a/', v),
    ])
    expect(r.tried()).toEqual(['b/', 'x/<int:i>/a/', 'x/<int:i>/', 'a/'])
  })

  it('describes routes with qualified names, methods and middleware names', () => {
    const auth = defineMiddleware({ name: 'auth' })
    const r = new Resolver([
      include('api/', [path('n/', { GET: v }, { name: 'list', middleware: [timing as never] })], {
        namespace: 'api',
        middleware: [auth],
      }),
      path('ping/', v),
    ])
    expect(r.routes()).toEqual([
      {
        pattern: 'api/n/',
        name: 'api:list',
        methods: ['GET'],
        answers: ['GET', 'HEAD', 'OPTIONS'],
        middleware: ['auth', 'timing'],
      },
      {
        pattern: 'ping/',
        name: undefined,
        methods: ['GET'],
        answers: ['GET', 'HEAD', 'OPTIONS'],
        middleware: [],
      },
    ])
  })

  it('finds the error handlers of the includes a missed path falls under, deepest first', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((): ErrorHandler => () => undefined) as ErrorHandler[]
    const r = new Resolver([
      include(
        'api/',
        [
          include('users/<int:uid>/', [path('x/', v)], { errorHandler: b as ErrorHandler }),
          include('notes/', [path('x/', v)], { errorHandler: c as ErrorHandler }),
        ],
        { errorHandler: a as ErrorHandler }
      ),
      include('', [path('y/', v)], { errorHandler: d as ErrorHandler }),
    ])
    expect(r.errorHandlersFor('/api/users/5/nope/')).toEqual([b, a, d])
    expect(r.errorHandlersFor('/api/users/me/')).toEqual([a, d]) // "me" is not an int
    expect(r.errorHandlersFor('/api/notes/')).toEqual([c, a, d])
    expect(r.errorHandlersFor('/elsewhere/')).toEqual([d])
    expect(new Resolver([path('x/', v)]).errorHandlersFor('/nope/')).toEqual([])
  })

  it('tells whether the path with a slash appended would match, if appendSlash is on', () => {
    const conf = [path('notes/', v), path('notes/<int:id>/', v), path('raw', v)]
    const r = new Resolver(conf)
    expect(r.appendSlash).toBe(true)
    expect(r.hasTrailingSlashMatch('/notes')).toBe(true)
    expect(r.hasTrailingSlashMatch('/notes/5')).toBe(true)
    expect(r.hasTrailingSlashMatch('/notes/x')).toBe(false)
    expect(r.hasTrailingSlashMatch('/raw/')).toBe(false)
    expect(r.hasTrailingSlashMatch('/notes/')).toBe(false)
    expect(new Resolver(conf, { appendSlash: false }).hasTrailingSlashMatch('/notes')).toBe(false)
  })
})

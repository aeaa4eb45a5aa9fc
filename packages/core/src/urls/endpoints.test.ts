import { describe, expect, it } from 'vitest'
import type { ErrorHandler, Middleware } from '../middleware'
import type { Params } from '../request'
import { include, path, type UrlEntry } from './conf'
import { Resolver, type CompiledRoute, type Endpoint } from './resolver'

const v = (): null => null
const UUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'

function resolve(urls: readonly UrlEntry[], p: string): { ep: Endpoint | null; params: Params } {
  const target = { params: {} as Params }
  const ep = new Resolver(urls).match(p, target)
  return { ep, params: target.params }
}

function only(ep: Endpoint | null): CompiledRoute {
  const route = ep?.any ?? ep?.byMethod['GET']
  if (route === undefined) throw new Error('no route')
  return route
}

describe('Resolver.match: includes', () => {
  const mw = (name: string): Middleware => ({ name })
  const h = (name: string): ErrorHandler =>
    Object.defineProperty(() => undefined, 'name', { value: name })
  const [outer, middle, inner] = [h('outer'), h('middle'), h('inner')]
  const urls = [
    include(
      'api/',
      [
        include(
          'users/<int:uid>/',
          [
            include(
              'notes/',
              [
                path('<uuid:id>/', v, { name: 'detail', middleware: [mw('own')], bodyLimit: 1 }),
                path('', v, { name: 'list' }),
              ],
              {
                namespace: 'notes',
                middleware: [mw('inner')],
                errorHandler: inner,
              }
            ),
          ],
          { middleware: [mw('middle')], errorHandler: middle, bodyLimit: 50 }
        ),
      ],
      { namespace: 'api', middleware: [mw('outer')], errorHandler: outer, bodyLimit: 100 }
    ),
    path('plain/', v),
  ]

  it('joins prefixes and merges prefix params into the route params', () => {
    const { ep, params } = resolve(urls, `/api/users/7/notes/${UUID}/`)
    expect(ep?.pattern).toBe('api/users/<int:uid>/notes/<uuid:id>/')
    expect(params).toEqual({ uid: 7, id: UUID })
  })

  it('qualifies names through nested namespaces, skipping un-namespaced includes', () => {
    const route = only(resolve(urls, `/api/users/7/notes/${UUID}/`).ep)
    expect(route.name).toBe('detail')
    expect(route.namespace).toBe('api:notes')
    expect(route.qualifiedName).toBe('api:notes:detail')
    expect(only(resolve(urls, '/plain/').ep).qualifiedName).toBeUndefined()
  })

  it('nests three namespaces', () => {
    const deep = [
      include(
        'a/',
        [
          include(
            'b/',
            [include('c/', [path('<slug:s>/', v, { name: 'leaf' })], { namespace: 'c' })],
            { namespace: 'b' }
          ),
        ],
        { namespace: 'a' }
      ),
    ]
    const route = only(resolve(deep, '/a/b/c/x/').ep)
    expect(route.namespace).toBe('a:b:c')
    expect(route.qualifiedName).toBe('a:b:c:leaf')
    expect(new Resolver(deep).reverse('a:b:c:leaf', { s: 'x' })).toBe('/a/b/c/x/')
  })

  it('orders middleware outermost first and error handlers deepest first', () => {
    const route = only(resolve(urls, `/api/users/7/notes/${UUID}/`).ep)
    expect(route.middleware.map((m) => (m as { name: string }).name)).toEqual([
      'outer',
      'middle',
      'inner',
      'own',
    ])
    expect(route.errorHandlers).toEqual([inner, middle, outer])
  })

  it("takes the path's body limit, else the nearest include's", () => {
    expect(only(resolve(urls, `/api/users/7/notes/${UUID}/`).ep).bodyLimit).toBe(1)
    expect(only(resolve(urls, '/api/users/7/notes/').ep).bodyLimit).toBe(50)
    expect(only(resolve(urls, '/plain/').ep).bodyLimit).toBeUndefined()
  })
})

describe('Resolver.match: endpoints and methods', () => {
  const list = (): string => 'list'
  const create = (): string => 'create'
  const urls = [
    path('notes/', list, { methods: ['GET'], name: 'list' }),
    path('notes/', create, { methods: ['POST'], name: 'list' }),
    path('notes/<int:id>/', { GET: v, PUT: v, DELETE: v }),
    path('ping/', v, { methods: '*' }),
    path('head/', list, { methods: ['GET'] }),
    path('head/', create, { methods: ['HEAD'] }),
  ]

  it('merges routes with one pattern and disjoint methods into one endpoint', () => {
    const ep = resolve(urls, '/notes/').ep as Endpoint
    expect(ep.byMethod['GET']?.view).toBe(list)
    expect(ep.byMethod['POST']?.view).toBe(create)
    expect(ep.byMethod['DELETE']).toBeUndefined()
    expect(ep.any).toBeUndefined()
    expect(ep.allow).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST'])
  })

  it('answers HEAD with the GET route unless one declares HEAD', () => {
    const ep = resolve(urls, '/notes/').ep as Endpoint
    expect(ep.byMethod['HEAD']).toBe(ep.byMethod['GET'])
    const own = resolve(urls, '/head/').ep as Endpoint
    expect(own.byMethod['HEAD']?.view).toBe(create)
    expect(own.byMethod['GET']?.view).toBe(list)
    expect(own.allow).toEqual(['GET', 'HEAD', 'OPTIONS'])
  })

  it('lists a method map in Allow, sorted, with HEAD and OPTIONS', () => {
    expect(resolve(urls, '/notes/1/').ep?.allow).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PUT',
    ])
  })

  it('gives an any-method route the standard Allow list', () => {
    const ep = resolve(urls, '/ping/').ep as Endpoint
    expect(ep.any?.methods).toBeNull()
    expect(ep.allow).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])
  })

  it('has no prototype on byMethod, so client methods cannot reach Object members', () => {
    const ep = resolve(urls, '/notes/').ep as Endpoint
    expect(ep.byMethod['constructor']).toBeUndefined()
    expect(ep.byMethod['__proto__']).toBeUndefined()
    expect(ep.byMethod['toString']).toBeUndefined()
  })
})

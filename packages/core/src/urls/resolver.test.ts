import { describe, expect, it } from 'vitest'
import type { ErrorHandler, Middleware } from '../middleware'
import type { Params } from '../request'
import { include, path, type UrlEntry } from './conf'
import { registerConverter } from './converters'
import { Resolver, type CompiledRoute, type Endpoint } from './resolver'

registerConverter('even', {
  regex: '[0-9]+',
  toValue(raw) {
    const n = Number(raw)
    if (n % 2 !== 0) throw new RangeError('odd')
    return n
  },
  toUrl: String,
})

const v = (): null => null
const UUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'

function resolve(urls: readonly UrlEntry[], p: string): { ep: Endpoint | null; params: Params } {
  const target = { params: {} as Params }
  const ep = new Resolver(urls).match(p, target)
  return { ep, params: target.params }
}

/** Resolves against one resolver: the matched pattern and params, or null. */
function matcher(urls: readonly UrlEntry[]) {
  const resolver = new Resolver(urls)
  return (p: string): [string, Params] | null => {
    const target = { params: {} as Params }
    const ep = resolver.match(p, target)
    return ep === null ? null : [ep.pattern, target.params]
  }
}

function only(ep: Endpoint | null): CompiledRoute {
  const route = ep?.any ?? ep?.byMethod['GET']
  if (route === undefined) throw new Error('no route')
  return route
}

describe('Resolver.match: static and converters', () => {
  const m = matcher([
    path('', v),
    path('notes/', v),
    path('notes/new/', v),
    path('notes/<int:id>/', v),
    path('notes/<uuid:id>/edit/', v),
    path('tags/<slug:tag>/', v),
    path('users/<name>/', v),
    path('files/<path:rest>', v),
  ])

  it('matches static patterns by the whole path, leaving params alone', () => {
    const target = { params: { untouched: true } as Params }
    const ep = new Resolver([path('notes/', v)]).match('/notes/', target)
    expect(ep?.pattern).toBe('notes/')
    expect(target.params).toEqual({ untouched: true })
    expect(m('/')).toEqual(['', {}])
  })

  it('is exact about trailing slashes and empty segments', () => {
    expect(m('/notes')).toBeNull()
    expect(m('/notes//')).toBeNull()
    expect(m('/notes/5')).toBeNull()
    expect(m('//notes/5/')).toBeNull()
    expect(m('notes/5/')).toBeNull() // paths start with "/"
  })

  it('converts int parameters to numbers and rejects non-digits', () => {
    expect(m('/notes/42/')).toEqual(['notes/<int:id>/', { id: 42 }])
    expect(m('/notes/-1/')).toBeNull()
    expect(m('/notes/4.2/')).toBeNull()
  })

  it('matches uuid (lower case only), slug, str and path', () => {
    expect(m(`/notes/${UUID}/edit/`)).toEqual(['notes/<uuid:id>/edit/', { id: UUID }])
    expect(m(`/notes/${UUID.toUpperCase()}/edit/`)).toBeNull()
    expect(m('/tags/hello-world_2/')).toEqual(['tags/<slug:tag>/', { tag: 'hello-world_2' }])
    expect(m('/tags/héllo/')).toBeNull()
    expect(m('/users/Jane Doe/')).toEqual(['users/<name>/', { name: 'Jane Doe' }])
    expect(m('/users//')).toBeNull()
    expect(m('/files/a/b/c.txt')).toEqual(['files/<path:rest>', { rest: 'a/b/c.txt' }])
    expect(m('/files/dir/')).toEqual(['files/<path:rest>', { rest: 'dir/' }])
    expect(m('/files/')).toBeNull()
  })

  it('gives a fresh params object on every match', () => {
    const resolver = new Resolver([path('n/<int:id>/', v)])
    const a = { params: {} as Params }
    const b = { params: {} as Params }
    resolver.match('/n/1/', a)
    resolver.match('/n/2/', b)
    expect(a.params).toEqual({ id: 1 })
    expect(b.params).toEqual({ id: 2 })
    expect(a.params).not.toBe(b.params)
  })

  it('declines int values past the safe integer range', () => {
    expect(m('/notes/99999999999999999999/')).toBeNull()
  })
})

describe('Resolver.match: mixed segments and the path converter', () => {
  const m = matcher([
    path('page-<int:n>/', v),
    path('<int:a>-<int:b>/', v),
    path('export/<str:name>.json', v),
    path('raw/<path:rest>/edit/', v),
    path('dl/file-<path:p>', v),
  ])

  it('matches a converter with literal text around it', () => {
    expect(m('/page-3/')).toEqual(['page-<int:n>/', { n: 3 }])
    expect(m('/page-/')).toBeNull()
    expect(m('/page-x/')).toBeNull()
    expect(m('/export/report.v2.json')).toEqual(['export/<str:name>.json', { name: 'report.v2' }])
    expect(m('/export/.json')).toBeNull()
  })

  it('matches several converters in one segment', () => {
    expect(m('/10-20/')).toEqual(['<int:a>-<int:b>/', { a: 10, b: 20 }])
    expect(m('/10-/')).toBeNull()
  })

  it('matches a path converter followed by more pattern', () => {
    expect(m('/raw/a/b/edit/')).toEqual(['raw/<path:rest>/edit/', { rest: 'a/b' }])
    expect(m('/raw/edit/')).toBeNull()
    expect(m('/dl/file-x/y.zip')).toEqual(['dl/file-<path:p>', { p: 'x/y.zip' }])
  })

  it('matches a path converter after another parameter', () => {
    const m = matcher([path('<slug:a>/<path:rest>', v)])
    expect(m('/docs/guide/intro')).toEqual(['<slug:a>/<path:rest>', { a: 'docs', rest: 'guide/intro' }])
  })
})

describe('Resolver.match: priorities', () => {
  it('lets static segments beat parameters whatever the declaration order', () => {
    const m = matcher([path('notes/<slug:s>/', v), path('notes/new/', v), path('<str:x>/edit/', v), path('a/edit/', v)])
    expect(m('/notes/new/')).toEqual(['notes/new/', {}])
    expect(m('/notes/old/')).toEqual(['notes/<slug:s>/', { s: 'old' }])
    expect(m('/a/edit/')).toEqual(['a/edit/', {}])
    expect(m('/b/edit/')).toEqual(['<str:x>/edit/', { x: 'b' }])
  })

  it('backtracks from a static branch to parameters', () => {
    const m = matcher([path('a/b/c/', v), path('a/<str:x>/d/', v)])
    expect(m('/a/b/d/')).toEqual(['a/<str:x>/d/', { x: 'b' }])
  })

  it('tries parameters in declaration order, backtracking into later ones', () => {
    const m = matcher([path('<int:n>/x/', v), path('<slug:s>/y/', v), path('<str:z>/', v)])
    expect(m('/5/x/')).toEqual(['<int:n>/x/', { n: 5 }])
    expect(m('/5/y/')).toEqual(['<slug:s>/y/', { s: '5' }])
    expect(m('/5/')).toEqual(['<str:z>/', { z: '5' }])
  })

  it('treats a throwing toValue as "no match" and keeps trying', () => {
    const m = matcher([path('n/<even:e>/', v), path('n/<int:i>/', v), path('m/page-<even:e>/', v), path('m/<str:s>/', v)])
    expect(m('/n/4/')).toEqual(['n/<even:e>/', { e: 4 }])
    expect(m('/n/3/')).toEqual(['n/<int:i>/', { i: 3 }])
    expect(m('/m/page-2/')).toEqual(['m/page-<even:e>/', { e: 2 }])
    expect(m('/m/page-3/')).toEqual(['m/<str:s>/', { s: 'page-3' }])
  })

  it('does not leak params from a branch that failed', () => {
    const m = matcher([path('<int:a>/<int:b>/x/', v), path('<int:c>/<slug:d>/y/', v)])
    expect(m('/1/2/y/')).toEqual(['<int:c>/<slug:d>/y/', { c: 1, d: '2' }])
  })
})

describe('Resolver.match: includes', () => {
  const mw = (name: string): Middleware => ({ name })
  const h = (name: string): ErrorHandler => Object.defineProperty(() => undefined, 'name', { value: name })
  const [outer, middle, inner] = [h('outer'), h('middle'), h('inner')]
  const urls = [
    include(
      'api/',
      [
        include(
          'users/<int:uid>/',
          [
            include('notes/', [path('<uuid:id>/', v, { name: 'detail', middleware: [mw('own')], bodyLimit: 1 }), path('', v, { name: 'list' })], {
              namespace: 'notes',
              middleware: [mw('inner')],
              errorHandler: inner,
            }),
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

  it('orders middleware outermost first and error handlers deepest first', () => {
    const route = only(resolve(urls, `/api/users/7/notes/${UUID}/`).ep)
    expect(route.middleware.map((m) => (m as { name: string }).name)).toEqual(['outer', 'middle', 'inner', 'own'])
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
    path('ping/', v),
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
    expect(resolve(urls, '/notes/1/').ep?.allow).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT'])
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

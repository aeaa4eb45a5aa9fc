import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Params } from '../request'
import { setCodeGeneration } from './_codegen'
import { path, type UrlEntry } from './conf'
import { registerConverter } from './converters'
import { Resolver } from './resolver'

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

/** Resolves against one resolver: the matched pattern and params, or null. */
function matcher(urls: readonly UrlEntry[]) {
  const resolver = new Resolver(urls)
  return (p: string): [string, Params] | null => {
    const target = { params: {} as Params }
    const ep = resolver.match(p, target)
    return ep === null ? null : [ep.pattern, target.params]
  }
}

// Every case runs against the generated matcher and against the interpreter (`walk()`), the
// fallback on platforms that disallow code generation.
for (const generated of [true, false]) {
  describe(generated ? 'generated matcher' : 'interpreted matcher', () => {
    setCodeGeneration(generated) // resolvers built while collecting
    beforeAll(() => setCodeGeneration(generated)) // resolvers built inside tests
    afterAll(() => setCodeGeneration(true))

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

      it('finds static routes however many share a path length', () => {
        // 3 routes of one length are compared one by one, 12 of another go through the Map.
        const few = ['ab/', 'cd/', 'ef/']
        const many = Array.from({ length: 12 }, (_, i) => `x${String(i).padStart(2, '0')}/`)
        const resolver = new Resolver([...few, ...many].map((p) => path(p, v)))
        for (const p of [...few, ...many]) {
          expect(resolver.match(`/${p}`, { params: {} })?.pattern).toBe(p)
        }
        for (const miss of ['/ab', '/zz/', '/x12/', '/x0/', '/ab/c', '']) {
          expect(resolver.match(miss, { params: {} })).toBeNull()
        }
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
        expect(m('/notes/9007199254740992/')).toBeNull()
        expect(m('/notes/9007199254740991/')).toEqual([
          'notes/<int:id>/',
          { id: Number.MAX_SAFE_INTEGER },
        ])
      })

      it('reads int values of every length exactly, leading zeros included', () => {
        expect(m('/notes/007/')).toEqual(['notes/<int:id>/', { id: 7 }])
        expect(m('/notes/0/')).toEqual(['notes/<int:id>/', { id: 0 }])
        expect(m('/notes/999999999999999/')).toEqual(['notes/<int:id>/', { id: 999999999999999 }])
        expect(m('/notes/1234567890123456/')).toEqual(['notes/<int:id>/', { id: 1234567890123456 }])
        expect(m('/notes/12a/')).toBeNull()
        expect(m('/notes/1234567890123456a/')).toBeNull()
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
        expect(m('/export/report.v2.json')).toEqual([
          'export/<str:name>.json',
          { name: 'report.v2' },
        ])
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
        expect(m('/docs/guide/intro')).toEqual([
          '<slug:a>/<path:rest>',
          { a: 'docs', rest: 'guide/intro' },
        ])
      })
    })

    describe('Resolver.match: priorities', () => {
      it('lets static segments beat parameters whatever the declaration order', () => {
        const m = matcher([
          path('notes/<slug:s>/', v),
          path('notes/new/', v),
          path('<str:x>/edit/', v),
          path('a/edit/', v),
        ])
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
        const m = matcher([
          path('n/<even:e>/', v),
          path('n/<int:i>/', v),
          path('m/page-<even:e>/', v),
          path('m/<str:s>/', v),
        ])
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

    describe('Resolver.match: static chains', () => {
      const m = matcher([
        path('api/v1/users/<int:id>/', v),
        path('api/<str:version>/items/', v),
        path('user/<int:id>/', v),
        path('users/<int:id>/', v),
        path('café/<int:n>/', v),
        path('a/<int:x>/', v),
        path('a/<int:x>//', v),
      ])

      it('backtracks out of a merged static chain into parameters', () => {
        expect(m('/api/v1/users/3/')).toEqual(['api/v1/users/<int:id>/', { id: 3 }])
        expect(m('/api/v1/items/')).toEqual(['api/<str:version>/items/', { version: 'v1' }])
        expect(m('/api/v1/users/x/')).toBeNull()
      })

      it('matches static text by whole segments only', () => {
        expect(m('/user/1/')).toEqual(['user/<int:id>/', { id: 1 }])
        expect(m('/users/1/')).toEqual(['users/<int:id>/', { id: 1 }])
        expect(m('/use/1/')).toBeNull()
        expect(m('/userss/1/')).toBeNull()
      })

      it('matches decoded unicode and empty segments literally', () => {
        expect(m('/café/2/')).toEqual(['café/<int:n>/', { n: 2 }])
        expect(m('/a/1//')).toEqual(['a/<int:x>//', { x: 1 }])
        expect(m('/a/1///')).toBeNull()
      })
    })

    setCodeGeneration(true)
  })
}

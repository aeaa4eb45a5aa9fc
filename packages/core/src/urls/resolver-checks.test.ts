import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from '../codes'
import { include, path, type UrlEntry } from './conf'
import { registerConverter } from './converters'
import { Resolver } from './resolver'

registerConverter('hex', { regex: '[0-9a-f]+', toValue: String, toUrl: String })

const v = (): null => null

function startupError(urls: readonly UrlEntry[]): ImproperlyConfigured {
  try {
    new Resolver(urls)
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfigured)
    return error as ImproperlyConfigured
  }
  throw new Error('expected the URL conf to be refused')
}

function shadowed(urls: readonly UrlEntry[]): string {
  const error = startupError(urls)
  expect(error.code).toBe('ERR_SHADOWED_ROUTE')
  return error.message
}

describe('ERR_DUPLICATE_ROUTE', () => {
  it('reports two routes with the same pattern up to parameter names', () => {
    const error = startupError([path('n/<int:a>/', v), path('n/<int:b>/', v)])
    expect(error.code).toBe('ERR_DUPLICATE_ROUTE')
    expect(error.message).toContain('"n/<int:a>/"')
    expect(error.message).toContain('"n/<int:b>/"')
  })

  it('reports overlapping methods, naming them', () => {
    const error = startupError([
      path('n/', v, { methods: ['GET', 'POST'] }),
      path('n/', v, { methods: ['POST', 'PUT'] }),
    ])
    expect(error.code).toBe('ERR_DUPLICATE_ROUTE')
    expect(error.message).toMatch(/for POST\b/)
  })

  it('treats an any-method route as overlapping everything', () => {
    expect(startupError([path('n/', v), path('n/', v, { methods: ['GET'] })]).code).toBe(
      'ERR_DUPLICATE_ROUTE'
    )
  })

  it('compares full patterns, include prefixes joined', () => {
    const error = startupError([include('api/', [path('notes/', v)]), path('api/notes/', v)])
    expect(error.code).toBe('ERR_DUPLICATE_ROUTE')
    expect(error.message).toContain('"api/notes/"')
  })

  it('refuses one endpoint whose routes name the parameters differently', () => {
    const error = startupError([
      path('n/<int:a>/', v, { methods: ['GET'] }),
      path('n/<int:b>/', v, { methods: ['POST'] }),
    ])
    expect(error.code).toBe('ERR_DUPLICATE_ROUTE')
    expect(error.message).toMatch(/name its parameters differently/)
  })

  it('accepts the same pattern with disjoint methods', () => {
    expect(
      () =>
        new Resolver([path('n/', v, { methods: ['GET'] }), path('n/', v, { methods: ['POST'] })])
    ).not.toThrow()
  })
})

describe('ERR_SHADOWED_ROUTE', () => {
  it('reports a narrower converter after a broader one in the same place', () => {
    const message = shadowed([path('n/<str:s>/', v), path('n/<int:i>/', v)])
    expect(message).toContain('"n/<int:i>/"')
    expect(message).toContain('"n/<str:s>/" catches every path')
    shadowed([path('<slug:s>/', v), path('<int:i>/', v)])
    shadowed([path('<str:s>/', v), path('<uuid:u>/', v)])
    shadowed([path('<slug:s>/', v), path('<uuid:u>/', v)])
    shadowed([path('<str:s>/', v), path('<hex:h>/', v)])
    shadowed([path('<str:s>/', v), path('<slug:t>/', v)])
  })

  it('reports everything under a path converter', () => {
    shadowed([path('f/<path:p>', v), path('f/<int:i>/x/', v)])
    shadowed([path('f/<path:p>', v), path('f/<str:a>/<path:b>', v)])
    shadowed([path('<path:p>', v), path('<slug:s>/', v)])
  })

  it('reports mixed segments caught by str or by a broader mixed segment', () => {
    shadowed([path('<str:s>/', v), path('page-<int:n>/', v)])
    shadowed([path('page-<str:s>/', v), path('page-<int:n>/', v)])
  })

  it('follows the rest of the pattern, static segments included', () => {
    shadowed([path('<str:a>/<str:b>/', v), path('<int:x>/edit/', v)])
    shadowed([path('<str:a>/edit/', v), path('<int:x>/edit/', v)])
  })

  it('accepts narrower-first orders and routes that differ', () => {
    const ok = (urls: readonly UrlEntry[]): void => void new Resolver(urls)
    expect(() => ok([path('<int:i>/', v), path('<slug:s>/', v), path('<str:t>/', v)])).not.toThrow()
    expect(() => ok([path('<str:s>/x/', v), path('<int:i>/y/', v)])).not.toThrow()
    expect(() => ok([path('<str:s>/', v), path('new/', v)])).not.toThrow()
    expect(() =>
      ok([path('f/<path:p>', v), path('f/', v), path('f/raw/<int:i>/', v)])
    ).not.toThrow()
    expect(() => ok([path('<str:s>/', v), path('<int:i>', v)])).not.toThrow()
    expect(() => ok([path('<uuid:u>/', v), path('<int:i>/', v)])).not.toThrow()
    expect(() => ok([path('<hex:h>/', v), path('<int:i>/', v)])).not.toThrow()
    expect(() => ok([path('<int:a>-<int:b>/', v), path('<str:s>/', v)])).not.toThrow()
  })
})

describe('ERR_DUPLICATE_NAME', () => {
  it('reports two patterns with one qualified name', () => {
    const error = startupError([path('a/', v, { name: 'x' }), path('b/', v, { name: 'x' })])
    expect(error.code).toBe('ERR_DUPLICATE_NAME')
    expect(error.message).toContain('"x"')
    expect(error.message).toContain('"a/"')
    expect(error.message).toContain('"b/"')
  })

  it('qualifies names by namespace before comparing', () => {
    const urls = [
      include('a/', [path('', v, { name: 'list' })], { namespace: 'a' }),
      include('b/', [path('', v, { name: 'list' })], { namespace: 'b' }),
    ]
    expect(() => new Resolver(urls)).not.toThrow()
    const clash = [
      include('a/', [path('', v, { name: 'list' })], { namespace: 'a' }),
      include('b/', [path('', v, { name: 'list' })], { namespace: 'a' }),
    ]
    expect(startupError(clash).code).toBe('ERR_DUPLICATE_NAME')
  })

  it('allows one name across the method-split routes of one endpoint', () => {
    const urls = [
      path('n/', v, { name: 'list', methods: ['GET'] }),
      path('n/', v, { name: 'list', methods: ['POST'] }),
    ]
    expect(new Resolver(urls).reverse('list')).toBe('/n/')
  })
})

describe('pattern errors at startup', () => {
  it('reports a parameter name used by both an include prefix and a route', () => {
    const error = startupError([include('u/<int:id>/', [path('p/<int:id>/', v)])])
    expect(error.code).toBe('ERR_BAD_PATTERN')
    expect(error.message).toMatch(/"id" twice/)
  })

  it('reports unknown converters and leading slashes when the conf is built', () => {
    expect(() => path('x/<integer:id>/', v)).toThrow(/unknown converter "integer"/)
    expect(() => include('/api/', [])).toThrow(/Remove the leading slash/)
  })

  it('refuses a URL conf that is not an array', () => {
    expect(() => new Resolver(path('x/', v) as never)).toThrow(ImproperlyConfigured)
  })
})

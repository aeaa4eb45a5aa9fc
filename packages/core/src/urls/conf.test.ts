import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from '../codes'
import { HttpError } from '../errors'
import type { Middleware } from '../middleware'
import type { CycleRequest } from '../request'
import { View } from '../views'
import { defineUrls, include, path, type RouteView } from './conf'

const req = (method: string): CycleRequest => ({ method } as CycleRequest)

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfigured)
    return (error as ImproperlyConfigured).code
  }
  return undefined
}

describe('path()', () => {
  it('returns a route definition with its options', () => {
    const view = (): string => 'hi'
    const mw: Middleware = { name: 'mw' }
    const entry = path('notes/<int:id>/', view, {
      name: 'detail',
      middleware: [mw],
      bodyLimit: 10,
    })
    expect(entry).toEqual({
      kind: 'path',
      pattern: 'notes/<int:id>/',
      name: 'detail',
      view,
      methods: ['GET'],
      middleware: [mw],
      bodyLimit: 10,
    })
  })

  it("answers GET only for a plain function view, every method with methods: '*'", () => {
    expect(path('a/', () => 1).methods).toEqual(['GET'])
    expect(path('a/', () => 1, { methods: '*' }).methods).toBeNull()
    const dispatching = Object.assign(() => 1, { methods: ['GET', 'POST'] })
    expect(path('a/', dispatching).methods).toEqual(['GET', 'POST'])
    expect(() => path('a/', dispatching, { methods: '*' })).toThrow(/allows every method/)
  })

  it('upper-cases and de-duplicates methods', () => {
    expect(path('a/', () => 1, { methods: ['get', 'POST', 'GET'] }).methods).toEqual([
      'GET',
      'POST',
    ])
  })

  it('compiles a method map into one dispatching view', () => {
    const entry = path('notes/', { GET: () => 'list', POST: () => 'create' })
    expect(entry.methods).toEqual(['GET', 'POST'])
    expect(entry.view(req('GET'))).toBe('list')
    expect(entry.view(req('POST'))).toBe('create')
    expect(entry.view(req('HEAD'))).toBe('list') // HEAD falls back to GET
  })

  it('prefers an explicit HEAD handler and raises 405 for other methods', () => {
    const entry = path('notes/', { GET: () => 'get', HEAD: () => 'head' })
    expect(entry.view(req('HEAD'))).toBe('head')
    let thrown: unknown
    try {
      entry.view(req('DELETE'))
    } catch (e) {
      thrown = e
    }
    expect(HttpError.isHttpError(thrown)).toBe(true)
    expect((thrown as HttpError).status).toBe(405)
    expect((thrown as HttpError).headers['allow']).toBe('GET, HEAD')
  })

  it('reads the allowed methods from a view function with a static methods list', () => {
    class Notes extends View {
      get(): string {
        return 'get'
      }
      post(): string {
        return 'post'
      }
    }
    const entry = path('notes/', Notes.asView())
    expect(entry.methods).toEqual(['GET', 'POST', 'HEAD'])
    expect(entry.view(req('POST'))).toBe('post')
    const tagged = Object.assign(() => 'x', { methods: ['put'] })
    expect(path('x/', tagged).methods).toEqual(['PUT'])
  })

  it('lets options.methods narrow a view, but not widen it', () => {
    const entry = path('notes/', { GET: () => 1, POST: () => 2 }, { methods: ['GET', 'HEAD'] })
    expect(entry.methods).toEqual(['GET', 'HEAD'])
    expect(code(() => path('notes/', { GET: () => 1 }, { methods: ['DELETE'] }))).toBe(
      'ERR_BAD_OPTION'
    )
  })

  it('validates the pattern at definition time', () => {
    expect(code(() => path('/notes/', () => 1))).toBe('ERR_BAD_PATTERN')
    expect(code(() => path('<nope:x>/', () => 1))).toBe('ERR_UNKNOWN_CONVERTER')
  })

  it('refuses bad views', () => {
    expect(code(() => path('a/', null as unknown as RouteView))).toBe('ERR_BAD_VIEW')
    expect(code(() => path('a/', 'view' as unknown as RouteView))).toBe('ERR_BAD_VIEW')
    expect(code(() => path('a/', {}))).toBe('ERR_BAD_VIEW')
    expect(code(() => path('a/', { GET: 'x' } as unknown as RouteView))).toBe('ERR_BAD_VIEW')
  })

  it('refuses bad options', () => {
    const v = (): number => 1
    expect(code(() => path('a/', v, { name: '' }))).toBe('ERR_BAD_OPTION')
    expect(code(() => path('a/', v, { name: 'a:b' }))).toBe('ERR_BAD_OPTION')
    expect(code(() => path('a/', v, { methods: [] }))).toBe('ERR_BAD_OPTION')
    expect(code(() => path('a/', v, { methods: ['GE T'] }))).toBe('ERR_BAD_OPTION')
    expect(code(() => path('a/', v, { bodyLimit: -1 }))).toBe('ERR_BAD_OPTION')
    expect(code(() => path('a/', v, { bodyLimit: Number.NaN }))).toBe('ERR_BAD_OPTION')
    const notArray = { middleware: {} as unknown as Middleware[] }
    expect(code(() => path('a/', v, notArray))).toBe('ERR_BAD_OPTION')
  })
})

describe('include()', () => {
  it('returns an include definition with its options', () => {
    const child = path('x/', () => 1)
    const errorHandler = (): undefined => undefined
    const entry = include('api/<int:v>/', [child], { namespace: 'api', errorHandler, bodyLimit: 5 })
    expect(entry).toEqual({
      kind: 'include',
      prefix: 'api/<int:v>/',
      namespace: 'api',
      children: [child],
      middleware: [],
      errorHandler,
      bodyLimit: 5,
    })
  })

  it('refuses a bad prefix, bad children and bad options', () => {
    const child = path('x/', () => 1)
    expect(code(() => include('/api/', [child]))).toBe('ERR_BAD_PATTERN')
    expect(code(() => include('api/<int:v', [child]))).toBe('ERR_BAD_PATTERN')
    expect(code(() => include('api/', child as never))).toBe('ERR_BAD_OPTION')
    expect(code(() => include('api/', [{}] as never))).toBe('ERR_BAD_OPTION')
    expect(code(() => include('api/', [child], { namespace: 'a:b' }))).toBe('ERR_BAD_OPTION')
    expect(code(() => include('api/', [child], { errorHandler: 1 as never }))).toBe(
      'ERR_BAD_OPTION'
    )
  })
})

describe('defineUrls()', () => {
  it('returns the same path and include at runtime', () => {
    const urls = defineUrls<{ user: string }>()
    expect(urls.include).toBe(include)
    const entry = urls.path('me/', (request) => request.state.user, { name: 'me' })
    expect(entry.name).toBe('me')
    expect(entry.pattern).toBe('me/')
  })
})

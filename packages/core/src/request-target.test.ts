import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { normalizeHost } from './hosts'
import { json, text } from './response'
import { path } from './urls/conf'
import { WebRequest } from './web-request'

/** A request whose URL string is taken as is: `new Request()` would resolve dot segments. */
const raw = (url: string, method = 'GET', headers: HeadersInit = {}): WebRequest =>
  new WebRequest({ url, method, headers: new Headers(headers) } as unknown as Request)

const echo = (request: { path: string; rawPath: string; params: unknown }) =>
  json({ path: request.path, rawPath: request.rawPath, params: request.params })

const app = createApp({
  urls: [
    path('api/me', () => text('me'), { name: 'me' }),
    path('files/<path:rest>', echo, { name: 'file' }),
    path('users/<name>/', echo, { name: 'user' }),
    path('docs/', () => text('docs')),
    path('.well-known/<str:what>', echo),
    path('any', () => text('any'), { methods: '*' }),
    path('forms', { POST: () => text('posted'), PUT: () => text('put') }),
  ],
})

/** The app's answer to a raw request, as a WHATWG `Response`. */
const send = async (url: string, method = 'GET'): Promise<Response> =>
  (await app.handle(raw(url, method))).toResponse(method === 'HEAD')

const body = async (url: string): Promise<unknown> => (await send(url)).json()

describe('an encoded slash is never a separator', () => {
  it('keeps %2F (either case) encoded in request.path and decodes everything else', () => {
    const r = raw('http://a.test/files/a%2fb%20c/d%C3%A9')
    expect(r.path).toBe('/files/a%2Fb c/dé')
    expect(r.rawPath).toBe('/files/a%2fb%20c/d%C3%A9')
  })

  it('does not route /api%2Fme as /api/me: 404', async () => {
    for (const url of ['http://a.test/api%2Fme', 'http://a.test/api%2fme']) {
      const res = await send(url)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
    expect((await send('http://a.test/api/me')).status).toBe(200)
  })

  it('shows the encoded form to <path:…> and <str> parameters', async () => {
    expect(await body('http://a.test/files/a%2Fb/c')).toEqual({
      path: '/files/a%2Fb/c',
      rawPath: '/files/a%2Fb/c',
      params: { rest: 'a%2Fb/c' },
    })
    expect(await body('http://a.test/users/feature%2Fx/')).toMatchObject({
      params: { name: 'feature%2Fx' },
    })
  })

  it('still decodes %25, so a literal "%2F" text (%252F) round-trips through reverse()', async () => {
    const url = app.reverse('file', { rest: 'a%2Fb/c' })
    expect(url).toBe('/files/a%252Fb/c')
    expect(await body(`http://a.test${url}`)).toMatchObject({ params: { rest: 'a%2Fb/c' } })
    const slash = app.reverse('file', { rest: 'a/b' })
    expect(await body(`http://a.test${slash}`)).toMatchObject({ params: { rest: 'a/b' } })
  })

  it('APPEND_SLASH redirects with the encoded form kept', async () => {
    const res = await send('http://a.test/users/a%2Fb?x=1')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/users/a%2Fb/?x=1')
  })

  it('still answers malformed percent-encoding around %2F with a 400', async () => {
    expect((await send('http://a.test/files/a%2%2Fb')).status).toBe(400)
  })
})

describe('dot segments are refused', () => {
  it.each([
    ['/files/../api/me'],
    ['/files/./x'],
    ['/files/x/..'],
    ['/files/%2E%2E/api/me'],
    ['/files/%2e/x'],
    ['/files/.%2E/x'],
    ['/..'],
  ])('GET %s is a 400 problem', async (p) => {
    const res = await send(`http://a.test${p}`)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(((await res.json()) as { detail: string }).detail).toMatch(/"\." or "\.\." segment/)
  })

  it('lets dots that are not whole segments through', async () => {
    expect(await body('http://a.test/files/.env/a..b/...')).toMatchObject({
      params: { rest: '.env/a..b/...' },
    })
    expect(await body('http://a.test/.well-known/x.json')).toMatchObject({
      params: { what: 'x.json' },
    })
  })

  it('keeps ..%2F inside one segment (not a dot segment; visible as such to <path:…>)', async () => {
    expect(await body('http://a.test/files/..%2F..%2Fetc')).toMatchObject({
      params: { rest: '..%2F..%2Fetc' },
    })
  })

  it('reverse() refuses values that would make a dot segment', () => {
    expect(() => app.reverse('file', { rest: 'a/../b' })).toThrowError(/no request can carry/)
    expect(() => app.reverse('user', { name: '..' })).toThrowError(/no request can carry/)
    expect(app.reverse('user', { name: '...' })).toBe('/users/.../')
  })

  it('a pattern with a dot segment is refused at startup', () => {
    expect(() => createApp({ urls: [path('a/../b', () => text('x'))] })).toThrowError(
      /"\.\." segment/
    )
  })
})

describe('the asterisk-form target', () => {
  it('OPTIONS * answers 204 with every method the app answers, no body', async () => {
    const res = await send('http://a.test*', 'OPTIONS')
    expect(res.status).toBe(204)
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT')
    expect(await res.text()).toBe('')
    const small = createApp({ urls: [path('x', { GET: () => text('x'), POST: () => text('y') })] })
    const r = await small.handle(raw('http://a.test*', 'OPTIONS'))
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST')
  })

  it('runs the request and response middlewares, as for any request', async () => {
    const seen: string[] = []
    const mw = createApp({
      middleware: [
        {
          request: (r) => void seen.push(`in ${r.method} ${r.target}`),
          response: (_r, res) => void seen.push(`out ${res.status}`),
        },
      ],
      urls: [path('x', () => text('x'))],
    })
    expect((await mw.handle(raw('http://a.test*', 'OPTIONS'))).status).toBe(204)
    expect(seen).toEqual(['in OPTIONS *', 'out 204'])
  })

  it.each(['GET', 'POST', 'HEAD'])('%s * is a 400 problem', async (method) => {
    const res = await send('http://a.test*', method)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })

  it('WebRequest reads workerd\'s "http://host*" as the * target on that host', () => {
    const r = raw('http://a.test:8080*', 'OPTIONS')
    expect([r.target, r.host, r.path]).toEqual(['*', 'a.test:8080', '*'])
  })
})

describe('Host ports', () => {
  it.each([
    ['a.test:99999'],
    ['a.test:65536'],
    ['a.test:000080'],
    ['a.test:'],
    ['a.test:8o'],
    ['[::1]:70000'],
    ['[::1]:'],
  ])('%s is malformed', (host) => {
    expect(normalizeHost(host)).toBeNull()
  })

  it.each([
    ['a.test:65535', 'a.test'],
    ['a.test:1', 'a.test'],
    ['[::1]:8080', '[::1]'],
    ['A.Test.', 'a.test'],
  ])('%s is %s', (host, name) => {
    expect(normalizeHost(host)).toBe(name)
  })

  it('the app refuses a Host with an invalid port with a 400', async () => {
    const res = await send('http://a.test:99999/api/me')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/Host header is malformed/)
  })
})

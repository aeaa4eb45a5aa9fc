import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { BadRequest, Forbidden, HttpError } from './errors'
import { json, text } from './response'
import { include, path } from './urls/conf'
import { View } from './views'
import { WebRequest } from './web-request'
import type { CycleRequest } from './request'
import type { Middleware } from './middleware'

const get = (app: ReturnType<typeof createApp>, url: string, init?: RequestInit) =>
  app.fetch(new Request(`http://localhost${url}`, init))

describe('URL resolution through the app', () => {
  const app = createApp({
    urls: [
      path('', () => text('home'), { name: 'home' }),
      path('notes/', () => json([]), { name: 'list', methods: ['GET'] }),
      path('notes/', () => json({ created: true }, 201), { name: 'create', methods: ['POST'] }),
      path('notes/<int:id>/', (req) => json({ id: req.params.id, type: typeof req.params.id }), {
        name: 'detail',
      }),
      path('only-post/', () => text('posted'), { methods: ['POST'] }),
    ],
  })

  it('matches and converts params', async () => {
    const res = await get(app, '/notes/42/')
    expect(await res.json()).toEqual({ id: 42, type: 'number' })
  })

  it('404 is a problem document', async () => {
    const res = await get(app, '/nope/')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 })
  })

  it('405 carries Allow', async () => {
    const res = await get(app, '/only-post/')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('OPTIONS, POST')
  })

  it('merges methods of the same pattern', async () => {
    expect((await get(app, '/notes/', { method: 'POST' })).status).toBe(201)
    const put = await get(app, '/notes/', { method: 'PUT' })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST')
  })

  it('HEAD is answered from GET without a body', async () => {
    const res = await get(app, '/notes/7/', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(await res.text()).toBe('')
  })

  it('OPTIONS is answered with Allow', async () => {
    const res = await get(app, '/notes/', { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST')
  })

  it('APPEND_SLASH redirects GET with 301 and keeps the query', async () => {
    const res = await get(app, '/notes/5?x=1', { redirect: 'manual' })
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/notes/5/?x=1')
  })

  it('never redirects unsafe methods', async () => {
    const res = await get(app, '/notes', { method: 'POST' })
    expect(res.status).toBe(404)
  })

  it('never redirects to a protocol-relative URL', async () => {
    const app2 = createApp({ urls: [path('<path:rest>/', () => text('x'))] })
    const res = await app2.handle(new WebRequest(new Request('http://localhost//evil.com')))
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/%2Fevil.com/')
  })

  it('malformed percent-encoding is a 400, not a 500', async () => {
    const res = await get(app, '/notes/%E0%A4%A/')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ status: 400, title: 'Bad Request' })
  })

  it('request.route is set like resolver_match', async () => {
    let seen: CycleRequest['route'] = null
    const app2 = createApp({
      urls: [include('api/', [path('n/<int:id>/', (r) => ((seen = r.route), text('ok')), { name: 'd' })], { namespace: 'api' })],
    })
    await get(app2, '/api/n/1/')
    expect(seen).toMatchObject({ pattern: 'api/n/<int:id>/', name: 'd', namespace: 'api', qualifiedName: 'api:d' })
  })
})

describe('views', () => {
  it('plain data becomes JSON', async () => {
    const app = createApp({ urls: [path('x/', () => ({ a: 1 }))] })
    const res = await get(app, '/x/')
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({ a: 1 })
  })

  it('a WHATWG Response passes through', async () => {
    const app = createApp({ urls: [path('x/', () => new Response('raw', { status: 202 }))] })
    const res = await get(app, '/x/')
    expect(res.status).toBe(202)
    expect(await res.text()).toBe('raw')
  })

  it('a view returning nothing is a 500 saying what to fix (debug)', async () => {
    const app = createApp({ debug: true, urls: [path('x/', () => undefined, { name: 'oops' })] })
    const res = await get(app, '/x/')
    expect(res.status).toBe(500)
    expect((await res.json()).detail).toContain(`The view for "oops" didn't return a response. Did you forget to return?`)
  })

  it('class-based views dispatch by method and answer 405 with Allow for the rest', async () => {
    class Note extends View {
      get(req: CycleRequest) {
        return { method: req.method }
      }
      delete() {
        return text('', 204)
      }
    }
    const app = createApp({ urls: [path('n/', Note.asView())] })
    expect(await (await get(app, '/n/')).json()).toEqual({ method: 'GET' })
    expect((await get(app, '/n/', { method: 'DELETE' })).status).toBe(204)
    const post = await get(app, '/n/', { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS')
    expect((await get(app, '/n/', { method: 'HEAD' })).status).toBe(200)
  })
})

describe('errors', () => {
  it('HttpError keeps status and headers', async () => {
    const app = createApp({
      urls: [path('x/', () => { throw new HttpError(429, { headers: { 'retry-after': '3' }, detail: 'slow down' }) })],
    })
    const res = await get(app, '/x/')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(await res.json()).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down' })
  })

  it('renders HTML when the client prefers it', async () => {
    const app = createApp({ urls: [path('x/', () => { throw new Forbidden('<nope>') })] })
    const res = await get(app, '/x/', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const body = await res.text()
    expect(body).toContain('403 Forbidden')
    expect(body).toContain('&lt;nope&gt;')
  })

  it('debug mode shows the stack, the patterns tried and the middleware path', async () => {
    const app = createApp({
      debug: true,
      middleware: [{ name: 'audit', request: () => undefined }],
      urls: [path('a/', () => text('a')), path('b/<int:id>/', () => text('b'))],
    })
    const res = await get(app, '/zzz/', { headers: { accept: 'text/html' } })
    const body = await res.text()
    expect(body).toContain('URL patterns tried')
    expect(body).toContain('b/&lt;int:id&gt;/')
    expect(body).toContain('audit')
    expect(body).toContain('Traceback')
  })

  it('outside debug mode a 500 leaks nothing', async () => {
    const app = createApp({ urls: [path('x/', () => { throw new Error('password=hunter2') })] })
    const html = await (await get(app, '/x/', { headers: { accept: 'text/html' } })).text()
    expect(html).not.toContain('hunter2')
    expect(html).not.toContain('Traceback')
  })

  it('error handlers follow the URL tree: deepest include first, then the app', async () => {
    const app = createApp({
      errorHandler: (_req, _e, status) => text(`app handler ${status}`, status),
      urls: [
        include('api/', [path('boom/', () => { throw new Error('x') })], {
          errorHandler: (_req, _e, status) => (status === 404 ? json({ api404: true }, 404) : undefined),
        }),
        path('boom/', () => { throw new BadRequest() }),
      ],
    })
    expect(await (await get(app, '/api/missing/')).json()).toEqual({ api404: true })
    expect(await (await get(app, '/api/boom/')).text()).toBe('app handler 500')
    expect(await (await get(app, '/boom/')).text()).toBe('app handler 400')
    expect(await (await get(app, '/nowhere/')).text()).toBe('app handler 404')
  })

  it('data that cannot be serialized becomes a clean 500', async () => {
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    const app = createApp({ urls: [path('x/', () => cyclic)] })
    const res = await get(app, '/x/')
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ status: 500 })
  })
})

describe('allowedHosts', () => {
  const app = createApp({ allowedHosts: ['localhost', '.example.com'], urls: [path('', () => text('hi'))] })
  const withHost = (host: string | null) => {
    const headers = new Headers()
    if (host !== null) headers.set('host', host)
    return app.handle(new WebRequest(new Request('http://localhost/', { headers })))
  }
  it('accepts listed hosts, with ports and subdomains', async () => {
    expect((await withHost('localhost:3000')).status).toBe(200)
    expect((await withHost('api.example.com')).status).toBe(200)
    expect((await withHost('example.com')).status).toBe(200)
  })
  it('rejects other hosts with 400 before any user code', async () => {
    let ran = false
    const guarded = createApp({
      allowedHosts: ['localhost'],
      middleware: [{ request: () => void (ran = true) }],
      urls: [path('', () => text('hi'))],
    })
    const res = await guarded.handle(
      new WebRequest(new Request('http://localhost/', { headers: { host: 'evil.com' } }))
    )
    expect(res.status).toBe(400)
    expect(ran).toBe(false)
    expect((await withHost('notexample.com')).status).toBe(400)
  })
  it('rejects malformed Host headers', async () => {
    expect((await withHost('bad host')).status).toBe(400)
    expect((await withHost('a/b')).status).toBe(400)
  })
})

describe('observability', () => {
  it('emits requestStarted, requestException and requestFinished', async () => {
    const app = createApp({ urls: [path('x/', () => { throw new Error('e') })] })
    const events: string[] = []
    app.on('requestStarted', (r) => events.push(`start ${r.method}`))
    app.on('requestException', (_r, e) => events.push(`exception ${(e as Error).message}`))
    const off = app.on('requestFinished', (_r, res) => events.push(`finish ${res.status}`))
    await get(app, '/x/')
    off()
    await get(app, '/x/')
    expect(events).toEqual(['start GET', 'exception e', 'finish 500', 'start GET', 'exception e'])
  })

  it('a throwing listener never breaks the cycle', async () => {
    const app = createApp({ urls: [path('x/', () => text('ok'))] })
    app.on('requestStarted', () => { throw new Error('observer bug') })
    expect((await get(app, '/x/')).status).toBe(200)
  })

  it('tracing records every phase and can send Server-Timing', async () => {
    const app = createApp({
      trace: true,
      serverTiming: true,
      middleware: [{ name: 'auth', request: () => undefined, response: () => undefined }],
      urls: [path('x/<int:id>/', () => text('ok'), { name: 'x' })],
    })
    const req = new WebRequest(new Request('http://localhost/x/1/'))
    const res = await app.handle(req)
    expect(req.trace?.map((t) => `${t.phase}:${t.name}:${t.outcome}`)).toEqual([
      'request:auth:next',
      'resolve:x/<int:id>/:match',
      'view:x:returned 200',
      'response:auth:kept',
    ])
    expect(res.headers.get('server-timing')).toMatch(/^0-request-auth;dur=[0-9.]+, 1-resolve/)
  })

  it('tracing is off by default', async () => {
    const app = createApp({ urls: [path('x/', () => text('ok'))] })
    const req = new WebRequest(new Request('http://localhost/x/'))
    await app.handle(req)
    expect(req.trace).toBeUndefined()
  })

  it('describe() lists each middleware under the phases it has, and what routes answer', () => {
    const app = createApp({
      middleware: [
        async function timing(_req, next) {
          return next()
        },
        { name: 'requestId', request: () => undefined, response: () => undefined },
        { name: 'auth', request: () => undefined, exception: () => undefined },
        { name: 'format', render: () => undefined },
      ],
      urls: [
        path('notes/<uuid:id>/', () => text(''), { name: 'detail' }),
        path('notes/', { GET: () => text(''), POST: () => text('') }, { name: 'list' }),
        path('hook/', () => text(''), { methods: '*', name: 'hook' }),
      ],
    })
    expect(app.describe()).toBe(
      [
        'Middleware',
        '  around    timing',
        '  request   requestId → auth',
        '  view      (none)',
        '  render    format',
        '  exception auth',
        '  response  requestId',
        'Routes',
        '  GET,HEAD,OPTIONS         /notes/<uuid:id>/  detail',
        '  GET,HEAD,OPTIONS,POST    /notes/            list',
        '  *                        /hook/             hook',
      ].join('\n')
    )
  })

  it('Allow tells the truth: a function view answers GET, HEAD and OPTIONS unless told otherwise', async () => {
    const app = createApp({
      urls: [path('list/', () => [1, 2]), path('any/', (req) => text(req.method), { methods: '*' })],
    })
    const del = await app.fetch(new Request('http://localhost/list/', { method: 'DELETE' }))
    expect(del.status).toBe(405)
    expect(del.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    const options = await app.fetch(new Request('http://localhost/list/', { method: 'OPTIONS' }))
    expect(options.status).toBe(204)
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    const head = await app.fetch(new Request('http://localhost/list/', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await (await app.fetch(new Request('http://localhost/any/', { method: 'DELETE' }))).text()).toBe('DELETE')
  })

  it('validates route-scoped middleware when the app is created', () => {
    const urls = [path('x/', () => text(''), { middleware: [{ name: 'empty' } as Middleware] })]
    expect(() => createApp({ urls })).toThrow(/Middleware "empty" of path\("x\/"\) has no hook/)
    const included = [include('api/', [path('x/', () => text(''))], { middleware: [42 as unknown as Middleware] })]
    expect(() => createApp({ urls: included })).toThrow(/is number; expected a function/)
  })
})

describe('reverse and shutdown', () => {
  it('app.reverse() and request.reverse() use the app\'s own URL conf', async () => {
    const conf = (prefix: string) => [
      include(prefix, [path('notes/<int:id>/', (req) => text(req.reverse('api:detail', { id: 6 })), { name: 'detail' })], {
        namespace: 'api',
      }),
    ]
    const first = createApp({ urls: conf('api/') })
    // A second app built later must not change what the first one answers (no "last app" global).
    const second = createApp({ urls: conf('v2/') })
    expect(first.reverse('api:detail', { id: 5 })).toBe('/api/notes/5/')
    expect(second.reverse('api:detail', { id: 5 })).toBe('/v2/notes/5/')
    expect(await (await first.fetch(new Request('http://localhost/api/notes/1/'))).text()).toBe('/api/notes/6/')
    expect(await (await second.fetch(new Request('http://localhost/v2/notes/1/'))).text()).toBe('/v2/notes/6/')
  })

  it('request.reverse() outside an app is a clear error', () => {
    const req = new WebRequest(new Request('http://localhost/'))
    const reverse = req.reverse.bind(req) as (name: string) => string
    expect(() => reverse('api:detail')).toThrow(/no app is handling/)
  })

  it('close() runs shutdown hooks last-registered first and reports failures', async () => {
    const app = createApp({ urls: [] })
    const order: string[] = []
    app.onClose(() => void order.push('db'))
    app.onClose(async () => void order.push('cache'))
    await app.close()
    expect(order).toEqual(['cache', 'db'])
    app.onClose(() => { throw new Error('bad hook') })
    await expect(app.close()).rejects.toThrow('Some shutdown hooks failed.')
  })

  it('body limit from the app and per route', async () => {
    const app = createApp({
      bodyLimit: 10,
      urls: [
        path('small/', async (r) => text(await r.text()), { methods: ['POST'] }),
        path('big/', async (r) => text(await r.text()), { methods: ['POST'], bodyLimit: 100 }),
      ],
    })
    const body = 'x'.repeat(50)
    expect((await get(app, '/small/', { method: 'POST', body })).status).toBe(413)
    expect((await get(app, '/big/', { method: 'POST', body })).status).toBe(200)
  })
})

describe('introspection', () => {
  const app = createApp({
    urls: [
      include(
        'api/',
        [
          path('notes/<int:id>/', { GET: () => text(''), DELETE: () => text('') }, { name: 'detail' }),
          path('ping/', () => text('pong')),
        ],
        { namespace: 'api' }
      ),
    ],
  })

  it('resolve() says what a path and method would match, with converted params', () => {
    const hit = app.resolve('/api/notes/7/')
    expect(hit?.params).toEqual({ id: 7 })
    expect(hit?.route).toMatchObject({
      pattern: 'api/notes/<int:id>/',
      name: 'detail',
      namespace: 'api',
      qualifiedName: 'api:detail',
      methods: ['GET', 'DELETE'],
    })
    expect(app.resolve('/api/notes/7/', 'delete')?.route.qualifiedName).toBe('api:detail')
    expect(app.resolve('/api/ping/', 'HEAD')?.route.pattern).toBe('api/ping/')
    expect(app.resolve('/api/ping/')?.params).toEqual({})
    // A route without parameters answers with one frozen object, made at startup.
    expect(app.resolve('/api/ping/')).toBe(app.resolve('/api/ping/'))
    expect(Object.isFrozen(app.resolve('/api/ping/'))).toBe(true)
    expect(app.resolve('/api/ping/', 'POST')).toBeNull() // a 405: no route answers the method
    expect(app.resolve('/api/notes/x/')).toBeNull() // the int converter refuses "x"
  })

  it('routes() lists every route with the methods it answers', () => {
    expect(app.routes().map((r) => [r.name, r.answers])).toEqual([
      ['api:detail', ['DELETE', 'GET', 'HEAD', 'OPTIONS']],
      [undefined, ['GET', 'HEAD', 'OPTIONS']],
    ])
  })
})

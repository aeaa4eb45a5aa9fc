import {
  CycleResponse,
  createApp,
  html,
  include,
  json,
  path,
  stream,
  text,
  type HookMiddleware,
} from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { format } from './format'
import { addMeta, withMeta } from './meta'
import type { FormatOptions } from './options'
import { markRaw, raw } from './raw'

function appWith(options?: FormatOptions, extra: HookMiddleware[] = []) {
  return createApp({
    middleware: [format(options), ...extra],
    urls: [
      path('notes/', () => [{ id: 1, title: 'First' }], { methods: ['GET'] }),
      path('notes/', () => json({ id: 2 }, 201), { methods: ['POST'] }),
      path('one/', () => json({ id: 1 })),
      path('meta/', (req) => {
        addMeta(req, { requestMeta: true })
        return withMeta([1, 2], { page: 1, total: 2 })
      }),
      path('text/', () => text('plain body')),
      path('page/', () => html('<p>hi</p>')),
      path(
        'bytes/',
        () =>
          new CycleResponse(new Uint8Array([1, 2]), {
            headers: { 'content-type': 'application/octet-stream' },
          })
      ),
      path('stream/', () =>
        stream(
          (async function* () {
            yield 'a'
            yield 'b'
          })()
        )
      ),
      path('web/', () => new Response('from fetch', { headers: { 'content-type': 'text/plain' } })),
      path('empty/', () => new CycleResponse(null, { status: 204 })),
      path('vendor/', () => {
        const res = json({ jsonapi: true })
        res.headers.set('content-type', 'application/vnd.api+json')
        return res
      }),
      path('big/', () => ({
        id: 2n ** 70n,
        at: new Date(0),
        tags: new Set(['a']),
        map: new Map([['k', 1]]),
        bytes: new Uint8Array([7]),
      })),
      path('xss/', () => ({ '<script>': '<img src=x onerror=alert(1)>', list: [{ a: '"&\'' }] })),
      path('raw/', () => json({ raw: true }), { middleware: [raw()] }),
      path('flagged/', () => markRaw(json({ flagged: true }))),
      include('legacy/', [path('x/', () => ({ legacy: true }))], { middleware: [raw()] }),
    ],
  })
}

const get = (app: ReturnType<typeof appWith>, url: string, init?: RequestInit) =>
  app.fetch(new Request(`http://localhost${url}`, init))

describe('success envelope', () => {
  const app = appWith()

  it('wraps plain view data in { data, meta } as JSON with Vary: Accept', async () => {
    const res = await get(app, '/notes/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('vary')).toBe('Accept')
    expect(await res.text()).toBe('{"data":[{"id":1,"title":"First"}],"meta":{}}')
  })

  it('wraps json() responses and keeps their status', async () => {
    const res = await get(app, '/notes/', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ data: { id: 2 }, meta: {} })
  })

  it('merges the meta option, addMeta() and withMeta(), later ones winning', async () => {
    const withOption = appWith({ meta: (req) => ({ path: req.path, page: 0 }) })
    const res = await get(withOption, '/meta/')
    expect(await res.json()).toEqual({
      data: [1, 2],
      meta: { path: '/meta/', page: 1, requestMeta: true, total: 2 },
    })
  })

  it('addMeta() merges later calls into a new object, never into the one it was given', async () => {
    const shared = Object.freeze({ version: 1 })
    const merging = createApp({
      middleware: [format()],
      urls: [
        path('twice/', (req) => {
          addMeta(req, shared)
          addMeta(req, { page: 2 })
          return [1]
        }),
        path('once/', (req) => {
          addMeta(req, shared)
          return [2]
        }),
      ],
    })
    const twice = await merging.fetch(new Request('http://localhost/twice/'))
    expect(await twice.json()).toEqual({ data: [1], meta: { version: 1, page: 2 } })
    const once = await merging.fetch(new Request('http://localhost/once/'))
    expect(await once.json()).toEqual({ data: [2], meta: { version: 1 } })
    expect(shared).toEqual({ version: 1 })
  })

  it('takes a custom envelope function, or none', async () => {
    const custom = appWith({
      envelope: (data, meta, req) => ({ result: data, info: meta, method: req.method }),
    })
    expect(await (await get(custom, '/one/')).json()).toEqual({
      result: { id: 1 },
      info: {},
      method: 'GET',
    })
    const bare = appWith({ envelope: false })
    expect(await (await get(bare, '/one/')).json()).toEqual({ id: 1 })
    expect(await (await get(bare, '/meta/')).json()).toEqual([1, 2])
  })

  it('serializes BigInt, Date, Set, Map and typed arrays', async () => {
    const res = await get(app, '/big/')
    expect(await res.json()).toEqual({
      data: {
        id: '1180591620717411303424',
        at: '1970-01-01T00:00:00.000Z',
        tags: ['a'],
        map: { k: 1 },
        bytes: [7],
      },
      meta: {},
    })
  })

  it('pretty-prints on ?pretty (not ?pretty=0) and with pretty: true; never with pretty: false', async () => {
    expect(await (await get(app, '/one/?pretty')).text()).toBe(
      '{\n  "data": {\n    "id": 1\n  },\n  "meta": {}\n}'
    )
    expect(await (await get(app, '/one/?pretty=0')).text()).toBe('{"data":{"id":1},"meta":{}}')
    expect(await (await get(appWith({ pretty: true }), '/one/')).text()).toContain('\n  "data"')
    expect(await (await get(appWith({ pretty: false }), '/one/?pretty')).text()).toBe(
      '{"data":{"id":1},"meta":{}}'
    )
  })

  it('keeps HEAD answers bodiless', async () => {
    const res = await get(app, '/one/', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.text()).toBe('')
  })
})

describe('bodies that are not pending are left alone', () => {
  const app = appWith()

  it.each([
    ['/text/', 'text/plain;charset=UTF-8', 'plain body'],
    ['/page/', 'text/html; charset=utf-8', '<p>hi</p>'],
    ['/stream/', 'application/octet-stream', 'ab'],
    ['/web/', 'text/plain', 'from fetch'],
  ])('%s', async (url, type, body) => {
    const res = await get(app, url, { headers: { accept: 'application/json' } })
    expect(res.headers.get('content-type')).toBe(type)
    expect(res.headers.get('vary')).toBeNull()
    expect(await res.text()).toBe(body)
  })

  it('bytes and 204 too', async () => {
    const bytes = await get(app, '/bytes/')
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([1, 2]))
    const empty = await get(app, '/empty/')
    expect(empty.status).toBe(204)
    expect(empty.headers.get('vary')).toBeNull()
  })

  it('pending data of another media type (JSON:API) is not reshaped', async () => {
    const res = await get(app, '/vendor/')
    expect(res.headers.get('content-type')).toBe('application/vnd.api+json')
    expect(await res.json()).toEqual({ jsonapi: true })
  })

  it('raw() on a path or an include, and markRaw() on a response, opt out', async () => {
    expect(await (await get(app, '/raw/')).json()).toEqual({ raw: true })
    expect(await (await get(app, '/flagged/')).json()).toEqual({ flagged: true })
    expect(await (await get(app, '/legacy/x/')).json()).toEqual({ legacy: true })
    expect((await get(app, '/raw/')).headers.get('vary')).toBeNull()
  })
})

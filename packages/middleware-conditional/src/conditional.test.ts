/**
 * `conditional()` through `app.fetch`: generated and view-supplied entity tags, 304 for GET/HEAD
 * with the headers RFC 9110 §15.4.5 keeps, 412 for failed If-Match / If-Unmodified-Since on
 * GET, and what is left alone (unsafe methods, non-2xx answers, streams, no-store).
 */
import {
  createApp,
  defineMiddleware,
  ImproperlyConfigured,
  json,
  noContent,
  path,
  stream,
  text,
  type Middleware,
} from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { format } from '@cycle/middleware-format'
import { describe, expect, it } from 'vitest'
import { conditional, type ConditionalOptions } from './conditional'
import { hashString } from './hash'
import { etag, lastModified } from './validators'

const LM = new Date('2026-01-02T03:04:05.678Z')
const LM_HTTP = 'Fri, 02 Jan 2026 03:04:05 GMT'

function build(options?: ConditionalOptions, extra: Middleware[] = []) {
  let hits = 0
  let streamCancelled = false
  const app = createApp({
    middleware: [conditional(options), ...extra],
    urls: [
      path('note/', () => {
        hits++
        return json({ id: 1, title: 'First' })
      }),
      path('text/', () => text('hello')),
      path('bytes/', () => {
        const res = text('')
        res.body = new TextEncoder().encode('bytes body')
        return res
      }),
      path('buffer/', () => {
        const res = text('')
        res.body = new TextEncoder().encode('buffer body').buffer as ArrayBuffer
        return res
      }),
      path('versioned/', () => etag(json({ v: 7 }), 'v7')),
      path('weak/', () => etag(json({ v: 7 }), 'v7', { weak: true })),
      path('by-hand/', () => {
        const res = text('x')
        res.headers.set('ETag', '"hand-made"')
        return res
      }),
      path('dated/', () => lastModified(text('dated'), LM)),
      path('full/', () => {
        const res = lastModified(etag(text('full'), 'f1'), LM)
        res.headers.set('cache-control', 'max-age=60')
        res.headers.set('content-location', '/full/')
        res.headers.set('expires', 'Thu, 01 Jan 2037 00:00:00 GMT')
        res.headers.set('date', 'Thu, 01 Jan 2026 00:00:00 GMT')
        res.headers.set('content-language', 'en')
        res.headers.set('x-other', 'kept')
        res.headers.vary('Accept')
        res.setCookie('session', 'abc')
        return res
      }),
      path('stream/', () =>
        stream(
          new ReadableStream<Uint8Array>({
            pull(c) {
              c.enqueue(new TextEncoder().encode('chunk'))
              c.close()
            },
          })
        )
      ),
      path('stream-tagged/', () =>
        etag(
          stream(
            new ReadableStream<Uint8Array>({
              pull(c) {
                c.enqueue(new TextEncoder().encode('chunk'))
              },
              cancel() {
                streamCancelled = true
              },
            })
          ),
          's1'
        )
      ),
      path('no-store/', () => {
        const res = text('secret')
        res.headers.set('cache-control', 'private, no-store')
        return res
      }),
      path('created/', () => json({ id: 2 }, 201)),
      path('empty/', () => noContent()),
      path('missing/', () => json({ error: 'nope' }, 404)),
      path('write/', () => json({ ok: true }), { methods: ['POST', 'PUT', 'PATCH', 'DELETE'] }),
    ],
  })
  const call = (url: string, init?: RequestInit) =>
    app.fetch(new Request(`http://localhost${url}`, init))
  return { app, call, hits: () => hits, cancelled: () => streamCancelled }
}

describe('entity tags', () => {
  it('hashes a rendered JSON body into a strong ETag', async () => {
    const { call } = build()
    const res = await call('/note/')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toBe('{"id":1,"title":"First"}')
    expect(res.headers.get('etag')).toBe(`"${hashString(body)}"`)
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]{16}"$/)
  })

  it('gives the same tag to equal bodies and another to a different body', async () => {
    const { call } = build()
    const a = (await call('/note/')).headers.get('etag')
    const b = (await call('/note/')).headers.get('etag')
    const c = (await call('/text/')).headers.get('etag')
    expect(a).toBe(b)
    expect(c).not.toBe(a)
  })

  it('hashes byte and ArrayBuffer bodies', async () => {
    const { call } = build()
    expect((await call('/bytes/')).headers.get('etag')).toMatch(/^"a-[0-9a-f]{16}"$/)
    expect((await call('/buffer/')).headers.get('etag')).toMatch(/^"b-[0-9a-f]{16}"$/)
  })

  it("etag: 'weak' makes weak tags", async () => {
    const { call } = build({ etag: 'weak' })
    expect((await call('/note/')).headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]{16}"$/)
  })

  it('a weak generated tag revalidates (If-None-Match compares weakly)', async () => {
    const { call } = build({ etag: 'weak' })
    const tag = (await call('/note/')).headers.get('etag') as string
    expect((await call('/note/', { headers: { 'if-none-match': tag } })).status).toBe(304)
    expect((await call('/note/', { headers: { 'if-none-match': tag.slice(2) } })).status).toBe(304)
  })

  it('does not hash a body a later response hook made pending again (assigned data)', async () => {
    const reshape = defineMiddleware({
      name: 'reshape',
      response(_req, res) {
        res.data = { reshaped: true }
      },
    })
    const { call } = build(undefined, [reshape])
    const res = await call('/note/')
    expect(await res.json()).toEqual({ reshaped: true })
    expect(res.headers.get('etag')).toBeNull()
  })

  it('etag: false never hashes, but still uses the view’s validators', async () => {
    const { call } = build({ etag: false })
    expect((await call('/note/')).headers.get('etag')).toBeNull()
    const res = await call('/versioned/', { headers: { 'if-none-match': '"v7"' } })
    expect(res.status).toBe(304)
  })

  it('a custom hash gives the opaque part', async () => {
    const { call } = build({ hash: (body) => `len${body.length}` })
    expect((await call('/text/')).headers.get('etag')).toBe('"len5"')
  })

  it('keeps the ETag a view set with etag() or by hand, without hashing', async () => {
    const { call } = build({ hash: () => 'never' })
    expect((await call('/versioned/')).headers.get('etag')).toBe('"v7"')
    expect((await call('/weak/')).headers.get('etag')).toBe('W/"v7"')
    expect((await call('/by-hand/')).headers.get('etag')).toBe('"hand-made"')
  })

  it('never hashes a stream, and leaves it untouched', async () => {
    const { call } = build()
    const res = await call('/stream/')
    expect(res.headers.get('etag')).toBeNull()
    expect(await res.text()).toBe('chunk')
  })

  it('tags 2xx answers only, and not 204 or no-store answers', async () => {
    const { call } = build()
    expect((await call('/created/')).headers.get('etag')).not.toBeNull()
    expect((await call('/empty/')).headers.get('etag')).toBeNull()
    expect((await call('/missing/')).headers.get('etag')).toBeNull()
    expect((await call('/nowhere/')).headers.get('etag')).toBeNull()
    expect((await call('/no-store/')).headers.get('etag')).toBeNull()
  })

  it('never tags or answers unsafe methods', async () => {
    const { call } = build()
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call('/write/', {
        method,
        headers: { 'if-match': '"stale"', 'if-none-match': '*' },
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('etag')).toBeNull()
    }
  })

  it('hashes the final body: the envelope the format middleware rendered', async () => {
    const { call } = build(undefined, [format()])
    const res = await call('/note/')
    const body = await res.text()
    expect(body).toBe('{"data":{"id":1,"title":"First"},"meta":{}}')
    expect(res.headers.get('etag')).toBe(`"${hashString(body)}"`)
  })

  it('refuses bad options at startup', () => {
    const bad = [
      { etag: 'strog' },
      { hash: 'sha1' },
      { weak: true },
    ] as unknown as ConditionalOptions[]
    for (const options of bad) {
      expect(() => conditional(options)).toThrow(ImproperlyConfigured)
    }
  })
})

describe('If-None-Match → 304', () => {
  it('answers 304 with no body when the tag matches', async () => {
    const { call } = build()
    const tag = (await call('/note/')).headers.get('etag') as string
    const res = await call('/note/', { headers: { 'if-none-match': tag } })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('etag')).toBe(tag)
    expect(res.headers.get('content-type')).toBeNull()
    expect(res.headers.get('content-length')).toBeNull()
  })

  it('compares weakly: W/ on either side still matches', async () => {
    const { call } = build()
    expect((await call('/versioned/', { headers: { 'if-none-match': 'W/"v7"' } })).status).toBe(304)
    expect((await call('/weak/', { headers: { 'if-none-match': '"v7"' } })).status).toBe(304)
  })

  it('reads a list, with commas inside tags, and *', async () => {
    const { call } = build()
    expect(
      (await call('/versioned/', { headers: { 'if-none-match': '"a,b", "x" ,"v7"' } })).status
    ).toBe(304)
    expect((await call('/versioned/', { headers: { 'if-none-match': '"a", "v7,"' } })).status).toBe(
      200
    )
    expect((await call('/versioned/', { headers: { 'if-none-match': '*' } })).status).toBe(304)
    expect((await call('/versioned/', { headers: { 'if-none-match': 'v7' } })).status).toBe(200)
  })

  it('answers 200 with the body when no tag matches', async () => {
    const { call } = build()
    const res = await call('/note/', { headers: { 'if-none-match': '"other"' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 1, title: 'First' })
  })

  it('answers HEAD like GET', async () => {
    const { call } = build()
    const get = await call('/note/')
    const head = await call('/note/', { method: 'HEAD' })
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'))
    const res = await call('/note/', {
      method: 'HEAD',
      headers: { 'if-none-match': get.headers.get('etag') as string },
    })
    expect(res.status).toBe(304)
  })

  it('keeps the fields RFC 9110 §15.4.5 requires and drops representation metadata', async () => {
    const { call } = build()
    const res = await call('/full/', { headers: { 'if-none-match': '"f1"' } })
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe('"f1"')
    expect(res.headers.get('cache-control')).toBe('max-age=60')
    expect(res.headers.get('content-location')).toBe('/full/')
    expect(res.headers.get('expires')).toBe('Thu, 01 Jan 2037 00:00:00 GMT')
    expect(res.headers.get('date')).toBe('Thu, 01 Jan 2026 00:00:00 GMT')
    expect(res.headers.get('vary')).toBe('Accept')
    expect(res.headers.getSetCookie()[0]).toMatch(/^session=abc/)
    expect(res.headers.get('x-other')).toBe('kept')
    expect(res.headers.get('content-type')).toBeNull()
    expect(res.headers.get('content-language')).toBeNull()
    // With an ETag, Last-Modified is representation metadata the 304 does not need.
    expect(res.headers.get('last-modified')).toBeNull()
  })

  it('does not answer 304 to a 201 or a 404', async () => {
    const { call } = build()
    const tag = (await call('/created/')).headers.get('etag') as string
    expect((await call('/created/', { headers: { 'if-none-match': tag } })).status).toBe(201)
    expect((await call('/missing/', { headers: { 'if-none-match': '*' } })).status).toBe(404)
  })

  it('answers 304 for a stream with a view-supplied tag, and cancels the stream', async () => {
    const { call, cancelled } = build()
    const res = await call('/stream-tagged/', { headers: { 'if-none-match': '"s1"' } })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    await new Promise((r) => setTimeout(r, 0))
    expect(cancelled()).toBe(true)
  })

  it('runs the view (it is a response hook): use precondition() to skip it', async () => {
    const { call, hits } = build()
    const tag = (await call('/note/')).headers.get('etag') as string
    await call('/note/', { headers: { 'if-none-match': tag } })
    expect(hits()).toBe(2)
  })
})

describe('If-Modified-Since → 304', () => {
  it('answers 304 when not modified since the date, 200 when modified after', async () => {
    const { call } = build()
    const res = await call('/dated/')
    expect(res.headers.get('last-modified')).toBe(LM_HTTP)
    // The Last-Modified has milliseconds: compared at one-second precision.
    expect((await call('/dated/', { headers: { 'if-modified-since': LM_HTTP } })).status).toBe(304)
    const later = 'Sat, 03 Jan 2026 00:00:00 GMT'
    expect((await call('/dated/', { headers: { 'if-modified-since': later } })).status).toBe(304)
    const earlier = 'Fri, 02 Jan 2026 03:04:04 GMT'
    expect((await call('/dated/', { headers: { 'if-modified-since': earlier } })).status).toBe(200)
  })

  it('keeps Last-Modified on a 304 that has no ETag', async () => {
    const { call } = build({ etag: false })
    const res = await call('/dated/', { headers: { 'if-modified-since': LM_HTTP } })
    expect(res.status).toBe(304)
    expect(res.headers.get('last-modified')).toBe(LM_HTTP)
  })

  it('accepts the obsolete RFC 850 and asctime forms', async () => {
    const { call } = build()
    for (const date of ['Friday, 02-Jan-26 03:04:05 GMT', 'Fri Jan  2 03:04:05 2026']) {
      expect((await call('/dated/', { headers: { 'if-modified-since': date } })).status).toBe(304)
    }
  })

  it('ignores invalid dates', async () => {
    const { call } = build()
    for (const date of [
      'yesterday',
      '2026-01-03',
      'Fri, 31 Feb 2026 00:00:00 GMT',
      '',
      'Sat, 03 Jan 2026 00:00:00 GMT, x',
    ]) {
      expect((await call('/dated/', { headers: { 'if-modified-since': date } })).status).toBe(200)
    }
  })

  it('is ignored when If-None-Match is present (RFC 9110 §13.1.3)', async () => {
    const { call } = build()
    const res = await call('/full/', {
      headers: { 'if-none-match': '"other"', 'if-modified-since': 'Sat, 03 Jan 2026 00:00:00 GMT' },
    })
    expect(res.status).toBe(200)
  })
})

describe('If-Match / If-Unmodified-Since on GET → 412', () => {
  it('answers a 412 problem when If-Match does not match, strongly', async () => {
    const { call } = build()
    const res = await call('/versioned/', { headers: { 'if-match': '"v6"' } })
    expect(res.status).toBe(412)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 412, title: 'Precondition Failed' })
    expect(res.headers.get('etag')).toBe('"v7"')
    // A weak tag never matches strongly, on either side.
    expect((await call('/weak/', { headers: { 'if-match': 'W/"v7"' } })).status).toBe(412)
    expect((await call('/versioned/', { headers: { 'if-match': 'W/"v7"' } })).status).toBe(412)
    expect((await call('/versioned/', { headers: { 'if-match': '"v7"' } })).status).toBe(200)
    expect((await call('/versioned/', { headers: { 'if-match': '*' } })).status).toBe(200)
  })

  it('answers 412 when modified after If-Unmodified-Since, unless If-Match is there', async () => {
    const { call } = build()
    const before = 'Thu, 01 Jan 2026 00:00:00 GMT'
    expect((await call('/dated/', { headers: { 'if-unmodified-since': before } })).status).toBe(412)
    expect((await call('/dated/', { headers: { 'if-unmodified-since': LM_HTTP } })).status).toBe(
      200
    )
    expect((await call('/dated/', { headers: { 'if-unmodified-since': 'garbage' } })).status).toBe(
      200
    )
    const res = await call('/full/', {
      headers: { 'if-match': '"f1"', 'if-unmodified-since': before },
    })
    expect(res.status).toBe(200)
  })

  it('the 412 goes through the response hooks of the middlewares outside it', async () => {
    const seen: number[] = []
    const outer = defineMiddleware({
      name: 'outer',
      response(_req, res) {
        seen.push(res.status)
      },
    })
    const app = createApp({
      middleware: [outer, conditional()],
      urls: [path('v/', () => etag(text('x'), 'v1'))],
    })
    const res = await app.fetch(
      new Request('http://localhost/v/', { headers: { 'if-match': '"v0"' } })
    )
    expect(res.status).toBe(412)
    expect(seen).toEqual([412])
  })
})

describe('cost', () => {
  it('stays synchronous: app.handle() returns the response itself', () => {
    const { app } = build()
    const res = app.handle(new WebRequest(new Request('http://localhost/note/')))
    expect(res).not.toBeInstanceOf(Promise)
  })
})

/**
 * The format middleware behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0): bodies,
 * lengths and headers as a client sees them.
 */
import { createApp, json, path, text } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { format } from './format'
import { withMeta } from './meta'
import { raw } from './raw'
import { validate, validated } from './validate'

const createNote = validate({ body: z.object({ title: z.string().min(1) }) })

const app = createApp({
  middleware: [format({ strict: true })],
  urls: [
    path('notes/', () => withMeta([{ id: 1n, at: new Date(0) }], { total: 1 }), {
      methods: ['GET'],
    }),
    path('notes/', (req) => json({ title: validated(req, createNote).body.title }, 201), {
      methods: ['POST'],
      middleware: [createNote],
      bodyLimit: 64,
    }),
    path('cycle/', () => {
      const a: Record<string, unknown> = {}
      a['a'] = a
      return a
    }),
    path('boom/', () => {
      throw new Error('internal detail')
    }),
    path('raw.txt', () => text('raw text'), { middleware: [raw()] }),
  ],
})

let base = ''
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  base = server.url
  close = () => server.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
})

const call = (url: string, init?: RequestInit) =>
  fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(5000) })

describe('through @cycle/gateway-node', () => {
  it('sends the envelope with a correct Content-Length and Vary', async () => {
    const res = await call('/notes/')
    const body = await res.text()
    expect(res.status).toBe(200)
    expect(body).toBe('{"data":[{"id":"1","at":"1970-01-01T00:00:00.000Z"}],"meta":{"total":1}}')
    expect(res.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).length))
    expect(res.headers.get('vary')).toBe('Accept')
  })

  it('404, 405 and 500 as problems', async () => {
    for (const [url, init, status] of [
      ['/nowhere/', undefined, 404],
      ['/notes/', { method: 'DELETE' }, 405],
      ['/boom/', undefined, 500],
    ] as const) {
      const res = await call(url, init)
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const doc = (await res.json()) as Record<string, unknown>
      expect(doc).toMatchObject({ type: 'about:blank', status })
      expect(typeof doc['title']).toBe('string')
      expect(JSON.stringify(doc)).not.toContain('internal detail')
    }
  })

  it('422 with pointers, 400 malformed JSON, 415 wrong type, 413 too large', async () => {
    const post = (body: string, type = 'application/json') =>
      call('/notes/', { method: 'POST', body, headers: { 'content-type': type } })
    const invalid = await post('{"title":""}')
    expect(invalid.status).toBe(422)
    expect(await invalid.json()).toMatchObject({
      status: 422,
      errors: [{ pointer: '/body/title' }],
    })
    expect((await post('{"title"')).status).toBe(400)
    expect((await post('title=x', 'text/plain')).status).toBe(415)
    const big = await post(JSON.stringify({ title: 'x'.repeat(500) }))
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toBe('application/problem+json')
    expect((await post('{"title":"ok"}')).status).toBe(201)
  })

  it('a cycle becomes a complete 500 problem body, not a cut connection', async () => {
    const res = await call('/cycle/')
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
  })

  it('negotiates HTML and text, and answers 406 in strict mode', async () => {
    const page = await call('/notes/', { headers: { accept: 'text/html' } })
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<th>id</th>')
    const plain = await call('/notes/', { headers: { accept: 'text/plain' } })
    expect(await plain.text()).toContain('meta:\n  total: 1\n')
    const refused = await call('/notes/', { headers: { accept: 'image/webp, */*;q=0' } })
    expect(refused.status).toBe(406)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    // Ranges past the 64th are never parsed: the trailing */* does not count, hence 406.
    const hostile = await call('/notes/', { headers: { accept: `${'x/y;q=0.5,'.repeat(800)}*/*` } })
    expect(hostile.status).toBe(406)
    const short = await call('/notes/', { headers: { accept: `${'x/y;q=0.5,'.repeat(10)}*/*` } })
    expect(short.status).toBe(200)
  })

  it('pretty-prints on ?pretty and leaves raw routes alone', async () => {
    expect(await (await call('/notes/?pretty')).text()).toContain('\n  "data": [\n')
    const rawRes = await call('/raw.txt', { headers: { accept: 'application/json' } })
    expect(rawRes.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
    expect(await rawRes.text()).toBe('raw text')
  })

  it('HEAD carries the headers and no body', async () => {
    const res = await call('/notes/', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.text()).toBe('')
  })
})

describe('hostile input over a real socket', () => {
  /** A normal request still gets its answer after the attack. */
  const stillServes = async (): Promise<void> => {
    const res = await call('/notes/')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ meta: { total: 1 } })
  }

  it('Vary: Accept on a JSON and an HTML answer of the same URL: success, 404, 405, 500, 406', async () => {
    for (const [url, method, statuses] of [
      ['/notes/', 'GET', [200, 200]],
      ['/nowhere/', 'GET', [404, 404]],
      ['/notes/', 'DELETE', [405, 405]],
      ['/boom/', 'GET', [500, 500]],
    ] as const) {
      const asJson = await call(url, { method, headers: { accept: 'application/json' } })
      const asHtml = await call(url, { method, headers: { accept: 'text/html' } })
      expect([asJson.status, asHtml.status], url).toEqual(statuses)
      expect(asJson.headers.get('content-type')).toMatch(/json/)
      expect(asHtml.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(asJson.headers.get('vary'), `${method} ${url} JSON`).toMatch(/\bAccept\b/)
      expect(asHtml.headers.get('vary'), `${method} ${url} HTML`).toMatch(/\bAccept\b/)
    }
    const refused = await call('/notes/', { headers: { accept: 'image/png' } })
    expect(refused.status).toBe(406)
    expect(refused.headers.get('vary')).toMatch(/\bAccept\b/)
    await stillServes()
  })

  it('validate() parses with core\'s parser: prototype keys in any spelling are a 400', async () => {
    for (const body of [
      '{"title":"x","__proto__":{"admin":true}}',
      '{"title":"x","\\u005f\\u005fproto__":{"admin":true}}',
      '{"title":"x","constructor":{"prototype":{"admin":true}}}',
    ]) {
      const res = await call('/notes/', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status, body).toBe(400)
      expect(await res.json()).toMatchObject({ detail: expect.stringMatching(/prototype poisoning/) })
    }
    const lookalike = await call('/notes/', {
      method: 'POST',
      body: '{"title":"x","constructor":"y"}',
      headers: { 'content-type': 'application/json' },
    })
    expect(lookalike.status).toBe(201)
    await stillServes()
  })

  it('validate(): a non-UTF-8 charset or a Content-Encoding is a 415, never a JSON error', async () => {
    const latin1 = await call('/notes/', {
      method: 'POST',
      body: '{"title":"caf\u00e9"}',
      headers: { 'content-type': 'application/json; charset=latin1' },
    })
    expect(latin1.status).toBe(415)
    const gzip = await call('/notes/', {
      method: 'POST',
      body: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    })
    expect(gzip.status).toBe(415)
    expect(gzip.headers.get('accept-encoding')).toBe('identity')
    expect(JSON.stringify(await gzip.json())).not.toMatch(/valid JSON/)
    await stillServes()
  })
})

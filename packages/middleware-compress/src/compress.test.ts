/**
 * Option checks, runtime selection without `node:zlib`, the BREACH padding, and hooks that run
 * in process (`@cycle/testing`); the wire behaviour is in gateway.test.ts.
 */
import { createApp, defineMiddleware, path, text, type CycleResponse } from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { createTestClient } from '@cycle/testing'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_PADDING, padGzip, padGzipStream } from './breach'
import { compress, COMPRESSIBLE, type CompressOptions } from './compress'

const BIG = 'All work and no play makes Jack a dull boy. '.repeat(100)

describe('options', () => {
  it.each([
    [{ threshold: -1 }, /"threshold" must be a number >= 0/],
    [{ threshold: '1k' }, /"threshold"/],
    [{ syncLimit: Number.NaN }, /"syncLimit"/],
    [{ level: { gzip: 10 } }, /"level.gzip" must be an integer from 0 to 9/],
    [{ level: { br: 1.5 } }, /"level.br"/],
    [{ level: { zstd: 0 } }, /"level.zstd" must be an integer from 1 to 22/],
    [{ level: { lzma: 1 } }, /unknown coding "lzma"/],
    [{ encodings: ['gzip', 'lz4'] }, /unknown coding "lz4"/],
    [{ encodings: 'gzip' }, /"encodings" must be an array/],
    [{ encodings: [] }, /"encodings" must list at least one coding/],
    [{ types: 'text/*' }, /"types" must be a RegExp or a function/],
    [{ filter: true }, /"filter" must be a function/],
    [{ breach: true }, /"breach" must be 'pad' or false/],
    [{ flush: 'yes' }, /"flush" must be a boolean/],
    [{ engine: 'wasm' }, /"engine" must be 'auto', 'zlib' or 'web'/],
    [{ gzip: true }, /unknown option "gzip"/],
  ])('%j is refused at startup', (options, message) => {
    expect(() => compress(options as unknown as CompressOptions)).toThrow(message)
  })

  it('refuses a non-object', () => {
    expect(() => compress(null as unknown as CompressOptions)).toThrow(/options must be an object/)
  })

  it('the error is ImproperlyConfigured ERR_BAD_OPTION', () => {
    expect(() => compress({ threshold: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_OPTION' })
    )
  })
})

describe('COMPRESSIBLE', () => {
  it.each([
    'text/html; charset=utf-8',
    'text/plain',
    'text/css',
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/javascript',
    'application/xml',
    'application/atom+xml',
    'image/svg+xml',
    'application/wasm',
    'application/vnd.api+json',
  ])('%s is compressible', (type) => expect(COMPRESSIBLE.test(type)).toBe(true))

  it.each([
    'text/event-stream',
    'text/event-stream; charset=utf-8',
    'image/png',
    'image/jpeg',
    'video/mp4',
    'application/octet-stream',
    'application/zip',
    'application/gzip',
    'font/woff2',
    'application/jsonp-nope',
  ])('%s is not', (type) => expect(COMPRESSIBLE.test(type)).toBe(false))
})

describe('types', () => {
  it('a /g expression answers the same for every request (no lastIndex carried over)', async () => {
    const app = createApp({
      middleware: [compress({ types: /^text\//g })],
      urls: [path('', () => text(BIG))],
    })
    const client = createTestClient(app)
    for (let i = 0; i < 4; i++) {
      const res = await client.get('/', { headers: { 'accept-encoding': 'gzip' } })
      expect(res.headers.get('content-encoding')).toBe('gzip')
    }
  })
})

describe('runtime selection', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('without process.getBuiltinModule (a Worker), falls back to CompressionStream', async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined })
    expect(() => compress({ engine: 'zlib' })).toThrow(/node:zlib is not available/)
    const app = createApp({ middleware: [compress()], urls: [path('', () => text(BIG))] })
    vi.unstubAllGlobals()
    const res = await createTestClient(app).get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(res.body).toString()).toBe(BIG)
  })

  it('without either, it compresses nothing (and says Vary all the same)', async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined })
    vi.stubGlobal('CompressionStream', undefined)
    expect(() => compress({ engine: 'web' })).toThrow(/CompressionStream is not available/)
    const app = createApp({ middleware: [compress()], urls: [path('', () => text(BIG))] })
    vi.unstubAllGlobals()
    const res = await createTestClient(app).get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(res.text).toBe(BIG)
  })
})

describe('in process', () => {
  it('stays synchronous for a string body: app.handle() returns the response, not a promise', () => {
    const app = createApp({ middleware: [compress()], urls: [path('', () => text(BIG))] })
    const request = new Request('http://localhost/', { headers: { 'accept-encoding': 'br' } })
    const res = app.handle(new WebRequest(request))
    expect(res).not.toBeInstanceOf(Promise)
    const sync = res as CycleResponse
    expect(sync.headers.get('content-encoding')).toBe('br')
    expect(sync.body).toBeInstanceOf(Uint8Array)
    expect(brotliDecompressSync(sync.body as Uint8Array).toString()).toBe(BIG)
  })

  it('leaves a body that an inner response hook made pending again (assigned data)', async () => {
    const reshape = defineMiddleware({
      name: 'reshape',
      response(_req, res) {
        res.data = { wrapped: BIG }
      },
    })
    const app = createApp({ middleware: [compress(), reshape], urls: [path('', () => text(BIG))] })
    const res = await createTestClient(app).get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(JSON.parse(res.text)).toEqual({ wrapped: BIG })
  })
})

describe('BREACH padding', () => {
  const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])

  it('inserts 0–100 bytes of file name and keeps the member valid', () => {
    const sizes = new Set<number>()
    for (let i = 0; i < 200; i++) {
      const out = padGzip(gz)
      expect(out[3]).toBe(0x08)
      const n = out.byteLength - gz.byteLength - 1
      expect(n).toBeGreaterThanOrEqual(0)
      expect(n).toBeLessThanOrEqual(MAX_PADDING)
      expect(out[10 + n]).toBe(0)
      expect([...out.subarray(11 + n)]).toEqual([1, 2, 3])
      sizes.add(n)
    }
    expect(sizes.size).toBeGreaterThan(10)
  })

  it('leaves a member with header flags, or not gzip at all, untouched', () => {
    const flagged = gz.slice()
    flagged[3] = 0x10
    expect(padGzip(flagged)).toBe(flagged)
    const other = new Uint8Array([1, 2, 3])
    expect(padGzip(other)).toBe(other)
  })

  it('pads a stream whose header arrives in pieces', async () => {
    const { gzipSync } = await import('node:zlib')
    const member = gzipSync(BIG)
    const pieces = [member.subarray(0, 3), member.subarray(3, 7), member.subarray(7)]
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of pieces) c.enqueue(p)
        c.close()
      },
    })
    const out = new Uint8Array(
      await new Response(source.pipeThrough(padGzipStream())).arrayBuffer()
    )
    expect(out[3]).toBe(0x08)
    expect(gunzipSync(out).toString()).toBe(BIG)
  })
})

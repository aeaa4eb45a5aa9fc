/**
 * compress() behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0): every coding decoded
 * with node:zlib and compared with the original, every refusal, the headers a client and a
 * cache see, and a large stream under backpressure.
 */
import {
  createApp,
  CycleResponse,
  json,
  noContent,
  path,
  stream,
  text,
  type App,
} from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { conditional } from '@cycle/middleware-conditional'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import * as zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compress, type CompressOptions } from './compress'
import type { Encoding } from './negotiate'

const hasZstd = typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function'

const BIG = 'Hello, compression! '.repeat(300) // 6000 bytes
const NOTES = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  title: `Note ${i}`,
  done: i % 2 === 0,
}))
const HUGE = 'abcdefghij'.repeat(40_000) // 400 kB, over the default syncLimit

/** Deterministic incompressible bytes (xorshift32), so the stream's compressed size stays big. */
function noise(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed | 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
const CHUNK = 16 * 1024
const CHUNKS = 2048 // 32 MiB in all: more than loopback socket buffers hold (about 8 MiB here)

let pulled = 0
let cancelled: unknown = 'not cancelled'
let release: () => void = () => {}

function routes() {
  return [
    path('big/', () => text(BIG)),
    path('json/', () => json(NOTES)),
    path(
      'html/',
      () => new CycleResponse(BIG, { headers: { 'content-type': 'text/html; charset=utf-8' } })
    ),
    path(
      'bytes/',
      () =>
        new CycleResponse(new TextEncoder().encode(BIG), {
          headers: { 'content-type': 'image/svg+xml' },
        })
    ),
    path('small/', () => text('tiny')),
    // Compressible bytes under a type that is not in the default list.
    path(
      'png/',
      () =>
        new CycleResponse(new TextEncoder().encode(BIG), {
          headers: { 'content-type': 'image/png' },
        })
    ),
    // Incompressible bytes under a textual type.
    path(
      'random/',
      () => new CycleResponse(noise(7, 5000), { headers: { 'content-type': 'text/plain' } })
    ),
    path('medium/', () => text(BIG.slice(0, 600))),
    path(
      'arraybuffer/',
      () =>
        new CycleResponse(new TextEncoder().encode(BIG).buffer as ArrayBuffer, {
          headers: { 'content-type': 'application/xml' },
        })
    ),
    path('long-stream/', () =>
      stream(
        (async function* () {
          yield BIG
        })(),
        { headers: { 'content-type': 'text/plain', 'content-length': String(BIG.length) } }
      )
    ),
    path('notype/', () => new CycleResponse(BIG)),
    path(
      'encoded/',
      () =>
        new CycleResponse(zlib.gzipSync(BIG), {
          headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
        })
    ),
    path('no-transform/', () =>
      text(BIG, { headers: { 'cache-control': 'public, no-transform, max-age=60' } })
    ),
    path('sse/', () =>
      stream(
        (async function* () {
          yield `data: ${BIG}\n\n`
        })(),
        { headers: { 'content-type': 'text/event-stream' } }
      )
    ),
    path('etag/', () => text(BIG, { headers: { etag: '"v1"' } })),
    path('weak-etag/', () => text(BIG, { headers: { etag: 'W/"v1"' } })),
    path('vary/', () => text(BIG, { headers: { vary: 'Origin' } })),
    path('range/', () =>
      text(BIG.slice(0, 2000), {
        status: 206,
        headers: { 'content-range': `bytes 0-1999/${BIG.length}` },
      })
    ),
    path('empty/', () => noContent()),
    path('missing/', () => text(BIG, 404)),
    path('length/', () => text(BIG, { headers: { 'content-length': String(BIG.length) } })),
    path('huge/', () => text(HUGE)),
    path('iter/', () =>
      stream(
        (async function* () {
          for (let i = 0; i < 50; i++) yield `line ${i}: ${'x'.repeat(100)}\n`
        })(),
        { headers: { 'content-type': 'application/x-ndjson+json' } }
      )
    ),
    path('short-stream/', () =>
      stream(
        (async function* () {
          yield 'short'
        })(),
        { headers: { 'content-type': 'text/plain', 'content-length': '5' } }
      )
    ),
    path('noise/', () => {
      pulled = 0
      cancelled = 'not cancelled'
      let i = 0
      return stream(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (i === CHUNKS) return controller.close()
              pulled++
              controller.enqueue(noise(i + 1, CHUNK))
              i++
            },
            cancel(reason) {
              cancelled = reason
            },
          },
          { highWaterMark: 1 }
        ),
        { headers: { 'content-type': 'text/plain' } }
      )
    }),
    path('progress/', () => {
      const gate = new Promise<void>((resolve) => (release = resolve))
      return stream(
        (async function* () {
          yield `first ${'.'.repeat(2000)}\n`
          await gate
          yield 'second\n'
        })(),
        { headers: { 'content-type': 'text/plain' } }
      )
    }),
  ]
}

interface Wire {
  status: number
  headers: IncomingMessage['headers']
  body: Buffer
  decoded: Buffer
}

function decode(body: Buffer, coding: string | undefined): Buffer {
  switch (coding) {
    case undefined:
      return body
    case 'gzip':
      return zlib.gunzipSync(body)
    case 'deflate':
      return zlib.inflateSync(body)
    case 'br':
      return zlib.brotliDecompressSync(body)
    case 'zstd':
      return (zlib as unknown as { zstdDecompressSync: (b: Buffer) => Buffer }).zstdDecompressSync(
        body
      )
    default:
      throw new Error(`unexpected coding ${coding}`)
  }
}

/** Starts `app` on a real socket; returns a raw requester (no automatic decompression). */
function server(app: App) {
  let port = 0
  let close: () => Promise<void> = async () => {}
  beforeAll(async () => {
    const s = await serve(app, { port: 0, hostname: '127.0.0.1' })
    port = Number(new URL(s.url).port)
    close = () => s.close({ timeout: 1000 })
  })
  afterAll(() => close())
  /** The response head, its body left unread (paused until a listener reads it). */
  function open(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: url, headers }, resolve)
      req.on('error', reject)
      req.end()
    })
  }
  function get(
    url: string,
    acceptEncoding: string | null,
    method = 'GET',
    extra: Record<string, string> = {}
  ): Promise<Wire> {
    const headers: Record<string, string> = { ...extra }
    if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          try {
            const coding = res.headers['content-encoding']
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              // A HEAD answer names its coding and carries no bytes to decode.
              decoded: method === 'HEAD' ? body : decode(body, coding),
            })
          } catch (error) {
            reject(error as Error)
          }
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  }
  return { get, open }
}

describe('compress() through @cycle/gateway-node', () => {
  const { get, open } = server(
    createApp({ middleware: [compress(), conditional()], urls: routes() })
  )

  const codings: [string, Encoding][] = [
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['br', 'br'],
    ['x-gzip', 'gzip'],
  ]
  it.each(codings)('Accept-Encoding: %s → %s, decodes to the original', async (accept, coding) => {
    const res = await get('/big/', accept)
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe(coding)
    expect(res.headers['vary']).toBe('Accept-Encoding')
    expect(Number(res.headers['content-length'])).toBe(res.body.length)
    expect(res.body.length).toBeLessThan(BIG.length / 10)
    expect(res.decoded.toString()).toBe(BIG)
  })

  it('zstd where the runtime has it, never otherwise', async () => {
    const res = await get('/big/', 'zstd, gzip;q=0.5')
    expect(res.headers['content-encoding']).toBe(hasZstd ? 'zstd' : 'gzip')
    expect(res.decoded.toString()).toBe(BIG)
  })

  it('a browser’s list gets the server’s first choice; q-values override it', async () => {
    expect((await get('/big/', 'gzip, deflate, br, zstd')).headers['content-encoding']).toBe('br')
    expect((await get('/big/', 'gzip;q=1.0, br;q=0.5')).headers['content-encoding']).toBe('gzip')
    expect((await get('/big/', 'br;q=0, *')).headers['content-encoding']).toBe(
      hasZstd ? 'zstd' : 'gzip'
    )
    expect((await get('/big/', '*')).headers['content-encoding']).toBe('br')
  })

  it('JSON, HTML and byte bodies of compressible types', async () => {
    const j = await get('/json/', 'gzip')
    expect(j.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(j.decoded.toString())).toEqual(NOTES)
    const h = await get('/html/', 'br')
    expect(h.headers['content-encoding']).toBe('br')
    expect(h.decoded.toString()).toBe(BIG)
    const b = await get('/bytes/', 'deflate')
    expect(b.headers['content-encoding']).toBe('deflate')
    expect(b.decoded.toString()).toBe(BIG)
  })

  it('an ArrayBuffer body, and a stream that declared its length (the length is dropped)', async () => {
    const ab = await get('/arraybuffer/', 'gzip')
    expect(ab.headers['content-encoding']).toBe('gzip')
    expect(ab.decoded.toString()).toBe(BIG)
    const st = await get('/long-stream/', 'gzip')
    expect(st.headers['content-encoding']).toBe('gzip')
    expect(st.headers['content-length']).toBeUndefined()
    expect(st.decoded.toString()).toBe(BIG)
  })

  it('error answers are compressed too', async () => {
    const res = await get('/missing/', 'gzip')
    expect(res.status).toBe(404)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.decoded.toString()).toBe(BIG)
  })

  it.each([
    ['no Accept-Encoding', null],
    ['an empty one', ''],
    ['identity', 'identity'],
    ['*;q=0', '*;q=0'],
    ['identity;q=0 with nothing else (identity is still sent, no 406)', 'identity;q=0'],
    ['only unknown codings', 'compress, sdch'],
    ['garbage', ';;;, =, q=1;, "gzip"'],
    ['a bad q-value', 'gzip;q=high'],
  ])('refused by the client (%s): plain body, Vary still set', async (_, accept) => {
    const res = await get('/big/', accept)
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['vary']).toBe('Accept-Encoding')
    expect(res.headers['content-length']).toBe(String(BIG.length))
    expect(res.body.toString()).toBe(BIG)
  })

  it('a hostile, very long Accept-Encoding does not break the answer', async () => {
    const res = await get('/big/', `${'x;q=0.1,'.repeat(1000)}gzip`)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.decoded.toString()).toBe(BIG)
  })

  it.each([
    ['under the threshold', '/small/', 'tiny'],
    ['under the threshold (600 bytes)', '/medium/', BIG.slice(0, 600)],
    ['a type that is not compressible', '/png/', null],
    ['no content type', '/notype/', BIG],
    ['a 206 range answer', '/range/', BIG.slice(0, 2000)],
    ['a stream whose Content-Length is under the threshold', '/short-stream/', 'short'],
  ])('skips %s, without Vary', async (_, url, body) => {
    const res = await get(url, 'gzip, br')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['vary']).toBeUndefined()
    if (body !== null) expect(res.body.toString()).toBe(body)
  })

  it('keeps a body that would not get smaller (random bytes), with Vary', async () => {
    const res = await get('/random/', 'gzip')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['vary']).toBe('Accept-Encoding')
    expect(res.headers['content-length']).toBe('5000')
    expect(res.body.equals(Buffer.from(noise(7, 5000)))).toBe(true)
  })

  it('skips an already-encoded body (no double encoding, no Vary added)', async () => {
    const res = await get('/encoded/', 'br, gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['vary']).toBeUndefined()
    expect(res.decoded.toString()).toBe(BIG)
  })

  it('skips Cache-Control: no-transform', async () => {
    const res = await get('/no-transform/', 'gzip')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['vary']).toBeUndefined()
    expect(res.body.toString()).toBe(BIG)
  })

  it('skips Server-Sent Events (text/event-stream)', async () => {
    const res = await get('/sse/', 'gzip')
    expect(res.headers['content-type']).toBe('text/event-stream')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body.toString()).toBe(`data: ${BIG}\n\n`)
  })

  it('skips 204', async () => {
    const res = await get('/empty/', 'gzip')
    expect(res.status).toBe(204)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body.length).toBe(0)
  })

  it("HEAD: the GET's coding, tag and Vary, no Content-Length, no compression work", async () => {
    const full = await get('/etag/', 'gzip')
    const res = await get('/etag/', 'gzip', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['content-encoding']).toBe(full.headers['content-encoding'])
    expect(res.headers['etag']).toBe(full.headers['etag'])
    expect(res.headers['vary']).toBe('Accept-Encoding')
    // The encoded length is known only by compressing: left out, never the unencoded one.
    expect(res.headers['content-length']).toBeUndefined()
    expect(res.body.length).toBe(0)
    // A client that accepts no coding gets the identity fields, length included.
    const plain = await get('/big/', null, 'HEAD')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers['content-length']).toBe(String(BIG.length))
    expect(plain.headers['vary']).toBe('Accept-Encoding')
  })

  it('a 304 for the weak form of its tag carries that weak tag and Vary, like the 200', async () => {
    const first = await get('/json/', 'gzip')
    const weak = first.headers['etag'] as string
    expect(weak).toMatch(/^W\//)
    const again = await get('/json/', 'gzip', 'GET', { 'if-none-match': `"other", ${weak}` })
    expect(again.status).toBe(304)
    expect(again.headers['etag']).toBe(weak)
    expect(again.headers['vary']).toBe('Accept-Encoding')
    // The identity answer's strong tag revalidates as it is, with no Vary added by compress.
    const strong = weak.slice(2)
    const plain = await get('/json/', null, 'GET', { 'if-none-match': strong })
    expect(plain.status).toBe(304)
    expect(plain.headers['etag']).toBe(strong)
    expect(plain.headers['vary']).toBeUndefined()
  })

  it('turns a strong ETag weak, keeps a weak one', async () => {
    expect((await get('/etag/', 'gzip')).headers['etag']).toBe('W/"v1"')
    expect((await get('/etag/', null)).headers['etag']).toBe('"v1"')
    expect((await get('/weak-etag/', 'gzip')).headers['etag']).toBe('W/"v1"')
  })

  it('conditional() inside: the generated tag turns weak, and If-None-Match still gives a 304', async () => {
    const first = await get('/json/', 'gzip')
    const tag = first.headers['etag'] as string
    expect(tag).toMatch(/^W\/"/)
    const again = await get('/json/', 'gzip', 'GET', { 'if-none-match': tag })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers['content-encoding']).toBeUndefined()
    // The unencoded answer carries the strong tag of the same bytes.
    expect((await get('/json/', null)).headers['etag']).toBe(tag.slice(2))
  })

  it('merges Vary with an existing one', async () => {
    expect((await get('/vary/', 'gzip')).headers['vary']).toBe('Origin, Accept-Encoding')
  })

  it('replaces a Content-Length set by the view with the encoded one', async () => {
    const res = await get('/length/', 'gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(Number(res.headers['content-length'])).toBe(res.body.length)
    expect(res.decoded.toString()).toBe(BIG)
  })

  it('a body over syncLimit is streamed (chunked, no Content-Length)', async () => {
    const res = await get('/huge/', 'gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['content-length']).toBeUndefined()
    expect(res.headers['transfer-encoding']).toBe('chunked')
    expect(res.decoded.toString()).toBe(HUGE)
  })

  it('an async-iterable stream stays a stream', async () => {
    const res = await get('/iter/', 'br')
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['transfer-encoding']).toBe('chunked')
    const expected = Array.from({ length: 50 }, (_, i) => `line ${i}: ${'x'.repeat(100)}\n`).join(
      ''
    )
    expect(res.decoded.toString()).toBe(expected)
  })

  it('flushes each streamed chunk: the client decodes the first before the second exists', async () => {
    const res = await open('/progress/', { 'accept-encoding': 'gzip' })
    expect(res.headers['content-encoding']).toBe('gzip')
    const body = await new Promise<string>((resolve, reject) => {
      const gunzip = zlib.createGunzip()
      let out = ''
      gunzip.on('data', (c: Buffer) => {
        out += c.toString()
        // The first line arrived while the view still waits: now let it finish.
        if (out.includes('first') && !out.includes('second')) release()
      })
      gunzip.on('end', () => resolve(out))
      gunzip.on('error', reject)
      res.pipe(gunzip)
    })
    expect(body).toBe(`first ${'.'.repeat(2000)}\nsecond\n`)
  })

  it(
    'a 32 MiB stream: backpressure holds the source while the client does not read',
    { timeout: 30_000 },
    async () => {
      const res = await open('/noise/', { 'accept-encoding': 'gzip' })
      expect(res.headers['content-encoding']).toBe('gzip')
      res.pause()
      // Let the socket buffers fill, then check that the source stopped well short of the end.
      let before = -1
      for (let i = 0; i < 50 && before !== pulled; i++) {
        before = pulled
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(pulled).toBe(before)
      expect(pulled).toBeLessThan(CHUNKS / 2)
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.resume()
      await new Promise((r) => res.on('end', r))
      expect(pulled).toBe(CHUNKS)
      const decoded = zlib.gunzipSync(Buffer.concat(chunks))
      expect(decoded.length).toBe(CHUNK * CHUNKS)
      for (let i = 0; i < CHUNKS; i++) {
        const part = decoded.subarray(i * CHUNK, (i + 1) * CHUNK)
        if (!part.equals(noise(i + 1, CHUNK))) expect.fail(`chunk ${i} differs`)
      }
    }
  )
})

describe("engine: 'web' (CompressionStream) through @cycle/gateway-node", () => {
  const { get } = server(createApp({ middleware: [compress({ engine: 'web' })], urls: routes() }))

  it.each(['gzip', 'deflate'])(
    '%s, streamed even for a small body, decodes to the original',
    async (coding) => {
      const res = await get('/big/', coding)
      expect(res.headers['content-encoding']).toBe(coding)
      expect(res.headers['content-length']).toBeUndefined()
      expect(res.headers['vary']).toBe('Accept-Encoding')
      expect(res.decoded.toString()).toBe(BIG)
    }
  )

  it('offers only what CompressionStream can make (no brotli on Node 20’s)', async () => {
    const res = await get('/big/', 'br, gzip;q=0.5')
    expect(['br', 'gzip']).toContain(res.headers['content-encoding'])
    expect(res.decoded.toString()).toBe(BIG)
  })

  it('streams an async iterable', async () => {
    const res = await get('/iter/', 'gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.decoded.toString()).toContain('line 49: ')
  })

  it('still sends no body for HEAD, and skips SSE and no-transform', async () => {
    expect((await get('/big/', 'gzip', 'HEAD')).body.length).toBe(0)
    expect((await get('/sse/', 'gzip')).headers['content-encoding']).toBeUndefined()
    expect((await get('/no-transform/', 'gzip')).headers['content-encoding']).toBeUndefined()
  })
})

describe('options through @cycle/gateway-node', () => {
  const opts = (options: CompressOptions) =>
    createApp({ middleware: [compress(options)], urls: routes() })

  describe('threshold', () => {
    const { get } = server(opts({ threshold: 512 }))
    it('a lower threshold compresses a small body', async () => {
      const res = await get('/medium/', 'gzip')
      expect(res.headers['content-encoding']).toBe('gzip')
      expect(res.decoded.toString()).toBe(BIG.slice(0, 600))
    })
  })

  describe('encodings', () => {
    const { get } = server(opts({ encodings: ['deflate', 'gzip'] }))
    it('the server’s order decides among equals; unlisted codings are never used', async () => {
      expect((await get('/big/', 'gzip, deflate, br')).headers['content-encoding']).toBe('deflate')
      expect((await get('/big/', 'br')).headers['content-encoding']).toBeUndefined()
    })
  })

  describe('level', () => {
    const { get } = server(opts({ level: { gzip: 9, br: 11 } }))
    it('is applied (gzip 9 writes XFL=2, "maximum compression", RFC 1952)', async () => {
      const res = await get('/big/', 'gzip')
      expect(res.body[8]).toBe(2)
      expect(res.decoded.toString()).toBe(BIG)
    })
  })

  describe('types and filter', () => {
    const { get } = server(
      opts({
        types: (type) => type.startsWith('image/png'),
        filter: (request) => request.header('x-secret') === null,
      })
    )
    it('a predicate replaces the list', async () => {
      const png = await get('/png/', 'gzip')
      expect(png.headers['content-encoding']).toBe('gzip')
      expect(png.decoded.toString()).toBe(BIG)
      expect((await get('/big/', 'gzip')).headers['content-encoding']).toBeUndefined()
    })
    it('filter() false leaves the response alone (no Vary either)', async () => {
      const res = await get('/png/', 'gzip', 'GET', { 'x-secret': '1' })
      expect(res.headers['content-encoding']).toBeUndefined()
      expect(res.headers['vary']).toBeUndefined()
    })
  })

  describe('types that accept everything', () => {
    const { get } = server(opts({ types: () => true }))
    it('still skip Server-Sent Events', async () => {
      expect((await get('/sse/', 'gzip')).headers['content-encoding']).toBeUndefined()
      expect((await get('/notype/', 'gzip')).headers['content-encoding']).toBeUndefined()
    })
  })

  describe('syncLimit', () => {
    const { get } = server(opts({ syncLimit: 0 }))
    it('0 streams every body', async () => {
      const res = await get('/big/', 'br')
      expect(res.headers['content-encoding']).toBe('br')
      expect(res.headers['content-length']).toBeUndefined()
      expect(res.decoded.toString()).toBe(BIG)
    })
  })

  describe("breach: 'pad'", () => {
    const { get } = server(opts({ breach: 'pad' }))
    it('offers gzip only, with a random-length name in its header; lengths vary', async () => {
      const lengths = new Set<number>()
      for (let i = 0; i < 8; i++) {
        const res = await get('/big/', 'br, zstd, gzip, deflate')
        expect(res.headers['content-encoding']).toBe('gzip')
        expect(res.decoded.toString()).toBe(BIG)
        expect(res.body[3]).toBe(0x08) // FLG.FNAME
        lengths.add(res.body.length)
      }
      expect(lengths.size).toBeGreaterThan(1)
    })
    it('pads streamed gzip too', async () => {
      const res = await get('/huge/', 'gzip')
      expect(res.body[3]).toBe(0x08)
      expect(res.decoded.toString()).toBe(HUGE)
    })
    it('a client without gzip gets the plain body', async () => {
      expect((await get('/big/', 'br')).headers['content-encoding']).toBeUndefined()
    })
  })
})

describe.each([
  ['zlib', 'br'],
  ['web', 'gzip'],
] as const)('a client that goes away mid-stream (engine %s)', (engine, coding) => {
  const { open } = server(createApp({ middleware: [compress({ engine })], urls: routes() }))

  it('the source is read only as far as the client reads, then cancelled', async () => {
    const res = await open('/noise/', { 'accept-encoding': coding })
    expect(res.headers['content-encoding']).toBe(coding)
    await new Promise((resolve) => res.once('data', resolve))
    res.pause()
    await new Promise((r) => setTimeout(r, 300))
    // Socket buffers hold about 8 MiB of the 32: the source must have stopped well short.
    expect(pulled).toBeLessThan(CHUNKS / 2)
    res.destroy()
    for (let i = 0; i < 50 && cancelled === 'not cancelled'; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(cancelled).not.toBe('not cancelled')
    const after = pulled
    await new Promise((r) => setTimeout(r, 200))
    expect(pulled).toBe(after)
  })
})

describe.each(['zlib', 'web'] as const)('a source that fails mid-stream (engine %s)', (engine) => {
  const errors: unknown[] = []
  const app = createApp({
    middleware: [compress({ engine })],
    urls: [
      path('broken/', () =>
        stream(
          (async function* () {
            // Enough incompressible bytes that every compressor has sent output (and the
            // gateway its head) before the failure: CompressionStream cannot be flushed.
            yield noise(3, 256 * 1024)
            await new Promise((r) => setTimeout(r, 20))
            throw new Error('database went away')
          })(),
          { headers: { 'content-type': 'text/plain' } }
        )
      ),
    ],
  })
  app.on('requestException', (_request, error) => errors.push(error))
  const { open } = server(app)

  it('reaches the app’s requestException listeners and cuts the response short', async () => {
    const res = await open('/broken/', { 'accept-encoding': 'gzip' })
    expect(res.headers['content-encoding']).toBe('gzip')
    const outcome = await new Promise<string>((resolve) => {
      res.on('data', () => {})
      res.on('end', () => resolve(res.complete ? 'complete' : 'incomplete'))
      res.on('error', () => resolve('error'))
      res.on('aborted', () => resolve('aborted'))
    })
    expect(outcome).not.toBe('complete')
    for (let i = 0; i < 20 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25))
    expect(errors).toHaveLength(1)
    expect(String(errors[0])).toContain('database went away')
  })
})

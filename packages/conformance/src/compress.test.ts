/**
 * `@cycle/middleware-compress` on every fetch runtime: the bytes a real client receives decode
 * (with Node 20's `node:zlib`) to what the view wrote, whichever compressor the runtime gave it.
 */
import { request as httpRequest } from 'node:http'
import * as zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIG } from '../servers/compress-data'
import { launchFetchServer, serverEntry, type FetchRuntime } from './launch'
import type { RunningServer } from './server-process'

const handlerModule = serverEntry('compress-handler.ts')
const zstdDecompress = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync

function decode(body: Buffer, coding: string | undefined): Buffer {
  if (coding === undefined) return body
  if (coding === 'gzip') return zlib.gunzipSync(body)
  if (coding === 'deflate') return zlib.inflateSync(body)
  if (coding === 'br') return zlib.brotliDecompressSync(body)
  if (coding === 'zstd' && zstdDecompress) return zstdDecompress(body)
  // Node 20 (this test process) has no zstd decoder: keep the frame as is, checked by its magic.
  if (coding === 'zstd') return body
  throw new Error(`cannot decode ${coding}`)
}

interface Wire {
  status: number
  headers: Record<string, string | string[] | undefined>
  decoded: string
  /** The first bytes on the wire. */
  head: number[]
}

function get(base: string, path: string, acceptEncoding?: string): Promise<Wire> {
  const url = new URL(path, base)
  const headers: Record<string, string> = {}
  if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          try {
            const coding = res.headers['content-encoding']
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              decoded: decode(Buffer.concat(chunks), coding).toString(),
              head: [...Buffer.concat(chunks).subarray(0, 4)],
            })
          } catch (error) {
            reject(error as Error)
          }
        })
      }
    )
    req.on('error', reject)
    req.end()
  })
}

const runtimes: FetchRuntime[] = ['node24', 'bun', 'deno', 'workerd']

describe.each(runtimes)('compress() behind gateway-fetch on %s', (runtime) => {
  let server: RunningServer
  beforeAll(async () => {
    server = await launchFetchServer(runtime, { handlerModule })
  })
  afterAll(async () => {
    await server?.close()
  })

  it.each(['gzip', 'deflate'])('%s: encoded once, decodes to the original', async (coding) => {
    const res = await get(server.baseUrl, '/text/', coding)
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe(coding)
    expect(res.headers['vary']).toBe('Accept-Encoding')
    expect(res.decoded).toBe(BIG)
  })

  it('a browser’s list: the best coding this runtime has, decoded right', async () => {
    const res = await get(server.baseUrl, '/text/', 'gzip, deflate, br, zstd')
    expect(['br', 'zstd', 'gzip', 'deflate']).toContain(res.headers['content-encoding'])
    if (res.headers['content-encoding'] !== 'zstd' || zstdDecompress) expect(res.decoded).toBe(BIG)
  })

  it('a streamed body stays a stream and decodes', async () => {
    const res = await get(server.baseUrl, '/stream/', 'gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.decoded).toBe(BIG.slice(0, 20 * 260))
  })

  it('no Accept-Encoding: the plain body, with Vary', async () => {
    const res = await get(server.baseUrl, '/text/')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['vary']).toBe('Accept-Encoding')
    expect(res.decoded).toBe(BIG)
  })

  it('Server-Sent Events pass unencoded', async () => {
    const res = await get(server.baseUrl, '/sse/', 'gzip')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.decoded).toBe(`data: ${BIG}\n\n`)
  })
})

describe('compress() on Node 24 picks zstd (node:zlib has it since 23.8)', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await launchFetchServer('node24', { handlerModule })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('zstd when asked for it alone: a zstd frame (decoded where this Node can)', async () => {
    const res = await get(server.baseUrl, '/text/', 'zstd')
    expect(res.headers['content-encoding']).toBe('zstd')
    expect(res.head).toEqual([0x28, 0xb5, 0x2f, 0xfd]) // RFC 8878 §3.1.1 magic number
    if (zstdDecompress) expect(res.decoded).toBe(BIG)
  })

  it('a browser’s list gets br first, zstd when br is refused', async () => {
    expect(
      (await get(server.baseUrl, '/text/', 'gzip, deflate, br, zstd')).headers['content-encoding']
    ).toBe('br')
    const res = await get(server.baseUrl, '/text/', 'gzip, deflate, br;q=0, zstd')
    expect(res.headers['content-encoding']).toBe('zstd')
    expect(res.head).toEqual([0x28, 0xb5, 0x2f, 0xfd])
  })
})

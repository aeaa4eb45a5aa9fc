/**
 * Request bodies that do not say what they are, over a real socket, in raw bytes (a client
 * library would fix up or refuse some of them): JSON in another charset, bodies in a content
 * coding, and prototype-poisoning keys in every JSON spelling. Each gets its problem answer, and
 * the same keep-alive connection then serves a normal request.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, json, path, text } from '@cycle/core'
import { closeAll, RawClient, start } from './__fixtures__/net'

afterEach(closeAll)

const app = createApp({
  urls: [
    path('json', { POST: async (request) => json({ got: await request.json() }) }),
    path('bytes', { POST: async (request) => json({ size: (await request.bytes()).byteLength }) }),
    path('ok', () => text('ok')),
  ],
})

function post(target: string, body: Buffer, headers: Record<string, string>): Buffer {
  const fields = Object.entries({ host: 'a', 'content-length': String(body.length), ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  return Buffer.concat([Buffer.from(`POST ${target} HTTP/1.1\r\n${fields}\r\n`, 'latin1'), body])
}

/** Sends `data` on a keep-alive connection, then a normal GET on the same one. */
async function attack(port: number, data: Buffer) {
  const client = await RawClient.connect(port)
  try {
    client.write(data)
    const res = await client.response()
    client.write('GET /ok HTTP/1.1\r\nhost: a\r\n\r\n')
    const after = await client.response()
    expect(after.status).toBe(200)
    expect(after.text).toBe('ok')
    return res
  } finally {
    client.destroy()
  }
}

describe('bodies say what they are, or are refused (raw bytes, real socket)', () => {
  it('JSON declared in a charset other than UTF-8 is a 415 problem', async () => {
    const server = await start(app)
    const latin1 = Buffer.from('{"name":"caf\u00e9"}', 'latin1')
    const utf16 = Buffer.from('{"name":"x"}', 'utf16le')
    for (const [body, type] of [
      [latin1, 'application/json; charset=latin1'],
      [latin1, 'application/json; charset=ISO-8859-1'],
      [utf16, 'application/json; charset=utf-16'],
      [utf16, 'application/json; charset="UTF-16LE"'],
    ] as const) {
      const res = await attack(server.port, post('/json', body, { 'content-type': type }))
      expect(res.status, type).toBe(415)
      expect(res.header('content-type')).toBe('application/problem+json')
      expect(JSON.parse(res.text)).toMatchObject({ status: 415, detail: expect.stringMatching(/UTF-8/) })
    }
    const ok = await attack(
      server.port,
      post('/json', Buffer.from('{"name":"caf\u00e9"}'), { 'content-type': 'application/json; charset=UTF-8' })
    )
    expect(JSON.parse(ok.text)).toEqual({ got: { name: 'caf\u00e9' } })
  })

  it('a Content-Encoding the app does not decode is a 415 with Accept-Encoding: identity', async () => {
    const server = await start(app)
    const doc = Buffer.from('{"a":1}')
    for (const [coding, body] of [
      ['gzip', gzipSync(doc)],
      ['br', brotliCompressSync(doc)],
      ['deflate', deflateSync(doc)],
      ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])],
      ['x-unknown', doc],
      ['GZIP', gzipSync(doc)],
      ['identity, gzip', gzipSync(doc)],
    ] as const) {
      for (const target of ['/json', '/bytes']) {
        const data = post(target, body, {
          'content-type': 'application/json',
          'content-encoding': coding,
        })
        const res = await attack(server.port, data)
        expect(res.status, `${coding} ${target}`).toBe(415)
        expect(res.header('accept-encoding')).toBe('identity')
        expect(res.text).not.toMatch(/JSON/)
      }
    }
    const plain = await attack(
      server.port,
      post('/json', doc, { 'content-type': 'application/json', 'content-encoding': 'identity' })
    )
    expect(JSON.parse(plain.text)).toEqual({ got: { a: 1 } })
  })

  it('a gzip bomb is refused by its header: none of it is inflated', async () => {
    const server = await start(app)
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
    const rss = process.memoryUsage().rss
    const res = await attack(
      server.port,
      post('/json', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    )
    expect(res.status).toBe(415)
    expect(process.memoryUsage().rss - rss).toBeLessThan(32 * 1024 * 1024)
  })
})

describe('prototype keys in JSON, in every spelling (raw bytes, real socket)', () => {
  it('__proto__ and constructor.prototype, plain or \\u-escaped, are a 400 problem', async () => {
    const server = await start(app)
    for (const doc of [
      '{"__proto__":{"admin":true}}',
      '{"\\u005f\\u005fproto__":{"admin":true}}',
      '{"a":[{"__pr\\u006fto__":{"admin":true}}]}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"\\u0063onstructor":{"\\u0070rototype":{"admin":true}}}',
    ]) {
      const res = await attack(
        server.port,
        post('/json', Buffer.from(doc), { 'content-type': 'application/json' })
      )
      expect(res.status, doc).toBe(400)
      expect(res.header('content-type')).toBe('application/problem+json')
      expect(JSON.parse(res.text)).toMatchObject({
        status: 400,
        detail: expect.stringMatching(/prototype poisoning/),
      })
    }
  })

  it('look-alikes stay valid: "constructor": "x", "proto", a quoted "__proto__" in a value', async () => {
    const server = await start(app)
    for (const doc of [
      '{"constructor":"x"}',
      '{"constructor":{"name":"x"}}',
      '{"proto":1,"__proto":2}',
      '{"note":"\\"__proto__\\": {}"}',
    ]) {
      const res = await attack(
        server.port,
        post('/json', Buffer.from(doc), { 'content-type': 'application/json' })
      )
      expect(res.status, doc).toBe(200)
      expect(JSON.parse(res.text)).toEqual({ got: JSON.parse(doc) })
    }
  })
})

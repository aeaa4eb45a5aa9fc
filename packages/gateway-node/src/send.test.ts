import { afterEach, describe, expect, it } from 'vitest'
import { CycleResponse, json, noContent, stream, text } from '@cycle/core'
import { closeAll, RawClient, rawRequest, routesApp, start } from './__fixtures__/net'

afterEach(closeAll)

const get = (path: string, method = 'GET'): string =>
  `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`

describe('writing responses', () => {
  it('sends Content-Length for ASCII and unicode strings (bytes, not characters)', async () => {
    const server = await start(
      routesApp({
        '/ascii': () => text('hello'),
        '/unicode': () => text('héllo wörld – 日本語 🎉'),
      })
    )
    const ascii = await rawRequest(server.port, get('/ascii'))
    expect(ascii.header('content-length')).toBe('5')
    expect(ascii.text).toBe('hello')
    const uni = await rawRequest(server.port, get('/unicode'))
    expect(uni.header('content-length')).toBe(String(Buffer.byteLength('héllo wörld – 日本語 🎉')))
    expect(uni.body.toString('utf8')).toBe('héllo wörld – 日本語 🎉')
    expect(uni.header('transfer-encoding')).toBeUndefined()
  })

  it('sends Content-Length for Uint8Array and ArrayBuffer bodies', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    const server = await start(
      routesApp({
        '/u8': () => new CycleResponse(bytes),
        '/ab': () => new CycleResponse(bytes.slice().buffer),
      })
    )
    for (const path of ['/u8', '/ab']) {
      const res = await rawRequest(server.port, get(path))
      expect(res.header('content-length')).toBe('5')
      expect([...res.body]).toEqual([...bytes])
    }
  })

  it('serializes pending JSON data and measures it', async () => {
    const server = await start(routesApp({ '/data': () => json({ name: 'Zoë' }, 201) }))
    const res = await rawRequest(server.port, get('/data'))
    expect(res.status).toBe(201)
    expect(res.header('content-type')).toBe('application/json; charset=utf-8')
    expect(res.header('content-length')).toBe(String(Buffer.byteLength('{"name":"Zoë"}')))
    expect(JSON.parse(res.text)).toEqual({ name: 'Zoë' })
  })

  it('keeps several Set-Cookie headers apart on the wire', async () => {
    const server = await start(
      routesApp({
        '/cookies': () =>
          text('ok').setCookie('a', '1', { httpOnly: true }).setCookie('b', '2, with comma'),
      })
    )
    const res = await rawRequest(server.port, get('/cookies'))
    expect(res.all('set-cookie')).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2%2C%20with%20comma; Path=/',
    ])
  })

  it('a null body is an empty response with Content-Length: 0', async () => {
    const server = await start(
      routesApp({ '/empty': () => new CycleResponse(null, { status: 202 }) })
    )
    const res = await rawRequest(server.port, get('/empty'))
    expect(res.status).toBe(202)
    expect(res.header('content-length')).toBe('0')
    expect(res.body.length).toBe(0)
  })

  it('HEAD gets the GET headers and Content-Length but no body', async () => {
    const server = await start(routesApp({ '/page': () => text('twelve bytes') }))
    const client = await RawClient.connect(server.port)
    client.write(
      'HEAD /page HTTP/1.1\r\nHost: localhost\r\n\r\nGET /page HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
    )
    const head = await client.response({ head: true })
    expect(head.status).toBe(200)
    expect(head.header('content-length')).toBe('12')
    // The next response starts right after the HEAD headers: no body bytes were sent.
    const next = await client.response()
    expect(next.text).toBe('twelve bytes')
    client.destroy()
  })

  it('HEAD keeps an explicit Content-Length of a bodiless answer', async () => {
    const server = await start(
      routesApp({
        '/file': () => new CycleResponse(null, { headers: { 'content-length': '4096' } }),
      })
    )
    const res = await rawRequest(server.port, get('/file', 'HEAD'), { head: true })
    expect(res.header('content-length')).toBe('4096')
  })

  it('204 and 304 have no body and no added Content-Length, even when one was given', async () => {
    const server = await start(
      routesApp({
        '/204': () => noContent(),
        '/304': () => new CycleResponse('ignored body', { status: 304, headers: { etag: '"x"' } }),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(get('/204').replace('Connection: close\r\n', '') + get('/304'))
    const a = await client.response()
    expect(a.status).toBe(204)
    expect(a.header('content-length')).toBeUndefined()
    expect(a.header('transfer-encoding')).toBeUndefined()
    const b = await client.response()
    expect(b.status).toBe(304)
    expect(b.header('etag')).toBe('"x"')
    expect(b.header('content-length')).toBeUndefined()
    await client.closed
    expect(client.pending).toBe('')
  })

  it('HEAD on a streamed response cancels the stream instead of reading it', async () => {
    let finalized = false
    let produced = 0
    const server = await start(
      routesApp({
        '/stream': () =>
          stream(
            (async function* () {
              try {
                for (;;) {
                  produced++
                  yield 'x'
                }
              } finally {
                finalized = true
              }
            })()
          ),
      })
    )
    const res = await rawRequest(server.port, get('/stream', 'HEAD'), { head: true })
    expect(res.status).toBe(200)
    expect(produced).toBe(0)
    expect(finalized).toBe(false) // never started, so nothing to finalize; and never read
  })

  it('a header value node refuses becomes a 500, not a crash', async () => {
    const server = await start(
      routesApp({
        '/bad': () => {
          const res = text('x')
          res.headers._map['x-bad'] = 'a\u0000b'
          return res
        },
      }),
      { onError: () => {} }
    )
    const res = await rawRequest(server.port, get('/bad'))
    expect(res.status).toBe(500)
    expect(res.header('content-type')).toBe('application/problem+json')
  })
})

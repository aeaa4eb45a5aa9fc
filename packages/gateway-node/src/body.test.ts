import { afterEach, describe, expect, it } from 'vitest'
import { json, text, type CycleRequest } from '@cycle/core'
import { closeAll, deferred, RawClient, rawRequest, routesApp, start } from './__fixtures__/net'

afterEach(closeAll)

const echoBytes = async (r: CycleRequest): Promise<ReturnType<typeof json>> =>
  json({ size: (await r.bytes()).byteLength })

describe('request bodies', () => {
  it('reads a Content-Length body and a chunked body', async () => {
    const server = await start(routesApp({ '/echo': async (r) => text(await r.text()) }))
    const a = await rawRequest(
      server.port,
      'POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
    )
    expect(a.text).toBe('hello')
    const b = await rawRequest(
      server.port,
      'POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'
    )
    expect(b.text).toBe('abcde')
  })

  it('a request without Content-Length or Transfer-Encoding has no body', async () => {
    const server = await start(routesApp({ '/body': (r) => json({ body: r.body === null }) }))
    const res = await rawRequest(
      server.port,
      'POST /body HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
    )
    expect(JSON.parse(res.text)).toEqual({ body: true })
  })

  it('defaults the limit to 1 MiB and takes bodyLimit from the options', async () => {
    const limits: number[] = []
    const probe = routesApp({ '/limit': (r) => (limits.push(r.bodyLimit), text('ok')) })
    const a = await start(probe)
    const b = await start(probe, { bodyLimit: 10 })
    await rawRequest(a.port, 'GET /limit HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    await rawRequest(b.port, 'GET /limit HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    expect(limits).toEqual([1024 * 1024, 10])
  })

  it('413 on a declared Content-Length over the limit, without reading the body, and closes', async () => {
    const server = await start(routesApp({ '/up': echoBytes }), { bodyLimit: 1000 })
    const client = await RawClient.connect(server.port)
    // Announce 10 MB and send only a little: the server must answer without waiting for the rest.
    client.write(
      'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n' + 'x'.repeat(100)
    )
    const res = await client.response()
    expect(res.status).toBe(413)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(res.header('connection')).toBe('close')
    await client.closed
  })

  it('413 on a chunked body that grows past the limit, and closes', async () => {
    const server = await start(routesApp({ '/up': echoBytes }), { bodyLimit: 1000 })
    const client = await RawClient.connect(server.port)
    client.write('POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n')
    const chunk = 'y'.repeat(600)
    client.write(`${(600).toString(16)}\r\n${chunk}\r\n${(600).toString(16)}\r\n${chunk}\r\n`)
    const res = await client.response()
    expect(res.status).toBe(413)
    expect(res.header('connection')).toBe('close')
    await client.closed
  })

  it('a chunked body a little over the limit is read to its end: 413, and the connection stays usable', async () => {
    const server = await start(routesApp({ '/up': echoBytes, '/next': () => text('next') }), {
      bodyLimit: 1000,
    })
    const client = await RawClient.connect(server.port)
    const chunk = 'y'.repeat(600)
    client.write(
      'POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `258\r\n${chunk}\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`
    )
    const res = await client.response()
    expect(res.status).toBe(413)
    // Core read the 800-byte overrun to its end (well within its drain budget): nothing is left.
    expect(res.header('connection')).not.toBe('close')
    client.write('GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    expect((await client.response()).text).toBe('next')
  })

  it('a small unread body is drained so the connection stays usable', async () => {
    const server = await start(
      routesApp({ '/ignore': () => text('ignored'), '/next': () => text('next') })
    )
    const client = await RawClient.connect(server.port)
    client.write(
      'POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n' + 'z'.repeat(500)
    )
    const first = await client.response()
    expect(first.text).toBe('ignored')
    expect(first.header('connection')).not.toBe('close')
    client.write('z'.repeat(1500) + 'GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    const second = await client.response()
    expect(second.text).toBe('next')
  })

  it('a chunked body cut short at the route limit closes the connection instead of reading on', async () => {
    const server = await start(
      routesApp({
        '/tiny': async (r) => {
          r.bodyLimit = 10
          return echoBytes(r)
        },
        '/next': () => text('next'),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(
      'POST /tiny HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n' +
        'q'.repeat(20) +
        '\r\n'
    )
    const first = await client.response()
    expect(first.status).toBe(413)
    // Chunked with an unknown rest: the connection is closed rather than read to the end.
    expect(first.header('connection')).toBe('close')
    await client.closed
  })

  it('a partly read small body is drained so the connection stays usable', async () => {
    const server = await start(
      routesApp({
        '/peek': async (r) => {
          const reader = (r.body as ReadableStream<Uint8Array>).getReader()
          const first = await reader.read()
          await reader.cancel()
          return text(`peeked ${(first.value?.byteLength ?? 0) > 0 ? 'some' : 'none'}`)
        },
        '/next': () => text('next'),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write('POST /peek HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n' + 'p'.repeat(500))
    const first = await client.response()
    expect(first.text).toBe('peeked some')
    expect(first.header('connection')).not.toBe('close')
    client.write('p'.repeat(1500) + 'GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    expect((await client.response()).text).toBe('next')
  })

  it('a client leaving mid-upload does not crash the server and aborts the request', async () => {
    const entered = deferred()
    const failure = deferred<unknown>()
    const server = await start(
      routesApp({
        '/upload': async (r) => {
          entered.resolve()
          try {
            await r.bytes()
          } catch (error) {
            failure.resolve(error)
          }
          return text('unreachable')
        },
        '/alive': () => text('alive'),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(
      'POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n' + 'u'.repeat(1000)
    )
    await entered.promise
    client.destroy()
    const error = (await failure.promise) as { status?: number }
    expect(error.status).toBe(400)
    const alive = await rawRequest(
      server.port,
      'GET /alive HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
    )
    expect(alive.text).toBe('alive')
  })

  it('Expect: 100-continue: 100 only when the body is read; a body over the limit is refused first', async () => {
    const server = await start(routesApp({ '/up': echoBytes, '/no': () => text('no', 401) }), {
      bodyLimit: 1000,
    })
    const ok = await RawClient.connect(server.port)
    ok.write('POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n')
    expect((await ok.response()).status).toBe(100)
    ok.write('hello')
    const res = await ok.response()
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toEqual({ size: 5 })
    ok.destroy()

    const big = await RawClient.connect(server.port)
    big.write(
      'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n'
    )
    const refused = await big.response()
    expect(refused.status).toBe(413)
    expect(refused.header('connection')).toBe('close')
    big.destroy()

    const unread = await RawClient.connect(server.port)
    unread.write(
      'POST /no HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n'
    )
    expect((await unread.response()).status).toBe(401)
    unread.destroy()
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { stream, text } from '@cycle/core'
import { closeAll, RawClient, rawRequest, routesApp, start } from './__fixtures__/net'
import { problemResponse } from './client-error'

afterEach(closeAll)

describe('what node rejects before there is a request', () => {
  it('answers an oversized header section with a 431 problem and closes', async () => {
    const server = await start(routesApp({ '/': () => text('ok') }), { maxHeaderSize: 1024 })
    const client = await RawClient.connect(server.port)
    client.write(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(4096)}\r\n\r\n`)
    const res = await client.response()
    expect(res.status).toBe(431)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(res.text)).toMatchObject({
      status: 431,
      title: 'Request Header Fields Too Large',
    })
    expect(res.header('connection')).toBe('close')
    await client.closed
  })

  it('still accepts headers under maxHeaderSize', async () => {
    const server = await start(routesApp({ '/': () => text('ok') }), { maxHeaderSize: 2048 })
    const res = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: a\r\nX-Mid: ${'m'.repeat(1000)}\r\nConnection: close\r\n\r\n`
    )
    expect(res.status).toBe(200)
  })

  it.each([
    ['a garbage request line', 'HELLO\r\n\r\n'],
    ['a bad header line', 'GET / HTTP/1.1\r\nHost a\r\n\r\n'],
    [
      'a bad chunk size in a body being read',
      'POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    [
      'Content-Length with Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'two Content-Lengths',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    ],
  ])('answers %s with a 400 problem and stays up', async (_name, data) => {
    const server = await start(
      routesApp({ '/': () => text('ok'), '/echo': async (r) => text(await r.text()) }),
      {
        onError: () => {},
      }
    )
    const client = await RawClient.connect(server.port)
    client.write(data)
    await client.closed
    const res = await client.response()
    expect(res.status).toBe(400)
    expect(res.header('content-type')).toBe('application/problem+json')
    const after = await rawRequest(
      server.port,
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
    )
    expect(after.text).toBe('ok')
  })

  it.each([
    ['a synchronous view', '/sync'],
    ['an asynchronous view', '/async'],
    ['a streamed answer', '/stream'],
  ])(
    'answers a good request pipelined before garbage (%s), then the 400, in order',
    async (_name, target) => {
      const server = await start(
        routesApp({
          '/sync': () => text('sync'),
          '/async': async () => (await new Promise((r) => setTimeout(r, 20)), text('async')),
          '/stream': () =>
            stream(
              (async function* () {
                for (let i = 0; i < 8; i++) yield `${i}`.repeat(8192)
              })()
            ),
        })
      )
      const client = await RawClient.connect(server.port)
      // One write: node parses both, dispatches the first, and fails on the second.
      client.write(`GET ${target} HTTP/1.1\r\nHost: a\r\n\r\nHELLO\r\n\r\n`)
      const first = await client.response()
      expect(first.status).toBe(200)
      expect(first.body.length).toBe(target === '/stream' ? 8 * 8192 : target.length - 1)
      const second = await client.response()
      expect(second.status).toBe(400)
      expect(second.header('connection')).toBe('close')
      await client.closed
    }
  )

  it('answers a client that is too slow to send its headers with a 408', async () => {
    const server = await start(routesApp({ '/': () => text('ok') }), {
      timeouts: { headers: 200, request: 400 },
    })
    const client = await RawClient.connect(server.port)
    client.write('GET / HTTP/1.1\r\nHost: a\r\n')
    await client.closed
    const res = await client.response()
    expect(res.status).toBe(408)
    expect(res.header('content-type')).toBe('application/problem+json')
  })

  it('builds a well-formed raw problem response', () => {
    const raw = problemResponse(431, 'too big')
    const [head, body] = raw.split('\r\n\r\n') as [string, string]
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`)
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Request Header Fields Too Large',
      status: 431,
      detail: 'too big',
    })
  })
})

/**
 * Limits mean what the docs say, over a real socket in raw bytes: `maxHeaderSize` counts the
 * header section as RFC 9112 §5 writes it, and `timeouts.send` cuts a client that stopped reading.
 * After each attack, the server still answers a normal request.
 */
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CycleResponse, stream, text, type CycleRequest } from '@cycle/core'
import { closeAll, rawRequest, RawClient, routesApp, start, until } from './__fixtures__/net'

afterEach(closeAll)

const ok = (port: number) => rawRequest(port, 'GET /ok HTTP/1.1\r\nhost: a\r\n\r\n')

/** `n` field lines of exactly `bytes` bytes each (`x-NNNN: value` CRLF). */
function fields(n: number, bytes: number): string {
  let out = ''
  for (let i = 0; i < n; i++) {
    const name = `x-${String(i).padStart(4, '0')}`
    out += `${name}: ${'v'.repeat(bytes - name.length - 4)}\r\n`
  }
  return out
}

/** A GET whose header section (`host: a` CRLF, the fields, the empty line) is `size` bytes. */
function sized(size: number): string {
  const host = 'host: a\r\n'
  const filler = size - host.length - 2
  const lines = fields(Math.floor(filler / 100) - 1, 100)
  const last = filler - lines.length
  const pad = `x-last: ${'p'.repeat(last - 10)}\r\n`
  const section = host + lines + pad + '\r\n'
  expect(section.length).toBe(size)
  return `GET /ok HTTP/1.1\r\n${section}`
}

describe('maxHeaderSize counts the header section as RFC 9112 §5 does', () => {
  it('900 fields of 21 bytes (18.9 KB) are a 431 under the default 16 KiB', async () => {
    const server = await start(routesApp({ '/ok': () => text('ok') }))
    const res = await rawRequest(server.port, `GET /ok HTTP/1.1\r\nhost: a\r\n${fields(900, 21)}\r\n`)
    expect(res.status).toBe(431)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(res.text)).toMatchObject({
      status: 431,
      detail: 'The request header section is 18911 bytes; this server accepts at most 16384.',
    })
    expect((await ok(server.port)).status).toBe(200)
  })

  it('a section of exactly maxHeaderSize passes; one byte more is a 431', async () => {
    const server = await start(routesApp({ '/ok': () => text('ok') }))
    expect((await rawRequest(server.port, sized(16_384))).status).toBe(200)
    expect((await rawRequest(server.port, sized(16_385))).status).toBe(431)
    const small = await start(routesApp({ '/ok': () => text('ok') }), { maxHeaderSize: 4096 })
    expect((await rawRequest(small.port, sized(4096))).status).toBe(200)
    expect((await rawRequest(small.port, sized(4097))).status).toBe(431)
    expect((await ok(small.port)).status).toBe(200)
  })

  it('thousands of tiny fields are counted too, not dropped past the field cap of node', async () => {
    let seen = 0
    const server = await start(
      routesApp({
        '/ok': (r: CycleRequest) => {
          seen = [...r.headers].length
          return text('ok')
        },
      })
    )
    // 1,500 lines of `aN: b` (14.4 KB) fit; node alone would keep ~1,000 and drop the rest.
    const tiny = (n: number): string =>
      Array.from({ length: n }, (_, i) => `a${i}: b\r\n`).join('')
    expect((await rawRequest(server.port, `GET /ok HTTP/1.1\r\nhost: a\r\n${tiny(1500)}\r\n`)).status).toBe(200)
    expect(seen).toBe(1501)
    for (const n of [3000, 5000]) {
      const res = await rawRequest(server.port, `GET /ok HTTP/1.1\r\nhost: a\r\n${tiny(n)}\r\n`)
      expect(res.status, String(n)).toBe(431)
    }
    expect((await ok(server.port)).status).toBe(200)
  })

  it('a keep-alive connection goes on after a 431', async () => {
    const server = await start(routesApp({ '/ok': () => text('ok') }))
    const client = await RawClient.connect(server.port)
    client.write(`GET /ok HTTP/1.1\r\nhost: a\r\n${fields(900, 21)}\r\n`)
    expect((await client.response()).status).toBe(431)
    client.write('GET /ok HTTP/1.1\r\nhost: a\r\n\r\n')
    expect((await client.response()).text).toBe('ok')
    client.destroy()
  })
})

const BIG = new Uint8Array(64 * 1024 * 1024)

/** A raw connection that only counts what it receives (a big body never piles up in memory). */
async function counting(port: number): Promise<{
  socket: net.Socket
  received: () => number
  closed: Promise<void>
}> {
  const socket = net.connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  let received = 0
  socket.on('data', (chunk: Buffer) => (received += chunk.byteLength))
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return { socket, received: () => received, closed }
}

describe('timeouts.send cuts a client that stops reading', () => {
  it('a client that never reads a large body is cut after the send timeout', async () => {
    const server = await start(
      routesApp({ '/big': () => new CycleResponse(BIG), '/ok': () => text('ok') }),
      { timeouts: { send: 200 } }
    )
    let cutAfter = -1
    server.server.on('connection', (socket: net.Socket) => {
      const opened = Date.now()
      socket.once('close', () => (cutAfter = Date.now() - opened))
    })
    const client = await counting(server.port)
    client.socket.pause()
    client.socket.write('GET /big HTTP/1.1\r\nhost: a\r\n\r\n')
    // The server cuts the connection while the client still reads nothing.
    await until(() => cutAfter !== -1)
    expect(cutAfter).toBeGreaterThanOrEqual(200)
    expect(cutAfter).toBeLessThan(2_000)
    client.socket.resume()
    await client.closed
    expect(client.received()).toBeLessThan(BIG.byteLength)
    expect((await ok(server.port)).text).toBe('ok')
  })

  it('a streamed body stops and its source is cancelled', async () => {
    let cleaned = false
    const server = await start(
      routesApp({
        '/feed': () =>
          stream(
            (async function* () {
              try {
                for (;;) yield new Uint8Array(1024 * 1024)
              } finally {
                cleaned = true
              }
            })()
          ),
        '/ok': () => text('ok'),
      }),
      { timeouts: { send: 200 } }
    )
    const client = await counting(server.port)
    client.socket.pause()
    client.socket.write('GET /feed HTTP/1.1\r\nhost: a\r\n\r\n')
    await until(() => cleaned)
    client.socket.resume()
    await client.closed
    expect((await ok(server.port)).text).toBe('ok')
  })

  it('a slow client that keeps reading is never cut', async () => {
    const body = new Uint8Array(32 * 1024 * 1024)
    const server = await start(routesApp({ '/big': () => new CycleResponse(body) }), {
      timeouts: { send: 300 },
    })
    const client = await counting(server.port)
    // Reads in short bursts 100 ms apart: slower than the server writes, faster than the timeout.
    client.socket.pause()
    const pacer = setInterval(() => {
      client.socket.resume()
      setTimeout(() => client.socket.pause(), 2)
    }, 100)
    client.socket.write('GET /big HTTP/1.1\r\nhost: a\r\n\r\n')
    try {
      await until(() => client.received() > body.byteLength)
      expect(client.socket.destroyed).toBe(false)
    } finally {
      clearInterval(pacer)
      client.socket.destroy()
    }
  })

  it('timeouts.send: 0 turns it off, and a bad value is refused at serve()', async () => {
    await expect(start(routesApp({}), { timeouts: { send: -1 } })).rejects.toThrow(/timeouts.send/)
    const server = await start(routesApp({ '/big': () => new CycleResponse(BIG) }), {
      timeouts: { send: 0 },
    })
    const client = await counting(server.port)
    client.socket.pause()
    client.socket.write('GET /big HTTP/1.1\r\nhost: a\r\n\r\n')
    await new Promise((r) => setTimeout(r, 300))
    expect(client.socket.destroyed).toBe(false)
    client.socket.destroy()
  })
})

import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LINGER_BYTES } from './_linger'
import { startChildServer, type ChildServer } from './__fixtures__/child'

// The server runs in another process: an in-process server hides the resets this is about
// (client and server share one event loop, so the client has read the answer before the
// server closes). Routes: POST /small (reads the body, 1 KiB limit), POST /ignore (does not).

let server: ChildServer
beforeAll(async () => {
  server = await startChildServer()
}, 30_000)
afterAll(async () => {
  await server?.stop()
})

/** A raw client that keeps its write side open after the server's FIN (so it can go on sending). */
interface HalfOpenClient {
  socket: net.Socket
  /** The local port, which the server reports closed connections by. */
  port: number
  received: () => string
  errors: Error[]
  closed: Promise<void>
  /** Resolves once `text` has arrived. */
  waitFor(text: string): Promise<void>
}

function connect(): Promise<HalfOpenClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true })
    let data = ''
    const errors: Error[] = []
    const waiters = new Set<() => void>()
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      data += chunk
      for (const wake of waiters) wake()
    })
    socket.on('error', (error) => errors.push(error))
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.once('connect', () =>
      resolve({
        socket,
        port: socket.localPort ?? 0,
        received: () => data,
        errors,
        closed,
        waitFor: (text) =>
          new Promise<void>((done, fail) => {
            const check = (): void => {
              if (data.includes(text)) {
                waiters.delete(check)
                done()
              }
            }
            waiters.add(check)
            check()
            void closed.then(() => fail(new Error(`closed before ${text}: ${data}`)))
          }),
      })
    )
    socket.once('error', reject)
  })
}

function write(socket: net.Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (e) => (e ? reject(e) : resolve())))
}

/** A chunked request body of `chunks` chunks of `size` bytes, as a fetch stream body. */
function chunkedInit(size: number, chunks: number): RequestInit {
  const chunk = new Uint8Array(size).fill(120)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) controller.close()
      else controller.enqueue(chunk)
    },
  })
  return { method: 'POST', body, duplex: 'half' } as RequestInit
}

describe('an early answer to a body still being sent (separate server process)', () => {
  it('a 3 KiB chunked body to a 1 KiB route gets its 413 every time, never a reset', async () => {
    const statuses: (number | string)[] = []
    for (let i = 0; i < 50; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/small`, chunkedInit(1024, 3))
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        await res.text()
        statuses.push(res.status)
      } catch (error) {
        statuses.push(String((error as Error).cause ?? error))
      }
    }
    expect(statuses).toEqual(Array(50).fill(413))
  }, 30_000)

  it('a chunked body far past the drain budget (256 KiB) gets its 413 every time', async () => {
    const statuses: (number | string)[] = []
    for (let i = 0; i < 20; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/small`, chunkedInit(16384, 16))
        await res.text()
        statuses.push(res.status)
      } catch (error) {
        statuses.push(String((error as Error).cause ?? error))
      }
    }
    expect(statuses).toEqual(Array(20).fill(413))
  }, 30_000)

  it('a client still sending after a closing answer gets a clean close, not a reset', async () => {
    const client = await connect()
    await write(
      client.socket,
      'POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n' +
        'a'.repeat(1024) +
        '\r\n'
    )
    await client.waitFor('ignored')
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /)
    expect(client.received().toLowerCase()).toContain('connection: close')
    // The server has answered and half-closed; the rest of the body still goes through.
    const rest = `4000\r\n${'b'.repeat(0x4000)}\r\n`.repeat(8) + '0\r\n\r\n'
    await write(client.socket, rest)
    client.socket.end()
    await client.closed
    expect(client.errors).toEqual([])
    // It read the whole body (headers, 1 KiB, 128 KiB) before closing.
    expect(await server.closedFrom(client.port)).toBeGreaterThan(8 * 0x4000 + 1024)
  })

  it('a request pipelined behind the closing answer is not answered', async () => {
    const client = await connect()
    await write(
      client.socket,
      'POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'
    )
    await client.waitFor('ignored')
    await write(client.socket, '0\r\n\r\nGET /ignore HTTP/1.1\r\nHost: a\r\n\r\n')
    client.socket.end()
    await client.closed
    expect(client.received().match(/HTTP\/1\.1 /g)).toHaveLength(1)
    expect(client.errors).toEqual([])
    await server.closedFrom(client.port)
  })

  it('a client that goes quiet is closed after the linger time, not kept for the request timeout', async () => {
    const client = await connect()
    await write(
      client.socket,
      'POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'
    )
    await client.waitFor('ignored')
    // Neither the rest of the body nor a FIN: only the server's linger bound ends this (the
    // request timeout is 300 s). A half-open client only learns of it when it writes again.
    expect(await server.closedFrom(client.port)).toBeGreaterThan(0)
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /)
    client.socket.destroy()
  })

  it('a 100 MiB declared body: 413, then the connection closes without reading it all', async () => {
    const declared = 100 * 1024 * 1024
    const client = await connect()
    client.socket.write(
      `POST /small HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`
    )
    let closed = false
    void client.closed.then(() => (closed = true))
    const block = Buffer.alloc(64 * 1024, 0x7a)
    let written = 0
    // Send as a real uploader would, with backpressure, until the server cuts the connection.
    while (!closed && client.errors.length === 0 && written < declared) {
      written += block.byteLength
      if (!client.socket.write(block)) {
        await new Promise<void>((resolve) => {
          client.socket.once('drain', resolve)
          void client.closed.then(() => resolve())
        })
      }
    }
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /)
    expect(client.received().toLowerCase()).toContain('connection: close')
    expect(written).toBeLessThan(declared)
    // The server read at most the linger budget (plus one read's worth and the head).
    expect(await server.closedFrom(client.port)).toBeLessThan(LINGER_BYTES + 256 * 1024)
  }, 30_000)
})

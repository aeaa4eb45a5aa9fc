import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { stream, type CycleRequest } from '@cycle/core'
import {
  closeAll,
  deferred,
  RawClient,
  rawRequest,
  routesApp,
  start,
  until,
} from './__fixtures__/net'

afterEach(closeAll)

const get = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`

describe('streamed responses', () => {
  it('sends async iterables (strings and bytes) and ReadableStreams chunked, in order', async () => {
    const server = await start(
      routesApp({
        '/gen': () =>
          stream(
            (async function* () {
              yield 'a'
              yield new TextEncoder().encode('ß')
              yield 'c'
            })()
          ),
        '/web': () =>
          stream(
            new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('one,'))
                controller.enqueue(new TextEncoder().encode('two'))
                controller.close()
              },
            })
          ),
      })
    )
    const gen = await rawRequest(server.port, get('/gen'))
    expect(gen.header('transfer-encoding')).toBe('chunked')
    expect(gen.header('content-length')).toBeUndefined()
    expect(gen.body.toString('utf8')).toBe('aßc')
    const web = await rawRequest(server.port, get('/web'))
    expect(web.text).toBe('one,two')
  })

  it('applies backpressure: a paused client stops production instead of buffering the stream', async () => {
    const CHUNK = 64 * 1024
    const TOTAL = 1024 // 64 MiB if nothing pushed back
    let produced = 0
    const payload = new Uint8Array(CHUNK).fill(120)
    const server = await start(
      routesApp({
        '/big': () =>
          stream(
            (async function* () {
              while (produced < TOTAL) {
                produced++
                yield payload
              }
            })()
          ),
      })
    )
    const socket = net.connect(server.port, '127.0.0.1')
    let received = 0
    socket.on('data', (chunk: Buffer) => (received += chunk.length))
    const closed = new Promise((resolve) => socket.on('close', resolve))
    socket.pause()
    socket.write(get('/big'))
    // Wait until production stalls (the socket buffers are full), then check how far it got.
    let last = -1
    let stable = 0
    while (stable < 10) {
      await new Promise((r) => setTimeout(r, 20))
      stable = produced === last ? stable + 1 : 0
      last = produced
    }
    expect(produced).toBeGreaterThan(0)
    // Kernel and stream buffers hold a few MiB at most; without backpressure all 64 MiB are made.
    expect(produced).toBeLessThan(TOTAL / 4)
    socket.resume()
    await closed
    expect(produced).toBe(TOTAL)
    expect(received).toBeGreaterThan(CHUNK * TOTAL)
  })

  it('a client leaving mid-stream aborts request.signal and runs the generator finally', async () => {
    const finalized = deferred()
    const aborted = deferred<unknown>()
    const server = await start(
      routesApp({
        '/sse': (request: CycleRequest) => {
          request.signal.addEventListener('abort', () => aborted.resolve(request.signal.reason))
          return stream(
            (async function* () {
              try {
                for (let i = 0; ; i++) {
                  yield `data: ${i}\n\n`
                  await new Promise((r) => setTimeout(r, 5))
                }
              } finally {
                finalized.resolve()
              }
            })(),
            { headers: { 'content-type': 'text/event-stream' } }
          )
        },
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(get('/sse'))
    await until(() => client.pending.includes('data: 2'))
    client.destroy()
    const reason = await aborted.promise
    expect((reason as DOMException).name).toBe('AbortError')
    await finalized.promise
  })

  it('a client leaving mid-stream cancels a ReadableStream source', async () => {
    const cancelled = deferred<unknown>()
    const server = await start(
      routesApp({
        '/web': () =>
          stream(
            new ReadableStream<Uint8Array>({
              pull: async (controller) => {
                await new Promise((r) => setTimeout(r, 5))
                controller.enqueue(new TextEncoder().encode('tick\n'))
              },
              cancel: (reason) => cancelled.resolve(reason),
            })
          ),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(get('/web'))
    await until(() => client.pending.includes('tick'))
    client.destroy()
    await cancelled.promise
  })

  it('request.signal never fires after a normal completion', async () => {
    const signals: AbortSignal[] = []
    const server = await start(
      routesApp({
        '/done': (request: CycleRequest) => {
          signals.push(request.signal)
          return stream(
            (async function* () {
              yield 'all '
              yield 'good'
            })()
          )
        },
      })
    )
    const client = await RawClient.connect(server.port)
    client.write(get('/done'))
    const res = await client.response()
    expect(res.text).toBe('all good')
    await client.closed
    // The server side has closed too; give the close events a turn to run.
    await new Promise((r) => setTimeout(r, 20))
    expect(signals).toHaveLength(1)
    expect(signals[0]?.aborted).toBe(false)
  })

  it('a stream failing mid-way resets the connection (no fake complete body) and is reported', async () => {
    const errors: unknown[] = []
    const server = await start(
      routesApp({
        '/fail': () =>
          stream(
            (async function* () {
              yield 'partial'
              throw new Error('disk on fire')
            })()
          ),
      }),
      { onError: (error) => errors.push(error) }
    )
    const client = await RawClient.connect(server.port)
    client.write(get('/fail'))
    await client.closed
    expect(client.pending).toContain('partial')
    // The terminating zero-length chunk never came.
    expect(client.pending).not.toContain('\r\n0\r\n\r\n')
    expect((errors[0] as Error).message).toBe('disk on fire')
  })

  it('a stream failing before its first chunk becomes a 500 problem', async () => {
    const errors: unknown[] = []
    const server = await start(
      routesApp({
        '/early': () =>
          stream(
            // eslint-disable-next-line require-yield
            (async function* () {
              throw new Error('no data for you')
            })()
          ),
      }),
      { onError: (error) => errors.push(error) }
    )
    const res = await rawRequest(server.port, get('/early'))
    expect(res.status).toBe(500)
    expect(res.header('content-type')).toBe('application/problem+json')
    expect(res.text).not.toContain('no data for you')
    expect(errors).toHaveLength(1)
  })
})

// Clients that leave, many at once, while others keep being served: uploads cut mid-body,
// downloads left mid-response (some after stalling), and kept-alive good clients alongside.
// Counted: request.signal fired once for every request whose client left, every body read
// failed, every stream generator ran its `finally`, every good request got its 200, and nothing
// is left behind (no connection, no request in flight: close() returns at once).
import { afterEach, describe, expect, it } from 'vitest'
import { stream, text, type CycleRequest } from '@cycle/core'
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

const UPLOADS = 40
const DOWNLOADS = 40
const STALLED = 10
const GOOD_LANES = 20
const GOOD_EACH = 20
const CHUNK = 'x'.repeat(16 * 1024)

describe('clients leaving mid-body and mid-response, under load', () => {
  it('fires request.signal for each, keeps serving the others, and leaks nothing', async () => {
    const up = { entered: 0, aborted: 0, bodyFailed: 0, exited: 0 }
    const inside = new Set<string>()
    const down = { started: 0, aborted: 0, finallyRan: 0 }
    const server = await start(
      routesApp(
        {
          '/upload': async (r: CycleRequest) => {
            up.entered++
            inside.add(r.query.get('i') as string)
            r.signal.addEventListener('abort', () => up.aborted++, { once: true })
            try {
              await r.bytes()
            } catch {
              up.bodyFailed++
            } finally {
              up.exited++
            }
            return text('read')
          },
          '/download': (r: CycleRequest) => {
            down.started++
            r.signal.addEventListener('abort', () => down.aborted++, { once: true })
            return stream(
              (async function* () {
                try {
                  for (let i = 0; i < 10_000 && !r.signal.aborted; i++) {
                    yield CHUNK
                    await new Promise((resolve) => setTimeout(resolve, 1))
                  }
                } finally {
                  down.finallyRan++
                }
              })()
            )
          },
          '/ok': () => text('ok'),
        },
        { bodyLimit: 4 * 1024 * 1024 }
      ),
      { shutdownTimeout: 10_000 }
    )
    const port = server.port

    const upload = async (_: unknown, i: number): Promise<void> => {
      const c = await RawClient.connect(port)
      const head = `POST /upload?i=${i} HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n`
      c.write(head + 'u'.repeat(64 * 1024))
      await until(() => inside.has(String(i)))
      c.destroy() // mid-body: the view is reading, 64 KiB of 1 MiB sent
    }
    const download = async (stall: boolean): Promise<void> => {
      const c = await RawClient.connect(port)
      let got = 0
      const enough = deferred()
      c.socket.on('data', (chunk: Buffer) => {
        got += chunk.length
        if (got >= 64 * 1024) enough.resolve()
      })
      c.write('GET /download HTTP/1.1\r\nHost: a\r\n\r\n')
      await enough.promise
      if (stall) {
        c.socket.pause() // stops reading: the server's writes back up
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      c.destroy() // mid-response
    }
    const good = { ok: 0, other: 0 }
    const goodLane = async (): Promise<void> => {
      const c = await RawClient.connect(port)
      for (let i = 0; i < GOOD_EACH; i++) {
        c.write('GET /ok HTTP/1.1\r\nHost: a\r\n\r\n')
        const res = await c.response()
        if (res.status === 200 && res.text === 'ok') good.ok++
        else good.other++
      }
      c.destroy()
    }

    await Promise.all([
      ...Array.from({ length: UPLOADS }, upload),
      ...Array.from({ length: DOWNLOADS }, (_, i) => download(i < STALLED)),
      ...Array.from({ length: GOOD_LANES }, goodLane),
    ])
    await until(() => up.exited === UPLOADS && down.finallyRan === DOWNLOADS)
    const connections = (): Promise<number> =>
      new Promise((resolve) => server.server.getConnections((_e, n) => resolve(n)))
    for (let n = await connections(); n > 0; n = await connections()) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }

    expect(good).toEqual({ ok: GOOD_LANES * GOOD_EACH, other: 0 })
    expect(up).toEqual({ entered: UPLOADS, aborted: UPLOADS, bodyFailed: UPLOADS, exited: UPLOADS })
    expect(down).toEqual({ started: DOWNLOADS, aborted: DOWNLOADS, finallyRan: DOWNLOADS })
    // The server still answers, and nothing is left in flight: a graceful close is immediate.
    const after = await rawRequest(port, 'GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    expect(after.status).toBe(200)
    const started = performance.now()
    await server.close()
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

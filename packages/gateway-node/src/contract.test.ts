// The shared gateway contract through real sockets: one reporting path for errors outside the
// cycle (the app's requestException listeners once, then onError), and `signal` on a handler.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { stream, text, type CycleRequest, type CycleResponse } from '@cycle/core'
import {
  RawClient,
  closeAll,
  deferred,
  rawRequest,
  routesApp,
  start,
  until,
} from './__fixtures__/net'
import { toNodeHandler } from './handler'

const opened: http.Server[] = []
afterEach(async () => {
  await closeAll()
  await Promise.all(opened.splice(0).map((s) => new Promise((r) => s.close(r))))
})

const get = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`

/** What the app's listeners and onError heard, in order. */
function recorder(): { log: string[]; onError: (error: unknown, r: CycleRequest | null) => void } {
  const log: string[] = []
  return {
    log,
    onError: (error, r) => log.push(`onError ${(error as Error).message} ${r?.path ?? 'null'}`),
  }
}

describe('errors outside the cycle', () => {
  it("a stream breaking mid-way reaches the app's listeners once, then onError", async () => {
    const { log, onError } = recorder()
    const app = routesApp({
      '/broken': () =>
        stream(
          (async function* () {
            yield 'partial'
            throw new Error('disk on fire')
          })()
        ),
      '/view-error': () => {
        throw new Error('in the cycle')
      },
    })
    app.on('requestException', (r, error) => log.push(`app ${(error as Error).message} ${r.path}`))
    const server = await start(app, { onError })
    const client = await RawClient.connect(server.port)
    client.write(get('/broken'))
    await client.closed
    expect(client.pending).toContain('partial')
    await until(() => log.length === 2)
    // An error inside the cycle is core's to report (once); the gateway adds nothing.
    expect((await rawRequest(server.port, get('/view-error'))).status).toBe(500)
    await new Promise((r) => setTimeout(r, 20))
    expect(log).toEqual([
      'app disk on fire /broken',
      'onError disk on fire /broken',
      'app in the cycle /view-error',
    ])
  })

  it('a hand-rolled app that rejects, and a failing waitUntil, are reported the same way', async () => {
    const { log, onError } = recorder()
    const settled = deferred()
    const app = {
      handle(r: CycleRequest): CycleResponse | Promise<CycleResponse> {
        if (r.path === '/reject') return Promise.reject(new Error('rejected'))
        r.waitUntil(
          Promise.reject(new Error('background')).finally(() => setImmediate(settled.resolve))
        )
        return text('ok')
      },
      reportException(r: CycleRequest, error: unknown): void {
        log.push(`app ${(error as Error).message} ${r.path}`)
      },
    }
    const server = await start(app, { onError })
    expect((await rawRequest(server.port, get('/reject'))).status).toBe(500)
    expect((await rawRequest(server.port, get('/later'))).text).toBe('ok')
    await settled.promise
    await until(() => log.length === 4)
    expect(log).toEqual([
      'app rejected /reject',
      'onError rejected /reject',
      'app background /later',
      'onError background /later',
    ])
  })
})

describe('toNodeHandler({ signal })', () => {
  it('aborts in-flight request signals and answers new requests 503 with Connection: close', async () => {
    const shutdown = new AbortController()
    const entered = deferred()
    const reasons: unknown[] = []
    const app = routesApp({
      '/wait': async (r) => {
        entered.resolve()
        await new Promise((resolve) => r.signal.addEventListener('abort', resolve))
        reasons.push(r.signal.reason)
        return text('stopped')
      },
    })
    const server = http.createServer(
      toNodeHandler(app, { signal: shutdown.signal }) as http.RequestListener
    )
    opened.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const waiting = rawRequest(port, get('/wait'))
    await entered.promise
    shutdown.abort()
    expect((await waiting).text).toBe('stopped')
    expect((reasons[0] as DOMException).message).toBe('The server is shutting down.')
    const late = await rawRequest(port, get('/wait'))
    expect(late.status).toBe(503)
    expect(late.header('connection')).toBe('close')
    expect(late.header('content-type')).toBe('application/problem+json')
  })

  it('an already aborted signal refuses every request', async () => {
    const server = http.createServer(
      toNodeHandler(routesApp({ '/x': () => text('x') }), {
        signal: AbortSignal.abort(),
      }) as http.RequestListener
    )
    opened.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    expect((await rawRequest((server.address() as AddressInfo).port, get('/x'))).status).toBe(503)
  })
})

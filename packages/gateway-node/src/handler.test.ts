import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CycleResponse, ImproperlyConfigured, text, type CycleRequest } from '@cycle/core'
import type { GatewayApp } from '@cycle/core/gateway'
import {
  closeAll,
  deferred,
  RawClient,
  rawRequest,
  routesApp,
  start,
  until,
} from './__fixtures__/net'
import type { NodeRequest } from './request'
import { toNodeHandler } from './handler'
import { serve } from './serve'

const opened: http.Server[] = []
afterEach(async () => {
  await closeAll()
  await Promise.all(opened.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function listen(listener: http.RequestListener): Promise<number> {
  const server = http.createServer(listener)
  opened.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const get = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`

describe('toNodeHandler', () => {
  it('plugs into an existing node:http server', async () => {
    const port = await listen(
      toNodeHandler(routesApp({ '/hi': (r) => text(`hi ${r.method}`) })) as http.RequestListener
    )
    const res = await rawRequest(port, get('/hi'))
    expect(res.status).toBe(200)
    expect(res.text).toBe('hi GET')
  })

  it('writes a synchronous answer before the listener returns', async () => {
    const handler = toNodeHandler({ handle: () => text('sync') })
    const ended: boolean[] = []
    const port = await listen((req, res) => {
      handler(req, res)
      ended.push(res.writableEnded)
    })
    const res = await rawRequest(port, get('/'))
    expect(res.text).toBe('sync')
    expect(ended).toEqual([true])
  })

  it('waits for an asynchronous answer', async () => {
    const handler = toNodeHandler({ handle: async () => text('later') })
    const ended: boolean[] = []
    const port = await listen((req, res) => {
      handler(req, res)
      ended.push(res.writableEnded)
    })
    const res = await rawRequest(port, get('/'))
    expect(res.text).toBe('later')
    expect(ended).toEqual([false])
  })

  it('turns an app that throws or rejects into a 500 and reports it, without crashing', async () => {
    const errors: unknown[] = []
    const throwing: GatewayApp = {
      handle: (r: CycleRequest) => {
        if (r.path === '/sync') throw new Error('sync boom')
        if (r.path === '/reject') return Promise.reject(new Error('async boom'))
        return Promise.resolve('not a response' as unknown as CycleResponse)
      },
    }
    const port = await listen(
      toNodeHandler(throwing, { onError: (e) => errors.push(e) }) as http.RequestListener
    )
    for (const path of ['/sync', '/reject', '/weird']) {
      const res = await rawRequest(port, get(path))
      expect(res.status).toBe(500)
      expect(res.header('content-type')).toBe('application/problem+json')
      expect(res.text).not.toContain('boom')
    }
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'sync boom',
      'async boom',
      'app.handle() resolved to something that is not a CycleResponse.',
    ])
  })

  it('leaves the response alone when the view wrote to res itself', async () => {
    const port = await listen(
      toNodeHandler({
        handle: (r) => {
          const res = (r as unknown as { res: http.ServerResponse }).res
          res.writeHead(418, { 'content-type': 'text/plain' })
          res.end('teapot')
          return new CycleResponse('ignored')
        },
      }) as http.RequestListener
    )
    const res = await rawRequest(port, get('/'))
    expect(res.status).toBe(418)
    expect(res.text).toBe('teapot')
  })

  it('an app answering after the client left does not crash the process', async () => {
    const entered = deferred()
    const answered = deferred()
    const server = await start(
      routesApp({
        '/slow': async (r) => {
          entered.resolve()
          await until(() => (r as NodeRequest).res.destroyed)
          setImmediate(answered.resolve)
          return text('nobody listens')
        },
        '/alive': () => text('alive'),
      })
    )
    const client = await RawClient.connect(server.port)
    client.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n')
    await entered.promise
    client.destroy()
    await answered.promise
    const res = await rawRequest(server.port, get('/alive'))
    expect(res.text).toBe('alive')
  })

  it('refuses a value that is not an app, and bad options, eagerly', async () => {
    expect(() => toNodeHandler({} as GatewayApp)).toThrow(ImproperlyConfigured)
    expect(() => toNodeHandler(null as unknown as GatewayApp)).toThrow(
      /^toNodeHandler\(app\) needs an app with a handle\(request\) method/
    )
    await expect(serve({} as GatewayApp)).rejects.toThrow(ImproperlyConfigured)
    await expect(serve(undefined as unknown as GatewayApp)).rejects.toThrow(/^serve\(app\) needs/)
    const app: GatewayApp = { handle: () => text('x') }
    expect(() => toNodeHandler(app, { bodyLimit: -1 })).toThrow(/bodyLimit/)
    expect(() => toNodeHandler(app, { trustProxy: 1.5 })).toThrow(/trustProxy/)
    expect(() => toNodeHandler(app, { trustProxy: ['not-an-ip'] })).toThrow(/not an IP/)
    expect(() => toNodeHandler(app, { onError: 'log' as unknown as () => void })).toThrow(/onError/)
    expect(() => toNodeHandler(app, { signal: {} as AbortSignal })).toThrow(/signal/)
  })
})

import http from 'node:http'
import http2 from 'node:http2'
import https from 'node:https'
import { afterEach, describe, expect, it } from 'vitest'
import { stream, text, type CycleRequest } from '@cycle/core'
import { who } from './__fixtures__/who-app'
import { closeAll, deferred, routesApp, start } from './__fixtures__/net'
import { cert, key } from './__fixtures__/tls'

afterEach(closeAll)

function httpsGet(
  url: string
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: cert, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      .on('error', reject)
  })
}

function h2Get(
  url: string,
  path: string
): Promise<{ headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, { ca: cert })
    session.on('error', reject)
    const req = session.request({ ':path': path })
    let headers: http2.IncomingHttpHeaders = {}
    let body = ''
    req.setEncoding('utf8')
    req.on('response', (h) => (headers = h))
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      session.close()
      resolve({ headers, body })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('HTTPS and HTTP/2', () => {
  it('serves HTTPS with the given TLS options', async () => {
    const server = await start(who, { https: { key, cert } })
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`)
    const res = await httpsGet(`https://localhost:${server.port}/who`)
    expect(JSON.parse(res.body)).toMatchObject({ protocol: 'https', version: '1.1' })
  })

  it('serves HTTP/2 (headers, cookies, streams) and still HTTP/1.1 on the same port', async () => {
    const server = await start(who, { https: { key, cert }, http2: true })
    const h2 = await h2Get(`https://localhost:${server.port}`, '/who')
    expect(h2.headers[':status']).toBe(200)
    expect(h2.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(JSON.parse(h2.body)).toEqual({
      protocol: 'https',
      version: '2.0',
      host: `localhost:${server.port}`,
      path: '/who',
    })
    const streamed = await h2Get(`https://localhost:${server.port}`, '/stream')
    expect(streamed.body).toBe('xy')
    const h1 = await httpsGet(`https://localhost:${server.port}/who`)
    expect(JSON.parse(h1.body)).toMatchObject({ protocol: 'https', version: '1.1' })
  })

  it('aborts request.signal when an HTTP/2 client resets the stream', async () => {
    const entered = deferred()
    const aborted = deferred<unknown>()
    const app = routesApp({
      '/wait': (r: CycleRequest) =>
        new Promise((resolve) => {
          r.signal.addEventListener('abort', () => {
            aborted.resolve(r.signal.reason)
            resolve(text('gone'))
          })
          entered.resolve()
        }),
    })
    const server = await start(app, { https: { key, cert }, http2: true })
    const session = http2.connect(`https://localhost:${server.port}`, { ca: cert })
    session.on('error', () => {})
    const stream = session.request({ ':path': '/wait' })
    stream.on('error', () => {})
    stream.end()
    await entered.promise
    stream.close(http2.constants.NGHTTP2_CANCEL)
    expect(((await aborted.promise) as DOMException).name).toBe('AbortError')
    session.destroy()
  })

  it('stops an HTTP/2 response stream when the client cancels it', async () => {
    const finalized = deferred()
    const app = routesApp({
      '/ticks': () =>
        stream(
          (async function* () {
            try {
              for (;;) {
                yield 'tick\n'
                await new Promise((r) => setTimeout(r, 5))
              }
            } finally {
              finalized.resolve()
            }
          })()
        ),
    })
    const server = await start(app, { https: { key, cert }, http2: true })
    const session = http2.connect(`https://localhost:${server.port}`, { ca: cert })
    session.on('error', () => {})
    const req = session.request({ ':path': '/ticks' })
    req.on('error', () => {})
    req.end()
    await new Promise((resolve) => req.once('data', resolve))
    req.close(http2.constants.NGHTTP2_CANCEL)
    await finalized.promise
    session.destroy()
  })

  it('closes HTTP/2 sessions gracefully on shutdown', async () => {
    const server = await start(who, { https: { key, cert }, http2: true, shutdownTimeout: 60_000 })
    const session = http2.connect(`https://localhost:${server.port}`, { ca: cert })
    const goaway = deferred()
    session.on('goaway', () => goaway.resolve())
    session.on('error', () => {})
    await new Promise<void>((resolve) => session.once('connect', () => resolve()))
    await server.close()
    await goaway.promise
    session.destroy()
  })
})

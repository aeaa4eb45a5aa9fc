/**
 * The deadline behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0), with a slow async
 * view: the client gets one 503/504 problem on time, the view's `request.signal` aborts, the
 * late answer never reaches the wire, and the connection stays usable.
 */
import { createApp, path, text } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { request as httpRequest, Agent } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { timeout } from './timeout'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until `check()` holds (polling), so that a loaded machine slows the test, not fails it. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not met in time')
    await sleep(5)
  }
}

const views: { aborted: boolean; reason: string | undefined }[] = []
const late: number[] = []
const errors: unknown[] = []

const app = createApp({
  urls: [
    path(
      'slow/',
      async (req) => {
        const signal = req.signal
        await sleep(1000)
        views.push({
          aborted: signal.aborted,
          reason: (signal.reason as DOMException | undefined)?.name,
        })
        return text('late answer')
      },
      { middleware: [timeout({ ms: 50, onLate: (_req, res) => late.push(res.status) })] }
    ),
    path(
      'upstream/',
      (req) =>
        // Honours the signal, as fetch() or a database driver given it would.
        new Promise((_, reject) =>
          req.signal.addEventListener('abort', () => reject(req.signal.reason as Error))
        ),
      { middleware: [timeout({ ms: 50, status: 504 })] }
    ),
    path('quick/', () => text('quick'), { middleware: [timeout({ ms: 1000 })] }),
  ],
})
app.on('requestException', (_req, error) => errors.push(error))

let port = 0
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  port = Number(new URL(server.url).port)
  close = () => server.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
})

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

/** One request on the shared keep-alive socket: status, headers and the whole body as sent. */
function get(url: string): Promise<{ status: number; type: unknown; body: string; ms: number }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: url, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body,
          ms: performance.now() - started,
        })
      )
    })
    req.on('error', reject)
    req.end()
  })
}

describe('through @cycle/gateway-node', () => {
  it('a slow view: one 503 problem on time, the signal aborted, the late answer dropped', async () => {
    const res = await get('/slow/')
    expect(res.status).toBe(503)
    expect(res.type).toBe('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({ status: 503, title: 'Service Unavailable' })
    // Well before the view's 1000 ms: the answer did not wait for it.
    expect(res.ms).toBeLessThan(600)
    // The same keep-alive connection answers the next request while the slow view still runs.
    const next = await get('/quick/')
    expect(next).toMatchObject({ status: 200, body: 'quick' })
    await until(() => late.length > 0)
    expect(views).toEqual([{ aborted: true, reason: 'TimeoutError' }])
    expect(late).toEqual([200])
    // Nothing else was written on the connection: the next answer is still well framed.
    expect(await get('/quick/')).toMatchObject({ status: 200, body: 'quick' })
  })

  it('a view that honours the signal stops at once; the client gets a 504', async () => {
    const before = errors.length
    const res = await get('/upstream/')
    expect(res.status).toBe(504)
    expect(JSON.parse(res.body)).toMatchObject({ status: 504, title: 'Gateway Timeout' })
    await until(() => errors.length > before)
    // The view's rejection is reported once, like any error in the cycle.
    expect(errors.length - before).toBe(1)
    expect((errors[before] as DOMException).name).toBe('TimeoutError')
  })

  it('an answer in time is untouched', async () => {
    expect(await get('/quick/')).toMatchObject({ status: 200, body: 'quick' })
  })
})

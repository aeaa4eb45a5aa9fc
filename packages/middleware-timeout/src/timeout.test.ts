/**
 * `timeout()` through `app.fetch`: the deadline answer comes on time and once, `request.signal`
 * aborts with a TimeoutError, the late answer is dropped and handed to `onLate`, an answer in
 * time passes untouched, and options are checked at startup.
 */
import {
  createApp,
  ImproperlyConfigured,
  path,
  stream,
  text,
  type CycleRequest,
  type CycleResponse,
} from '@cycle/core'
import { format } from '@cycle/middleware-format'
import { describe, expect, it } from 'vitest'
import { timeout, type TimeoutOptions } from './timeout'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until `check()` holds (polling), so that a loaded machine slows the test, not fails it. */
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = performance.now() + ms
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not met in time')
    await sleep(5)
  }
}

function build(options: Partial<TimeoutOptions> = {}, viewMs = 400) {
  const late: { status: number; body: unknown }[] = []
  const seen: { aborted?: boolean; reason?: string } = {}
  let finished: () => void = () => {}
  const viewDone = new Promise<void>((r) => (finished = r))
  const app = createApp({
    urls: [
      path(
        'slow/',
        async (req) => {
          const signal = req.signal
          await sleep(viewMs)
          seen.aborted = signal.aborted
          seen.reason = (signal.reason as DOMException | undefined)?.name
          finished()
          return text('late answer')
        },
        {
          middleware: [
            timeout({
              ms: 30,
              onLate: (_req, res) => late.push({ status: res.status, body: res.body }),
              ...options,
            }),
          ],
        }
      ),
      path('fast/', () => text('fast'), { middleware: [timeout({ ms: 30 })] }),
      path('untimed/', async () => {
        await sleep(60)
        return text('untimed')
      }),
    ],
  })
  const call = (url: string) => app.fetch(new Request(`http://localhost${url}`))
  return { app, call, late, seen, viewDone }
}

describe('timeout()', () => {
  it('answers a 503 problem at the deadline, aborts request.signal, drops the late answer', async () => {
    const { call, late, seen, viewDone } = build()
    const started = performance.now()
    const res = await call('/slow/')
    const elapsed = performance.now() - started
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The request did not complete within 30 ms.',
    })
    // Well before the view's 400 ms: the answer did not wait for it.
    expect(elapsed).toBeLessThan(300)
    await viewDone
    await until(() => late.length > 0)
    expect(seen).toEqual({ aborted: true, reason: 'TimeoutError' })
    expect(late).toEqual([{ status: 200, body: 'late answer' }])
  })

  it('is named timeout in app.describe(), as the bundled package too', () => {
    expect(timeout({ ms: 50 }).name).toBe('timeout')
    const app = createApp({ middleware: [timeout({ ms: 50 })], urls: [path('', () => 'ok')] })
    expect(app.describe()).toMatch(/around\s+timeout\n/)
  })

  it('status: 504 and a detail of your own', async () => {
    const { call } = build({ status: 504, detail: 'The report took too long.' })
    const res = await call('/slow/')
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({
      title: 'Gateway Timeout',
      detail: 'The report took too long.',
    })
  })

  it('an answer in time passes untouched, and nothing is late', async () => {
    const { call, late, seen } = build({}, 1)
    const res = await call('/slow/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('late answer')
    expect(seen.aborted).toBe(false)
    await sleep(60)
    expect(late).toEqual([])
    expect(await (await call('/fast/')).text()).toBe('fast')
  })

  it('is route-scoped: other routes have no deadline', async () => {
    const { call } = build()
    const res = await call('/untimed/')
    expect(res.status).toBe(200)
  })

  it('a view that honours the signal stops: its error answer is late and dropped', async () => {
    const late: number[] = []
    const reported: unknown[] = []
    const app = createApp({
      urls: [
        path(
          'x/',
          (req) =>
            new Promise((_, reject) => {
              req.signal.addEventListener('abort', () => reject(req.signal.reason as Error))
            }),
          { middleware: [timeout({ ms: 20, onLate: (_r, res) => late.push(res.status) })] }
        ),
      ],
    })
    app.on('requestException', (_req, error) => reported.push(error))
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(503)
    await until(() => late.length > 0)
    expect(late).toEqual([500])
    expect(reported).toHaveLength(1)
    expect((reported[0] as DOMException).name).toBe('TimeoutError')
  })

  it('cancels a late stream answer', async () => {
    let cancelled = false
    const app = createApp({
      urls: [
        path(
          'x/',
          async () => {
            await sleep(50)
            return stream(
              new ReadableStream<Uint8Array>({
                pull(c) {
                  c.enqueue(new Uint8Array(1))
                },
                cancel() {
                  cancelled = true
                },
              })
            )
          },
          { middleware: [timeout({ ms: 10 })] }
        ),
      ],
    })
    expect((await app.fetch(new Request('http://localhost/x/'))).status).toBe(503)
    await until(() => cancelled)
    expect(cancelled).toBe(true)
  })

  it('as app middleware, covers everything after it; the format middleware shapes the problem', async () => {
    const app = createApp({
      middleware: [format(), timeout({ ms: 20, status: 504 })],
      urls: [
        path('x/', async () => {
          await sleep(80)
          return { ok: true }
        }),
        path('y/', () => ({ ok: true })),
      ],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(504)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 504, title: 'Gateway Timeout' })
    expect(await (await app.fetch(new Request('http://localhost/y/'))).json()).toEqual({
      data: { ok: true },
      meta: {},
    })
  })

  it('an onLate that throws changes nothing', async () => {
    const { call, viewDone } = build({
      onLate: () => {
        throw new Error('ignored')
      },
    })
    expect((await call('/slow/')).status).toBe(503)
    await viewDone
    await sleep(10)
  })

  it('refuses bad options at startup', () => {
    const bad = [
      undefined,
      {},
      { ms: 0 },
      { ms: -1 },
      { ms: Number.NaN },
      { ms: 2 ** 31 },
      { ms: '100' },
      { ms: 10, status: 500 },
      { ms: 10, onLate: 'x' },
      { ms: 10, detail: 3 },
      { ms: 10, timeout: 5 },
    ] as unknown as TimeoutOptions[]
    for (const options of bad)
      expect(() => timeout(options), JSON.stringify(options)).toThrow(ImproperlyConfigured)
  })

  it('the late handler receives the request', async () => {
    let got: CycleRequest | undefined
    let resp: CycleResponse | undefined
    const app = createApp({
      urls: [
        path(
          'x/',
          async () => {
            await sleep(40)
            return text('late')
          },
          {
            middleware: [
              timeout({
                ms: 10,
                onLate: (req, res) => {
                  got = req
                  resp = res
                },
              }),
            ],
          }
        ),
      ],
    })
    await app.fetch(new Request('http://localhost/x/?q=1'))
    await until(() => got !== undefined)
    expect(got?.path).toBe('/x/')
    expect(resp?.status).toBe(200)
  })
})

import { createApp, path, text } from '@cycle/core'
import { createFixtureApp } from '@cycle/testing'
import { describe, expect, it, vi } from 'vitest'
import { toFetchHandler, type ExecutionContext } from './index'

const fixture = createFixtureApp()
const handler = toFetchHandler(fixture)

async function probe(id: string): Promise<Record<string, unknown> | null> {
  const res = await handler(new Request(`http://localhost/probe?probe=${id}`))
  return (await res.json()) as Record<string, unknown> | null
}

/** A Workers-like ctx whose waitUntil needs its `this`, like the real one. */
class Ctx implements ExecutionContext {
  readonly promises: Promise<unknown>[] = []
  waitUntil(promise: Promise<unknown>): void {
    this.promises.push(promise)
  }
}

describe('toFetchHandler: platform extras', () => {
  it('passes env to request.env', async () => {
    const res = await handler(new Request('http://localhost/env'), { GREETING: 'hi', n: 1 })
    expect(await res.json()).toEqual({ env: { GREETING: 'hi', n: 1 } })
  })

  it('leaves request.env undefined without env', async () => {
    const res = await handler(new Request('http://localhost/env'))
    expect(await res.json()).toEqual({ env: null })
  })

  it('hands request.waitUntil to ctx.waitUntil, bound to ctx', async () => {
    const ctx = new Ctx()
    const res = await handler(new Request('http://localhost/wait-until?id=fetch-wu'), {}, ctx)
    expect(await res.text()).toBe('scheduled')
    expect(ctx.promises).toHaveLength(1)
    await ctx.promises[0]
    expect(await probe('fetch-wu')).toMatchObject({ done: true })
  })

  it('asks getRemoteAddress(request, env, ctx) for the client address', async () => {
    const getRemoteAddress = vi.fn(() => '203.0.113.9')
    const h = toFetchHandler(fixture, { getRemoteAddress })
    const ctx = new Ctx()
    const request = new Request('http://localhost/info')
    const res = await h(request, { server: 1 }, ctx)
    expect(await res.json()).toMatchObject({ remoteAddress: '203.0.113.9' })
    expect(getRemoteAddress).toHaveBeenCalledWith(request, { server: 1 }, ctx)
  })

  it('takes the host from the URL authority, which runtimes build from Host', async () => {
    const app = createApp({ urls: [path('', () => text('ok'))], allowedHosts: ['example.com'] })
    const h = toFetchHandler(app)
    expect((await h(new Request('http://example.com/'))).status).toBe(200)
    expect((await h(new Request('http://evil.test/'))).status).toBe(400)
    // A Host field that disagrees with the URL does not move the check.
    const spoofed = new Request('http://evil.test/', { headers: { host: 'example.com' } })
    expect((await h(spoofed)).status).toBe(400)
  })
})

describe('toFetchHandler: synchronous answers', () => {
  it('returns the Response itself when every hook and the view are synchronous', () => {
    const app = createApp({ urls: [path('', () => text('now'))] })
    const answer = toFetchHandler(app)(new Request('http://localhost/'))
    expect(answer).toBeInstanceOf(Response)
    expect((answer as Response).status).toBe(200)
    expect((answer as Response).headers.get('content-type')).toBe('text/plain;charset=UTF-8')
  })

  it('returns a promise when the view is asynchronous', async () => {
    const app = createApp({ urls: [path('', async () => text('later'))] })
    const answer = toFetchHandler(app)(new Request('http://localhost/'))
    expect(answer).toBeInstanceOf(Promise)
    expect(await (await answer).text()).toBe('later')
  })

  it('keeps every header and each Set-Cookie apart', async () => {
    const app = createApp({
      urls: [
        path('', () => {
          const res = text('c')
          res.headers.set('x-one', '1')
          res.setCookie('a', '1')
          res.setCookie('b', '2')
          return res
        }),
      ],
    })
    const res = await toFetchHandler(app)(new Request('http://localhost/'))
    expect(res.headers.get('x-one')).toBe('1')
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
  })
})

function streamOf(...chunks: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(7))
      controller.close()
    },
  })
}

function post(url: string, body: BodyInit): Request {
  const init = { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } }
  return new Request(
    url,
    body instanceof ReadableStream ? ({ ...init, duplex: 'half' } as RequestInit) : init
  )
}

describe('toFetchHandler: body limits', () => {
  const small = toFetchHandler(fixture, { bodyLimit: 10 })

  it('answers 413 past the gateway limit when Content-Length says so', async () => {
    const res = await small(post('http://localhost/echo/bytes', new Uint8Array(11)))
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers 413 past the limit without Content-Length (streamed body)', async () => {
    const res = await small(post('http://localhost/echo/bytes', streamOf(6, 6)))
    expect(res.status).toBe(413)
  })

  it('accepts a body exactly at the limit', async () => {
    const res = await small(post('http://localhost/echo/bytes', streamOf(5, 5)))
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(10)
  })

  it("lets a route's bodyLimit override the gateway default", async () => {
    const res = await small(post('http://localhost/echo/small', new Uint8Array(1000)))
    expect(res.status).toBe(200)
  })

  it('defaults to 1 MiB', async () => {
    const over = await handler(post('http://localhost/echo/bytes', new Uint8Array(1024 * 1024 + 1)))
    expect(over.status).toBe(413)
    const at = await handler(post('http://localhost/echo/bytes', new Uint8Array(1024 * 1024)))
    expect(at.status).toBe(200)
  })
})

describe('toFetchHandler: abort', () => {
  it("propagates the request's own signal to request.signal", async () => {
    const controller = new AbortController()
    const pending = handler(
      new Request('http://localhost/signal?id=fetch-own&timeout=10000', {
        signal: controller.signal,
      })
    )
    await vi.waitFor(async () => expect(await probe('fetch-own')).toMatchObject({ started: true }))
    controller.abort()
    const res = await pending
    expect(await res.text()).toBe('aborted')
    expect(await probe('fetch-own')).toMatchObject({ aborted: true, finished: true })
  })

  it('aborts request.signal when the server-shutdown signal aborts', async () => {
    const shutdown = new AbortController()
    const h = toFetchHandler(fixture, { signal: shutdown.signal })
    const pending = h(new Request('http://localhost/signal?id=fetch-shutdown&timeout=10000'))
    await vi.waitFor(async () =>
      expect(await probe('fetch-shutdown')).toMatchObject({ started: true })
    )
    shutdown.abort()
    expect(await (await pending).text()).toBe('aborted')
  })

  it('request.abort() aborts request.signal, with the shutdown signal joined in too', async () => {
    const shutdown = new AbortController()
    const reasons: string[] = []
    const app = createApp({
      urls: [
        path('a', (req) => {
          const signal = req.signal
          req.abort(new DOMException('deadline', 'TimeoutError'))
          reasons.push((signal.reason as DOMException).name)
          return text('answered')
        }),
      ],
    })
    const h = toFetchHandler(app, { signal: shutdown.signal })
    const res = await h(new Request('http://localhost/a'))
    expect(await res.text()).toBe('answered')
    expect(reasons).toEqual(['TimeoutError'])
  })

  it('cancels a streaming body when the consumer cancels it', async () => {
    const res = await handler(new Request('http://localhost/stream/abortable?id=fetch-cancel'))
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    expect((await reader.read()).done).toBe(false)
    await reader.cancel()
    expect(await probe('fetch-cancel')).toMatchObject({ cancelled: true, completed: false })
  })
})

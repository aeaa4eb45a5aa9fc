import { createApp, json, path, text, CycleResponse, ImproperlyConfigured } from '@cycle/core'
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

describe('toFetchHandler: HEAD', () => {
  it('answers HEAD from GET with the same headers and no body', async () => {
    const get = await handler(new Request('http://localhost/text'))
    const head = await handler(new Request('http://localhost/text', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(head.headers.get('x-fixture')).toBe('text')
  })

  it('drops the body of a HEAD error response too', async () => {
    const res = await handler(new Request('http://localhost/missing', { method: 'HEAD' }))
    expect(res.status).toBe(404)
    expect(res.body).toBeNull()
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

  it('cancels a streaming body when the consumer cancels it', async () => {
    const res = await handler(new Request('http://localhost/stream/abortable?id=fetch-cancel'))
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    expect((await reader.read()).done).toBe(false)
    await reader.cancel()
    expect(await probe('fetch-cancel')).toMatchObject({ cancelled: true, completed: false })
  })
})

describe('toFetchHandler: trustProxy', () => {
  const proxied = {
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '198.51.100.7, 10.0.0.1',
    'x-forwarded-host': 'api.example.com',
  }

  it('ignores proxy headers by default', async () => {
    const res = await handler(new Request('http://localhost/info', { headers: proxied }))
    expect(await res.json()).toMatchObject({
      protocol: 'http',
      host: 'localhost',
      remoteAddress: null,
    })
  })

  it('believes X-Forwarded-* with trustProxy', async () => {
    const h = toFetchHandler(fixture, { trustProxy: true })
    const res = await h(new Request('http://localhost/info', { headers: proxied }))
    expect(await res.json()).toMatchObject({
      protocol: 'https',
      host: 'api.example.com',
      remoteAddress: '198.51.100.7',
      url: 'https://api.example.com/info',
    })
  })

  it('prefers RFC 7239 Forwarded over X-Forwarded-*', async () => {
    const h = toFetchHandler(fixture, { trustProxy: true })
    const headers = { ...proxied, forwarded: 'for="[2001:db8::17]:4711";proto=http;host=a.test' }
    const res = await h(new Request('http://localhost/info', { headers }))
    expect(await res.json()).toMatchObject({
      protocol: 'http',
      host: 'a.test',
      remoteAddress: '2001:db8::17',
    })
  })

  it('checks allowedHosts against the forwarded host', async () => {
    const app = createApp({ urls: [path('', () => text('ok'))], allowedHosts: ['api.example.com'] })
    const trusting = toFetchHandler(app, { trustProxy: true })
    const headers = { 'x-forwarded-host': 'api.example.com' }
    expect((await trusting(new Request('http://internal:8080/', { headers }))).status).toBe(200)
    expect(
      (await toFetchHandler(app)(new Request('http://internal:8080/', { headers }))).status
    ).toBe(400)
  })

  it('keeps the platform address when no proxy header gives one', async () => {
    const h = toFetchHandler(fixture, { trustProxy: true, getRemoteAddress: () => '192.0.2.1' })
    const res = await h(new Request('http://localhost/info'))
    expect(await res.json()).toMatchObject({ remoteAddress: '192.0.2.1', protocol: 'http' })
  })
})

describe('toFetchHandler: errors', () => {
  it('turns a thrown view error into a 500 problem from the app', async () => {
    const res = await handler(new Request('http://localhost/error'))
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 500, title: 'Internal Server Error' })
  })

  it('answers 500 problem+json, never rejects, when handle() itself throws', async () => {
    const onError = vi.fn()
    const broken = {
      handle: (): CycleResponse => {
        throw new Error('impossible')
      },
    }
    const res = await toFetchHandler(broken, { onError })(new Request('http://localhost/'))
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'impossible' }),
      expect.any(Request)
    )
  })

  it('answers 500 when handle() rejects or getRemoteAddress throws, even if onError throws', async () => {
    const rejecting = { handle: (): Promise<CycleResponse> => Promise.reject(new Error('nope')) }
    const onError = (): void => {
      throw new Error('broken hook')
    }
    expect(
      (await toFetchHandler(rejecting, { onError })(new Request('http://localhost/'))).status
    ).toBe(500)
    const h = toFetchHandler(fixture, {
      getRemoteAddress: () => {
        throw new Error('no ip')
      },
    })
    expect((await h(new Request('http://localhost/text'))).status).toBe(500)
  })

  it('answers 500 when the response cannot be converted', async () => {
    const bad = new CycleResponse('x')
    bad.status = 99 // WHATWG Response refuses statuses below 200
    const res = await toFetchHandler({ handle: () => bad })(new Request('http://localhost/'))
    expect(res.status).toBe(500)
  })

  it('answers 500, never rejects, when an asynchronous answer cannot be converted', async () => {
    const bad = new CycleResponse('x')
    bad.status = 99
    const onError = vi.fn()
    const answer = toFetchHandler({ handle: () => Promise.resolve(bad) }, { onError })(
      new Request('http://localhost/')
    )
    expect(answer).toBeInstanceOf(Promise)
    expect((await answer).status).toBe(500)
    expect(onError).toHaveBeenCalledOnce()
  })

  it('refuses bad options at once', () => {
    const cases: unknown[] = [
      { bodyLimit: -1 },
      { bodyLimit: '1mb' },
      { trustProxy: 'yes' },
      { signal: {} },
      { getRemoteAddress: 'x' },
      { onError: 1 },
    ]
    for (const options of cases) {
      expect(() => toFetchHandler(fixture, options as never)).toThrow(ImproperlyConfigured)
    }
    expect(() => toFetchHandler({} as never)).toThrow(/needs a Cycle app/)
  })

  it('serves plain data views as JSON', async () => {
    const app = createApp({ urls: [path('n/<int:n>', (r) => json({ twice: r.params.n * 2 }))] })
    const res = await toFetchHandler(app)(new Request('http://localhost/n/21'))
    expect(await res.json()).toEqual({ twice: 42 })
  })
})

// The shared gateway contract in the fetch gateway: HEAD framing, `signal`, bad options, and the
// one reporting path for errors outside the cycle (the app's listeners once, then onError).
import {
  createApp,
  CycleResponse,
  ImproperlyConfigured,
  json,
  path,
  stream,
  text,
  type CycleRequest,
} from '@cycle/core'
import type { GatewayApp } from '@cycle/core/gateway'
import { createFixtureApp } from '@cycle/testing'
import { describe, expect, it, vi } from 'vitest'
import { toFetchHandler } from './index'
import { utf8Length } from './response'

const fixture = createFixtureApp()
const handler = toFetchHandler(fixture)
const head = (url: string) => handler(new Request(url, { method: 'HEAD' }))

describe('toFetchHandler: HEAD', () => {
  it("answers HEAD with the GET's fields, Content-Length included, and no body", async () => {
    for (const url of ['/text', '/json/7?q=caf%C3%A9', '/binary', '/unicode/caf%C3%A9']) {
      const get = await handler(new Request(`http://localhost${url}`))
      const bytes = (await get.arrayBuffer()).byteLength
      const res = await head(`http://localhost${url}`)
      expect(res.status).toBe(200)
      expect(res.body).toBeNull()
      expect(res.headers.get('content-length')).toBe(String(bytes))
      expect(res.headers.get('content-type')).toBe(get.headers.get('content-type'))
    }
    expect((await head('http://localhost/text')).headers.get('x-fixture')).toBe('text')
  })

  it('drops the body of a HEAD error response too, keeping its length', async () => {
    const res = await head('http://localhost/missing')
    expect(res.status).toBe(404)
    expect(res.body).toBeNull()
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0)
  })

  it("keeps an app's own Content-Length and cancels a streamed body (no length)", async () => {
    const finalized: string[] = []
    const app = createApp({
      urls: [
        path('own', () => text('x', { headers: { 'content-length': '99' } })),
        path('stream', () =>
          stream(
            (async function* () {
              try {
                yield 'never sent'
              } finally {
                finalized.push('done')
              }
            })()
          )
        ),
        path('empty', () => new CycleResponse(null, { status: 204 })),
      ],
    })
    const h = toFetchHandler(app)
    const own = await h(new Request('http://localhost/own', { method: 'HEAD' }))
    expect(own.headers.get('content-length')).toBe('99')
    const streamed = await h(new Request('http://localhost/stream', { method: 'HEAD' }))
    // No length stated (an empty stream stands in for the body, so no runtime says 0), no bytes.
    expect(streamed.headers.get('content-length')).toBeNull()
    expect(await streamed.text()).toBe('')
    const empty = await h(new Request('http://localhost/empty', { method: 'HEAD' }))
    expect(empty.headers.get('content-length')).toBeNull()
  })

  it('counts UTF-8 bytes without encoding', () => {
    const enc = new TextEncoder()
    for (const s of ['', 'abc', 'café', '€', '😀x', 'a\uD800b', '\uDC00', 'end\uD83D']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(enc.encode(s).byteLength)
    }
  })
})

describe('toFetchHandler({ signal }): the server is shutting down', () => {
  it('aborts in-flight request signals and answers new requests 503 without running the app', async () => {
    const shutdown = new AbortController()
    const h = toFetchHandler(fixture, { signal: shutdown.signal })
    const pending = h(new Request('http://localhost/signal?id=fetch-shutdown&timeout=10000'))
    await vi.waitFor(async () => {
      const res = await handler(new Request('http://localhost/probe?probe=fetch-shutdown'))
      expect(await res.json()).toMatchObject({ started: true })
    })
    shutdown.abort()
    expect(await (await pending).text()).toBe('aborted')
    const late = await h(new Request('http://localhost/text'))
    expect(late.status).toBe(503)
    expect(late.headers.get('content-type')).toContain('application/problem+json')
    expect(await late.json()).toMatchObject({ status: 503 })
  })
})

describe('toFetchHandler: errors outside the cycle', () => {
  /** An app whose listeners and onError log what they hear. */
  function logged(app: GatewayApp) {
    const log: string[] = []
    const onError = (error: unknown, request: CycleRequest | null): void => {
      log.push(`onError ${(error as Error).message} ${request?.path ?? 'null'}`)
    }
    return { log, h: toFetchHandler(app, { onError }) }
  }

  it("a stream failing mid-way reaches the app's listeners once, then onError; in-cycle errors only core's", async () => {
    const app = createApp({
      urls: [
        path('broken', () =>
          stream(
            (async function* () {
              yield 'partial'
              throw new Error('disk on fire')
            })()
          )
        ),
        path('error', () => {
          throw new Error('in the cycle')
        }),
      ],
    })
    const { log, h } = logged(app)
    app.on('requestException', (r, error) => log.push(`app ${(error as Error).message} ${r.path}`))
    const res = await h(new Request('http://localhost/broken'))
    expect(res.status).toBe(200)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('partial')
    await expect(reader.read()).rejects.toThrow('disk on fire')
    expect((await h(new Request('http://localhost/error'))).status).toBe(500)
    expect(log).toEqual([
      'app disk on fire /broken',
      'onError disk on fire /broken',
      'app in the cycle /error',
    ])
  })

  it('an app that throws, rejects or answers an unconvertible response: 500 problem, reported once', async () => {
    const bad = new CycleResponse('x')
    bad.status = 99 // WHATWG Response refuses statuses below 200
    const log: string[] = []
    const app: GatewayApp = {
      handle(r) {
        if (r.path === '/sync') throw new Error('sync boom')
        if (r.path === '/reject') return Promise.reject(new Error('async boom'))
        return r.path === '/bad-sync' ? bad : Promise.resolve(bad)
      },
      reportException: (r, error) => log.push(`app ${(error as Error).message} ${r.path}`),
    }
    const { log: heard, h } = logged(app)
    for (const url of ['/sync', '/reject', '/bad-sync', '/bad-async']) {
      const answer = h(new Request(`http://localhost${url}`))
      const res = await answer
      expect(res.status).toBe(500)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
      })
    }
    expect(log.map((l) => l.replace(/ \S+$/, ''))).toEqual([
      'app sync boom',
      'app async boom',
      expect.stringMatching(/^app .*status/i),
      expect.stringMatching(/^app .*status/i),
    ])
    expect(heard).toHaveLength(4)
    expect(heard[0]).toBe('onError sync boom /sync')
  })

  it('never rejects, even when onError and the app listeners throw', async () => {
    const app: GatewayApp = {
      handle: () => Promise.reject(new Error('nope')),
      reportException: () => {
        throw new Error('broken listener')
      },
    }
    const onError = (): void => {
      throw new Error('broken hook')
    }
    expect((await toFetchHandler(app, { onError })(new Request('http://localhost/'))).status).toBe(
      500
    )
  })

  it('a throwing getRemoteAddress fails inside the cycle: the app answers 500', async () => {
    const h = toFetchHandler(fixture, {
      getRemoteAddress: () => {
        throw new Error('no ip')
      },
    })
    expect((await h(new Request('http://localhost/info'))).status).toBe(500)
  })
})

describe('toFetchHandler: options', () => {
  it('refuses a bad app and bad options at once (ImproperlyConfigured, as gateway-node)', () => {
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
    expect(() => toFetchHandler({} as never)).toThrow(
      /^toFetchHandler\(app\) needs an app with a handle\(request\) method/
    )
    expect(() => toFetchHandler(null as never)).toThrow(ImproperlyConfigured)
  })

  it('serves plain data views as JSON', async () => {
    const app = createApp({ urls: [path('n/<int:n>', (r) => json({ twice: r.params.n * 2 }))] })
    const res = await toFetchHandler(app)(new Request('http://localhost/n/21'))
    expect(await res.json()).toEqual({ twice: 42 })
  })
})

/**
 * The same server through `@cycle/gateway-fetch` (the gateway Bun, Deno and Workers use), run
 * here on Node: WHATWG `Request` in, `Response` out, the file streamed through its body.
 */
import { createApp, path, text, type CycleResponse } from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { toFetchHandler } from '@cycle/gateway-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HELLO, makeTree, type Tree } from './__fixtures__/tree'
import { serveStatic } from './serve'

let tree: Tree
let handle: (request: Request) => Promise<Response>

beforeAll(() => {
  tree = makeTree()
  const app = createApp({ middleware: [serveStatic({ root: tree.root })], urls: [] })
  const fetchHandler = toFetchHandler(app)
  handle = async (request) => fetchHandler(request)
})

afterAll(() => tree.cleanup())

const url = (p: string) => `http://localhost${p}`

describe('through @cycle/gateway-fetch', () => {
  it('GET streams the file with its headers', async () => {
    const res = await handle(new Request(url('/static/hello.txt')))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(res.headers.get('content-length')).toBe(String(HELLO.length))
    expect(await res.text()).toBe(HELLO)
  })

  it('HEAD has no body; a range is a 206; a refusal is a 400', async () => {
    const head = await handle(new Request(url('/static/hello.txt'), { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const part = await handle(
      new Request(url('/static/hello.txt'), { headers: { range: 'bytes=0-4' } })
    )
    expect(part.status).toBe(206)
    expect(await part.text()).toBe('Hello')
    const bad = await handle(new Request(url('/static/..%2fsecret.txt')))
    expect(bad.status).toBe(400)
  })
})

describe('staying synchronous', () => {
  it('a request outside the prefix adds no promise: app.handle() answers synchronously', async () => {
    const app = createApp({
      middleware: [serveStatic({ root: tree.root })],
      urls: [path('hello/', () => text('hi'))],
    })
    const res = app.handle(new WebRequest(new Request(url('/hello/'))))
    expect(res).not.toBeInstanceOf(Promise)
    expect((res as CycleResponse).status).toBe(200)
    // A request under the prefix waits for the file system.
    const file = app.handle(new WebRequest(new Request(url('/static/hello.txt'))))
    expect(file).toBeInstanceOf(Promise)
    const answered = await file
    expect(answered.status).toBe(200)
    await (answered.body as ReadableStream<Uint8Array>).cancel()
  })
})

describe('Cache-Control globs', () => {
  it('`**` across segments (zero or more), `*` and `?` within one, bare names against the file name', async () => {
    const app = createApp({
      middleware: [
        serveStatic({
          root: tree.root,
          cacheControl: [
            ['noindex/**', 'A'],
            ['**/index.html', 'B'],
            ['h?llo.txt', 'C'],
            ['assets/*.js', 'D'],
            ['data.jso', 'never: globs match whole names'],
          ],
        }),
      ],
      urls: [],
    })
    const handler = toFetchHandler(app)
    const cacheOf = async (p: string) => {
      const res = await handler(new Request(url(p), { method: 'HEAD' }))
      expect(res.status).toBe(200)
      return res.headers.get('cache-control')
    }
    expect(await cacheOf('/static/noindex/a.txt')).toBe('A')
    expect(await cacheOf('/static/sub/')).toBe('B')
    expect(await cacheOf('/static/hello.txt')).toBe('C')
    expect(await cacheOf('/static/assets/plain.js')).toBe('D')
    expect(await cacheOf('/static/assets/app.3f2a9c1b.js')).toBe('D')
    expect(await cacheOf('/static/data.json')).toBe('public, max-age=0')
    expect(await cacheOf('/static/page.html')).toBe('public, max-age=0')
  })
})

it('a RegExp with the g flag matches every time (no lastIndex carried between requests)', async () => {
  const app = createApp({
    middleware: [serveStatic({ root: tree.root, cacheControl: [[/\.txt$/g, 'T']] })],
    urls: [],
  })
  const handler = toFetchHandler(app)
  for (let i = 0; i < 3; i++) {
    const res = await handler(new Request(url('/static/hello.txt'), { method: 'HEAD' }))
    expect(res.headers.get('cache-control')).toBe('T')
  }
})

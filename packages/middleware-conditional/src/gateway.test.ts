/**
 * The conditional middleware behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0):
 * tags, 304 framing (no body, no Content-Length) and 412 preconditions as a client sees them.
 */
import { createApp, json, NotFound, path, stream, type CycleRequest } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { format } from '@cycle/middleware-format'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conditional } from './conditional'
import { precondition } from './precondition'
import { etag } from './validators'

const notes = new Map([[1, { id: 1, title: 'First', version: 1 }]])
let writes = 0

const noteVersion = precondition((req: CycleRequest) => {
  const note = notes.get(req.params['id'] as number)
  return note ? { etag: `v${note.version}` } : null
})

const app = createApp({
  middleware: [format(), conditional()],
  urls: [
    path('hello/', () => ({ hello: 'world' })),
    path('events/', () =>
      etag(
        stream(
          (async function* () {
            yield 'data: 1\n\n'
          })()
        ),
        'e1'
      )
    ),
    path(
      'notes/<int:id>/',
      async (req) => {
        const note = notes.get(req.params.id)
        if (!note) throw new NotFound()
        if (req.method === 'PATCH') {
          const body = await req.json<{ title: string }>()
          note.title = body.title
          note.version++
          writes++
          return etag(json(note), `v${note.version}`)
        }
        return note
      },
      { methods: ['GET', 'PATCH'], middleware: [noteVersion] }
    ),
  ],
})

let base = ''
let port = 0
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  base = server.url
  port = Number(new URL(server.url).port)
  close = () => server.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
})

const call = (url: string, init?: RequestInit) =>
  fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(5000) })

/** The raw head and body of an answer, to see exactly what went on the wire. */
function raw(
  url: string,
  headers: Record<string, string>
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: url, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('through @cycle/gateway-node', () => {
  it('sends a strong ETag of the envelope and a 304 with no body and no Content-Length', async () => {
    const first = await call('/hello/')
    const tag = first.headers.get('etag') as string
    expect(await first.text()).toBe('{"data":{"hello":"world"},"meta":{}}')
    expect(tag).toMatch(/^"[0-9a-f]+-[0-9a-f]{16}"$/)
    const wire = await raw('/hello/', { 'if-none-match': tag })
    expect(wire.status).toBe(304)
    expect(wire.body).toBe('')
    expect(wire.headers['etag']).toBe(tag)
    expect(wire.headers['vary']).toBe('Accept')
    expect(wire.headers['content-length']).toBeUndefined()
    expect(wire.headers['content-type']).toBeUndefined()
  })

  it('HEAD gets the GET’s tag, and a 304 too', async () => {
    const get = await call('/hello/')
    const head = await call('/hello/', { method: 'HEAD' })
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'))
    const res = await call('/hello/', {
      method: 'HEAD',
      headers: { 'if-none-match': get.headers.get('etag') as string },
    })
    expect(res.status).toBe(304)
  })

  it('a stream with a view-supplied tag: 304 on match, streamed otherwise', async () => {
    expect((await raw('/events/', { 'if-none-match': '"e1"' })).status).toBe(304)
    const res = await call('/events/')
    expect(res.headers.get('etag')).toBe('"e1"')
    expect(await res.text()).toBe('data: 1\n\n')
  })

  it('optimistic concurrency: GET the tag, PATCH with it, a stale PATCH is 412 and writes nothing', async () => {
    const got = await call('/notes/1/')
    const tag = got.headers.get('etag') as string
    expect(tag).toBe('"v1"')
    const patch = (ifMatch: string, title: string) =>
      call('/notes/1/', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': ifMatch },
        body: JSON.stringify({ title }),
      })
    const ok = await patch(tag, 'Second')
    expect(ok.status).toBe(200)
    expect(ok.headers.get('etag')).toBe('"v2"')
    const stale = await patch(tag, 'Lost update')
    expect(stale.status).toBe(412)
    expect(stale.headers.get('content-type')).toBe('application/problem+json')
    expect(await stale.json()).toMatchObject({ status: 412, title: 'Precondition Failed' })
    expect(stale.headers.get('etag')).toBe('"v2"')
    expect(notes.get(1)?.title).toBe('Second')
    expect(writes).toBe(1)
    // And the GET revalidates against the loaded tag without running the view.
    const wire = await raw('/notes/1/', { 'if-none-match': '"v2"' })
    expect(wire.status).toBe(304)
    expect(wire.body).toBe('')
  })
})

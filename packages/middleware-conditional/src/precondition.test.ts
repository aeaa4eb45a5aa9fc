/**
 * `precondition()` through `app.fetch`: optimistic concurrency for a notes resource. A stale
 * `If-Match` never reaches the view (nothing is written), a matching one does; GET answers 304
 * before the view from the loaded validator, and the ETag clients read is the one `If-Match` is
 * compared with.
 */
import {
  createApp,
  ImproperlyConfigured,
  json,
  NotFound,
  path,
  type CycleRequest,
} from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { describe, expect, it } from 'vitest'
import { conditional } from './conditional'
import { precondition, type PreconditionOptions } from './precondition'
import { etag } from './validators'

interface Note {
  id: number
  title: string
  version: number
  updated: Date
}

function notesApp(options?: PreconditionOptions & { async?: boolean; withConditional?: boolean }) {
  const notes = new Map<number, Note>([
    [1, { id: 1, title: 'First', version: 1, updated: new Date('2026-01-01T00:00:00Z') }],
  ])
  const calls = { load: 0, view: 0, writes: 0 }
  const load = (req: CycleRequest) => {
    calls.load++
    const note = notes.get(req.params['id'] as number)
    const v = note ? { etag: `v${note.version}`, lastModified: note.updated } : null
    return options?.async ? Promise.resolve(v) : v
  }
  const { async: _a, withConditional, ...preOptions } = options ?? {}
  const guard = precondition(load, preOptions)
  const detail = async (req: CycleRequest) => {
    calls.view++
    const id = req.params['id'] as number
    const note = notes.get(id)
    if (req.method === 'PUT') {
      const body = await req.json<{ title: string }>()
      const next = {
        id,
        title: body.title,
        version: (note?.version ?? 0) + 1,
        updated: new Date('2026-02-01T00:00:00Z'),
      }
      notes.set(id, next)
      calls.writes++
      return etag(json(next, note ? 200 : 201), `v${next.version}`)
    }
    if (!note) throw new NotFound()
    if (req.method === 'GET' || req.method === 'HEAD') return json(note)
    if (req.method === 'DELETE') {
      notes.delete(id)
      calls.writes++
      return json(null, 200)
    }
    const body = await req.json<{ title: string }>()
    note.title = body.title
    note.version++
    note.updated = new Date('2026-03-01T00:00:00Z')
    calls.writes++
    return etag(json(note), `v${note.version}`)
  }
  const app = createApp({
    middleware: withConditional ? [conditional({ hash: () => 'hashed' })] : [],
    urls: [
      path('notes/<int:id>/', detail, {
        methods: ['GET', 'PATCH', 'PUT', 'DELETE'],
        middleware: [guard],
      }),
    ],
  })
  const call = (url: string, init?: RequestInit) =>
    app.fetch(new Request(`http://localhost${url}`, init))
  const patch = (url: string, headers: Record<string, string>, title = 'Changed') =>
    call(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ title }),
    })
  return { app, call, patch, notes, calls }
}

describe('optimistic concurrency (If-Match before the view)', () => {
  for (const async of [false, true]) {
    describe(async ? 'async loader' : 'sync loader', () => {
      it('a stale If-Match is a 412 problem and nothing is written', async () => {
        const { patch, notes, calls } = notesApp({ async })
        const res = await patch('/notes/1/', { 'if-match': '"v0"' })
        expect(res.status).toBe(412)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(await res.json()).toMatchObject({ status: 412, title: 'Precondition Failed' })
        // The current tag comes back, so the client can fetch the new state and retry.
        expect(res.headers.get('etag')).toBe('"v1"')
        expect(calls.view).toBe(0)
        expect(calls.writes).toBe(0)
        expect(notes.get(1)?.title).toBe('First')
      })

      it('a matching If-Match lets the view write, and the answer carries the new tag', async () => {
        const { patch, notes, calls } = notesApp({ async })
        const res = await patch('/notes/1/', { 'if-match': '"v1"' })
        expect(res.status).toBe(200)
        expect(res.headers.get('etag')).toBe('"v2"')
        expect(notes.get(1)?.title).toBe('Changed')
        // The same If-Match again is stale now: the lost update is refused.
        const again = await patch('/notes/1/', { 'if-match': '"v1"' }, 'Lost update')
        expect(again.status).toBe(412)
        expect(notes.get(1)?.title).toBe('Changed')
        expect(calls.writes).toBe(1)
      })
    })
  }

  it('compares strongly: a weak tag never satisfies If-Match', async () => {
    const { patch } = notesApp()
    expect((await patch('/notes/1/', { 'if-match': 'W/"v1"' })).status).toBe(412)
  })

  it('reads a list of tags', async () => {
    const { patch } = notesApp()
    expect((await patch('/notes/1/', { 'if-match': '"v0", "v1"' })).status).toBe(200)
  })

  it('If-Match: * passes when the resource exists, fails when it does not', async () => {
    const { patch, call, calls } = notesApp()
    expect((await patch('/notes/1/', { 'if-match': '*' })).status).toBe(200)
    const res = await call('/notes/2/', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': '*' },
      body: '{"title":"new"}',
    })
    expect(res.status).toBe(412)
    expect(calls.writes).toBe(1)
  })

  it('If-None-Match: * on PUT creates only when absent (412 when it exists)', async () => {
    const { call, calls } = notesApp()
    const put = (id: number) =>
      call(`/notes/${id}/`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-none-match': '*' },
        body: '{"title":"new"}',
      })
    const created = await put(2)
    expect(created.status).toBe(201)
    expect(created.headers.get('etag')).toBe('"v1"')
    expect((await put(1)).status).toBe(412)
    expect(calls.writes).toBe(1)
  })

  it('If-Unmodified-Since: 412 when modified after the date; ignored with If-Match', async () => {
    const { patch, calls } = notesApp()
    const before = 'Wed, 31 Dec 2025 00:00:00 GMT'
    expect((await patch('/notes/1/', { 'if-unmodified-since': before })).status).toBe(412)
    expect(calls.writes).toBe(0)
    expect((await patch('/notes/1/', { 'if-unmodified-since': 'not a date' })).status).toBe(200)
    expect(
      (await patch('/notes/1/', { 'if-match': '"v2"', 'if-unmodified-since': before })).status
    ).toBe(200)
    const { patch: patch2 } = notesApp()
    expect(
      (await patch2('/notes/1/', { 'if-unmodified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' })).status
    ).toBe(200)
  })

  it('a DELETE with a stale tag deletes nothing', async () => {
    const { call, notes } = notesApp()
    const res = await call('/notes/1/', { method: 'DELETE', headers: { 'if-match': '"v9"' } })
    expect(res.status).toBe(412)
    expect(notes.has(1)).toBe(true)
  })

  it('an unconditional unsafe request skips the loader and reaches the view', async () => {
    const { patch, calls } = notesApp()
    expect((await patch('/notes/1/', {})).status).toBe(200)
    expect(calls.load).toBe(0)
  })

  it('required: an unconditional unsafe request is a 428 problem', async () => {
    const { patch, calls } = notesApp({ required: true })
    const res = await patch('/notes/1/', {})
    expect(res.status).toBe(428)
    expect(await res.json()).toMatchObject({ status: 428, title: 'Precondition Required' })
    expect(calls.view).toBe(0)
    expect((await patch('/notes/1/', { 'if-match': '"v1"' })).status).toBe(200)
  })

  it('a PATCH of a missing note with If-Match is a 412; without it the view says 404', async () => {
    const { patch } = notesApp()
    expect((await patch('/notes/9/', { 'if-match': '"v1"' })).status).toBe(412)
    expect((await patch('/notes/9/', {})).status).toBe(404)
  })
})

describe('GET with the loaded validators', () => {
  it('sets the loaded ETag and Last-Modified on the answer', async () => {
    const { call } = notesApp()
    const res = await call('/notes/1/')
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('last-modified')).toBe('Thu, 01 Jan 2026 00:00:00 GMT')
  })

  it('answers 304 before the view when If-None-Match matches', async () => {
    const { call, calls } = notesApp()
    const res = await call('/notes/1/', { headers: { 'if-none-match': 'W/"v1"' } })
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('last-modified')).toBeNull()
    expect(await res.text()).toBe('')
    expect(calls.view).toBe(0)
  })

  it('answers 304 before the view on If-Modified-Since, for HEAD too', async () => {
    const { call, calls } = notesApp()
    const ims = { 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' }
    expect((await call('/notes/1/', { headers: ims })).status).toBe(304)
    expect((await call('/notes/1/', { method: 'HEAD', headers: ims })).status).toBe(304)
    expect(calls.view).toBe(0)
  })

  it('a GET with a stale If-Match is a 412', async () => {
    const { call } = notesApp()
    expect((await call('/notes/1/', { headers: { 'if-match': '"v0"' } })).status).toBe(412)
  })

  it('a GET of a missing resource is left to the view (404), whatever the conditions', async () => {
    const { call } = notesApp()
    expect((await call('/notes/9/', { headers: { 'if-match': '"v1"' } })).status).toBe(404)
    expect((await call('/notes/9/', { headers: { 'if-none-match': '*' } })).status).toBe(404)
  })

  it('with conditional() installed, the loaded tag is used: no hashing', async () => {
    const { call } = notesApp({ withConditional: true })
    const res = await call('/notes/1/')
    expect(res.headers.get('etag')).toBe('"v1"')
    // The GET's tag is the one a PATCH's If-Match is compared with.
    const { patch } = notesApp({ withConditional: true })
    expect(
      (await patch('/notes/1/', { 'if-match': res.headers.get('etag') as string })).status
    ).toBe(200)
  })

  it("headers: repeated on the early 304 and set on the view's 200 when it lacks them", async () => {
    const headers = { 'cache-control': 'private, no-cache', vary: 'Accept' }
    const app = createApp({
      urls: [
        path('v/', () => json({ v: 1 }), {
          middleware: [precondition(() => ({ etag: 'v1' }), { headers })],
        }),
      ],
    })
    const ok = await app.fetch(new Request('http://localhost/v/'))
    expect(ok.headers.get('cache-control')).toBe('private, no-cache')
    expect(ok.headers.get('vary')).toBe('Accept')
    const early = await app.fetch(
      new Request('http://localhost/v/', { headers: { 'if-none-match': '"v1"' } })
    )
    expect(early.status).toBe(304)
    expect(early.headers.get('cache-control')).toBe('private, no-cache')
    expect(early.headers.get('vary')).toBe('Accept')
    expect(early.headers.get('etag')).toBe('"v1"')
    expect(() => precondition(() => null, { headers: { x: 'a\r\nb' } })).toThrow(
      ImproperlyConfigured
    )
  })

  it('refuses bad arguments at startup', () => {
    expect(() => precondition('x' as never)).toThrow(ImproperlyConfigured)
    expect(() => precondition(() => null, { require: true } as never)).toThrow(ImproperlyConfigured)
  })

  it('stays synchronous with a sync loader and a sync view', () => {
    const app = createApp({
      urls: [path('v/', () => json(1), { middleware: [precondition(() => ({ etag: 1 }))] })],
    })
    const res = app.handle(
      new WebRequest(new Request('http://localhost/v/', { headers: { 'if-none-match': '"1"' } }))
    )
    expect(res).not.toBeInstanceOf(Promise)
    expect((res as { status: number }).status).toBe(304)
  })
})

/** Error responses of every origin, in the standard problem shape. */
import { BadRequest, createApp, json, path, problem } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { format } from './format'
import type { FormatOptions } from './options'

function appWith(options?: FormatOptions) {
  return createApp({
    middleware: [format(options)],
    urls: [
      path('notes/', () => [], { methods: ['GET'] }),
      path('boom/', () => {
        throw new Error('secret internals')
      }),
      path('bad/', () => {
        throw new BadRequest('The "x" parameter is required.')
      }),
      path('teapot/', () => json({ error: 'short and stout' }, 418)),
      path('string-error/', () => json('plain message', 409)),
      path('custom-problem/', () =>
        problem({
          status: 409,
          type: 'https://example.com/probs/dup',
          title: 'Duplicate',
          detail: 'Taken.',
          field: 'title',
        })
      ),
      path('upload/', async (req) => json(await req.json()), { bodyLimit: 8, methods: ['POST'] }),
    ],
  })
}

const get = (app: ReturnType<typeof appWith>, url: string, init?: RequestInit) =>
  app.fetch(new Request(`http://localhost${url}`, init))

describe('errors as RFC 9457 problems', () => {
  const app = appWith()
  const expectProblem = async (res: Response, status: number, title: string) => {
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('vary')).toBe('Accept')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ type: 'about:blank', title, status })
    return body
  }

  it('404 from resolution', async () => {
    await expectProblem(await get(app, '/nowhere/'), 404, 'Not Found')
  })

  it('405 from resolution keeps Allow', async () => {
    const res = await get(app, '/notes/', { method: 'DELETE' })
    expect(res.headers.get('allow')).toContain('GET')
    await expectProblem(res, 405, 'Method Not Allowed')
  })

  it('413 from the body reader', async () => {
    const res = await get(app, '/upload/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"way":"too large"}',
    })
    await expectProblem(res, 413, 'Content Too Large')
  })

  it('500 from a throwing view, without internals', async () => {
    const res = await get(app, '/boom/')
    const body = await expectProblem(res, 500, 'Internal Server Error')
    expect(JSON.stringify(body)).not.toContain('secret')
  })

  it('400 with its detail', async () => {
    const body = await expectProblem(await get(app, '/bad/'), 400, 'Bad Request')
    expect(body['detail']).toBe('The "x" parameter is required.')
  })

  it('plain data with an error status becomes a problem around it', async () => {
    const body = await expectProblem(await get(app, '/teapot/'), 418, 'Error')
    expect(body['error']).toBe('short and stout')
    const str = await expectProblem(await get(app, '/string-error/'), 409, 'Conflict')
    expect(str['detail']).toBe('plain message')
  })

  it('a custom problem keeps its type, title and extensions, in RFC order', async () => {
    const res = await get(app, '/custom-problem/')
    expect(await res.text()).toBe(
      '{"type":"https://example.com/probs/dup","title":"Duplicate","status":409,"detail":"Taken.","field":"title"}'
    )
  })

  it("errors: 'envelope' puts the problem under error, as application/json", async () => {
    const env = appWith({ errors: 'envelope', meta: () => ({ v: 1 }) })
    const res = await get(env, '/nowhere/')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({
      error: {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No route matches /nowhere/.',
      },
      meta: { v: 1 },
    })
  })

  it('a problem() response is rendered in the negotiated representation', async () => {
    const adopt = createApp({
      middleware: [format()],
      urls: [path('gone/', () => problem({ status: 410, title: 'Gone', detail: 'Removed.' }))],
    })
    const asJson = await adopt.fetch(
      new Request('http://localhost/gone/', { headers: { accept: 'application/json' } })
    )
    expect(asJson.status).toBe(410)
    expect(asJson.headers.get('content-type')).toBe('application/problem+json')
    expect(await asJson.json()).toEqual({
      type: 'about:blank',
      title: 'Gone',
      status: 410,
      detail: 'Removed.',
    })
    const asHtml = await adopt.fetch(
      new Request('http://localhost/gone/', { headers: { accept: 'text/html' } })
    )
    expect(asHtml.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(asHtml.headers.get('vary')).toBe('Accept')
    expect(await asHtml.text()).toContain('Removed.')
  })

  it('an error page core already rendered as HTML is left as it is', async () => {
    const res = await get(app, '/nowhere/', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toContain('404 Not Found')
  })
})

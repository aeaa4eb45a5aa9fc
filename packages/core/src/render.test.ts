import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { HttpError, NotAcceptable } from './errors'
import type { HookMiddleware, Middleware } from './middleware'
import { CycleResponse, json, text } from './response'
import { ResponseShapeError } from './serializer'
import { path } from './urls/conf'
import { WebRequest } from './web-request'

type Plan = Partial<
  Record<'request' | 'view' | 'render' | 'exception' | 'response', 'respond' | 'throw' | 'render'>
>

/** A middleware with all five hooks that records each call in `log`. */
function recorder(name: string, log: string[], plan: Plan = {}): HookMiddleware {
  const act = (hook: keyof Plan, res?: CycleResponse): CycleResponse | undefined => {
    log.push(`${name}.${hook}`)
    const what = plan[hook]
    if (what === 'throw') throw new Error(`${name}.${hook} failed`)
    if (what === 'respond') return json({ from: `${name}.${hook}` }, 299)
    if (what === 'render') res?.render(() => `rendered by ${name}`)
    return undefined
  }
  return {
    name,
    request: () => act('request'),
    view: () => act('view'),
    render: (_req, res) => act('render', res),
    exception: () => act('exception'),
    response: (_req, res) => act('response', res),
  }
}

function setup(
  plans: { a?: Plan; b?: Plan; c?: Plan } = {},
  view: () => unknown = () => ({ ok: true })
) {
  const log: string[] = []
  const errors: unknown[] = []
  const middleware: Middleware[] = [
    recorder('A', log, plans.a),
    recorder('B', log, plans.b),
    recorder('C', log, plans.c),
  ]
  const app = createApp({
    middleware,
    urls: [path('here/', () => (log.push('V'), view()), { name: 'here' })],
  })
  app.on('requestException', (_req, e) => errors.push(e))
  return { app, log, errors }
}

const run = async (
  app: ReturnType<typeof setup>['app'],
  url = 'http://localhost/here/',
  accept?: string
) => app.handle(new WebRequest(new Request(url, accept ? { headers: { accept } } : undefined)))

const IN = ['A.request', 'B.request', 'C.request', 'A.view', 'B.view', 'C.view', 'V']

describe('the render step', () => {
  it('runs render hooks innermost first after the view, before any response hook', async () => {
    const { app, log } = setup()
    const res = await run(app)
    expect(log).toEqual([
      ...IN,
      'C.render',
      'B.render',
      'A.render',
      'C.response',
      'B.response',
      'A.response',
    ])
    expect(res.body).toBe('{"ok":true}')
  })

  it('stops at the first render hook that renders the body', async () => {
    const { app, log } = setup({ b: { render: 'render' } })
    const res = await run(app)
    expect(log.slice(IN.length)).toEqual([
      'C.render',
      'B.render',
      'C.response',
      'B.response',
      'A.response',
    ])
    expect(res.body).toBe('rendered by B')
    expect(res.data).toEqual({ ok: true }) // the data it was rendered from stays readable
  })

  it('renders a short-circuit answer with the hooks of the middlewares that ran', async () => {
    const { app, log } = setup({ b: { request: 'respond' } })
    const res = await run(app)
    expect(log).toEqual([
      'A.request',
      'B.request',
      'B.render',
      'A.render',
      'B.response',
      'A.response',
    ])
    expect(res.body).toBe('{"from":"B.request"}')
  })

  it('lets response hooks read the final body and the data without parsing', async () => {
    const seen: unknown[] = []
    const app = createApp({
      middleware: [{ response: (_req, res) => void seen.push(res.body, res.data, res.pending) }],
      urls: [path('x/', () => json({ id: 7 }, 201))],
    })
    await app.fetch(new Request('http://localhost/x/'))
    expect(seen).toEqual(['{"id":7}', { id: 7 }, false])
  })

  it('renders again, after the response phase, data a response hook assigned', async () => {
    const app = createApp({
      middleware: [
        {
          response(_req, res) {
            res.data = { wrapped: res.data }
          },
        },
      ],
      urls: [path('x/', () => ({ id: 1 }))],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(await res.json()).toEqual({ wrapped: { id: 1 } })
  })

  it('refuses a render hook that returns a promise (render is synchronous)', async () => {
    const app = createApp({
      debug: true,
      middleware: [
        {
          name: 'slow',
          // Only for the view's answer: core's 500 is then rendered without it.
          render: ((_req: unknown, res: CycleResponse) =>
            res.status === 200
              ? Promise.resolve()
              : undefined) as unknown as HookMiddleware['render'],
        },
      ],
      urls: [path('x/', () => ({ id: 1 }))],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(500)
    expect(String(res.body)).toContain('Middleware \\"slow\\" (render) returned a promise')
  })

  it('answers with the status of an HttpError a render hook throws', async () => {
    const app = createApp({
      middleware: [
        {
          render: (_req, res) => {
            if (res.status < 400) throw new NotAcceptable('No JSON here.')
          },
        },
      ],
      urls: [path('x/', () => ({ id: 1 }))],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(406)
    expect(await res.json()).toMatchObject({ status: 406, detail: 'No JSON here.' })
  })
})

describe('a failure to render is the view failing', () => {
  it('goes through the exception hooks, then the response hooks see the 500', async () => {
    const { app, log, errors } = setup({}, () => ({ big: 1n }))
    const res = await run(app)
    expect(res.status).toBe(500)
    expect(log.slice(IN.length)).toEqual([
      'C.render',
      'B.render',
      'A.render', // the view's data: no hook renders it, core fails to
      'C.exception',
      'B.exception',
      'A.exception',
      'C.render',
      'B.render',
      'A.render', // core's 500 problem
      'C.response',
      'B.response',
      'A.response',
    ])
    expect(JSON.parse(res.body as string)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
    expect(res.headers.get('x-cycle-original-status')).toBeNull()
    expect(errors).toHaveLength(1)
    expect((errors[0] as HttpError).detail).toBe(
      'The response data could not be serialized as JSON.'
    )
    expect(((errors[0] as Error).cause as Error).name).toBe('TypeError')
  })

  it('lets an exception hook answer it, and keeps the headers response hooks set', async () => {
    const app = createApp({
      middleware: [
        { response: (_req, res) => void res.headers.set('x-seen', 'yes') },
        { exception: () => text('handled', 422) },
      ],
      urls: [
        path('x/', () => ({
          cyclic: (() => {
            const a: Record<string, unknown> = {}
            a['a'] = a
            return a
          })(),
        })),
      ],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(422)
    expect(res.headers.get('x-seen')).toBe('yes')
    expect(await res.text()).toBe('handled')
  })

  it('a shape the route schema refuses reaches exception hooks with the pointer as cause', async () => {
    const causes: unknown[] = []
    const app = createApp({
      middleware: [{ exception: (_req, e) => void causes.push((e as Error).cause) }],
      urls: [
        path('x/', () => ({ id: 'one' }), {
          response: { 200: { type: 'object', properties: { id: { type: 'integer' } } } },
        }),
      ],
    })
    expect((await app.fetch(new Request('http://localhost/x/'))).status).toBe(500)
    expect(causes[0]).toBeInstanceOf(ResponseShapeError)
    expect((causes[0] as ResponseShapeError).pointer).toBe('/id')
  })

  it('a late failure (data assigned in a response hook) is a 500, reported once', async () => {
    const errors: unknown[] = []
    const app = createApp({
      middleware: [{ response: (_req, res) => void (res.data = { n: 1n }) }],
      urls: [path('x/', () => ({ id: 1 }))],
    })
    app.on('requestException', (_req, e) => errors.push(e))
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(errors).toHaveLength(1)
  })
})

describe('one reporting path', () => {
  it('reports an error thrown by an exception hook, and the next hooks see it', async () => {
    const seen: string[] = []
    const errors: string[] = []
    const app = createApp({
      middleware: [
        { exception: (_req, e) => void seen.push((e as Error).message) },
        {
          exception: () => {
            throw new Error('the hook broke')
          },
        },
      ],
      urls: [
        path('x/', () => {
          throw new Error('the view broke')
        }),
      ],
    })
    app.on('requestException', (_req, e) => errors.push((e as Error).message))
    expect((await app.fetch(new Request('http://localhost/x/'))).status).toBe(500)
    expect(errors).toEqual(['the view broke', 'the hook broke'])
    expect(seen).toEqual(['the hook broke'])
  })

  it('reports each failure once: view, response hook, error handler', async () => {
    const errors: string[] = []
    const app = createApp({
      middleware: [
        {
          response: (req) => {
            if (req.path === '/late/') throw new Error('response hook')
          },
        },
      ],
      errorHandler: (req) => {
        if (req.path === '/handler/') throw new Error('error handler')
      },
      urls: [
        path('view/', () => {
          throw new Error('view')
        }),
        path('late/', () => text('ok')),
        path('handler/', () => {
          throw new Error('first')
        }),
      ],
    })
    app.on('requestException', (_req, e) => errors.push((e as Error).message))
    for (const p of ['/view/', '/late/', '/handler/'])
      await app.fetch(new Request(`http://localhost${p}`))
    expect(errors).toEqual(['view', 'response hook', 'first', 'error handler'])
  })
})

describe('problem documents', () => {
  it('extensions never replace the standard members (RFC 9457 §3.1)', async () => {
    const app = createApp({
      urls: [
        path('x/', () => {
          throw new HttpError(409, {
            detail: 'Title taken.',
            extensions: JSON.parse(
              '{"status":200,"title":"OK","type":"x","detail":"leak","instance":"/i","__proto__":{"polluted":true},"field":"title"}'
            ) as Record<string, unknown>,
          })
        }),
      ],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(409)
    const doc = (await res.json()) as Record<string, unknown>
    expect(doc).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Title taken.',
      field: 'title',
    })
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('an invalid header on an HttpError is dropped, the error still answers', async () => {
    const app = createApp({
      urls: [
        path('x/', () => {
          throw new HttpError(429, {
            headers: { 'retry-after': '1\r\nx: y', 'bad name': 'v', ok: '1' },
          })
        }),
      ],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(429)
    expect(res.headers.get('ok')).toBe('1')
    expect(res.headers.get('retry-after')).toBeNull()
  })

  it('says Vary: Accept on JSON and HTML problems alike', async () => {
    const app = createApp({ urls: [] })
    const asJson = await app.fetch(new Request('http://localhost/nope/'))
    const asHtml = await app.fetch(
      new Request('http://localhost/nope/', { headers: { accept: 'text/html' } })
    )
    expect(asJson.headers.get('vary')).toBe('Accept')
    expect(asHtml.headers.get('vary')).toBe('Accept')
    expect(asHtml.headers.get('content-type')).toBe('text/html; charset=utf-8')
  })
})

import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { HttpError, NotFound } from './errors'
import type { HookMiddleware, Middleware } from './middleware'
import { CycleResponse, text } from './response'
import { path } from './urls/conf'
import { WebRequest } from './web-request'

type Plan = Partial<Record<string, 'respond' | 'throw' | 'async'>>

/** A middleware with all four hooks that records each call in `log`. */
function recorder(name: string, log: string[], plan: Plan = {}): HookMiddleware {
  const act = (hook: string): CycleResponse | undefined => {
    log.push(`${name}.${hook}`)
    const what = plan[hook]
    if (what === 'throw') throw new Error(`${name}.${hook} failed`)
    if (what === 'respond') return text(`from ${name}.${hook}`, 299)
    return undefined
  }
  return {
    name,
    request: () => act('request'),
    view: () => act('view'),
    exception: () => act('exception'),
    response: () => act('response'),
  }
}

function setup(opts: { a?: Plan; b?: Plan; c?: Plan; view?: (log: string[]) => unknown } = {}) {
  const log: string[] = []
  const middleware: Middleware[] = [
    recorder('A', log, opts.a),
    recorder('B', log, opts.b),
    recorder('C', log, opts.c),
  ]
  const view = () => {
    log.push('V')
    return opts.view ? opts.view(log) : text('view')
  }
  const app = createApp({ middleware, urls: [path('here/', view, { name: 'here' })] })
  return { app, log }
}

async function run(app: ReturnType<typeof setup>['app'], url = 'http://localhost/here/') {
  return app.handle(new WebRequest(new Request(url)))
}

describe('phase order (DESIGN.md table)', () => {
  it('normal request', async () => {
    const { app, log } = setup()
    const res = await run(app)
    expect(res.status).toBe(200)
    expect(log).toEqual(['A.request', 'B.request', 'C.request', 'A.view', 'B.view', 'C.view', 'V', 'C.response', 'B.response', 'A.response'])
  })

  it('B.request returns a response: C, resolution and V never run', async () => {
    const { app, log } = setup({ b: { request: 'respond' } })
    const res = await run(app)
    expect(res.status).toBe(299)
    expect(res.body).toBe('from B.request')
    expect(log).toEqual(['A.request', 'B.request', 'B.response', 'A.response'])
  })

  it('B.request short-circuit skips resolution even for an unknown path', async () => {
    const { app, log } = setup({ b: { request: 'respond' } })
    const res = await run(app, 'http://localhost/nowhere/')
    expect(res.status).toBe(299)
    expect(log).not.toContain('C.request')
  })

  it('B.view returns a response: C.view and V skipped, every response hook runs', async () => {
    const { app, log } = setup({ b: { view: 'respond' } })
    const res = await run(app)
    expect(res.status).toBe(299)
    expect(log).toEqual(['A.request', 'B.request', 'C.request', 'A.view', 'B.view', 'C.response', 'B.response', 'A.response'])
  })

  it('no route matches: exceptions in reverse, core 404, responses in reverse', async () => {
    const { app, log } = setup()
    const res = await run(app, 'http://localhost/missing/')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(log).toEqual(['A.request', 'B.request', 'C.request', 'C.exception', 'B.exception', 'A.exception', 'C.response', 'B.response', 'A.response'])
  })

  it('V throws NotFound: no middleware answers, core 404 problem', async () => {
    const { app, log } = setup({
      view: () => {
        throw new NotFound('no such note')
      },
    })
    const res = await run(app)
    expect(res.status).toBe(404)
    expect(res.data).toMatchObject({ status: 404, title: 'Not Found', detail: 'no such note' })
    expect(log.slice(6)).toEqual(['V', 'C.exception', 'B.exception', 'A.exception', 'C.response', 'B.response', 'A.response'])
  })

  it('V throws Error and B.exception answers: A.exception not called', async () => {
    const { app, log } = setup({
      b: { exception: 'respond' },
      view: () => {
        throw new Error('boom')
      },
    })
    const res = await run(app)
    expect(res.status).toBe(299)
    expect(log.slice(6)).toEqual(['V', 'C.exception', 'B.exception', 'C.response', 'B.response', 'A.response'])
  })

  it('V throws Error and nobody answers: core 500 problem without internals', async () => {
    const { app, log } = setup({
      view: () => {
        throw new Error('secret database password in message')
      },
    })
    const res = await run(app)
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.data)).not.toContain('secret')
    expect(res.data).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 })
    expect(log.slice(6)).toEqual(['V', 'C.exception', 'B.exception', 'A.exception', 'C.response', 'B.response', 'A.response'])
  })

  it('B.request throws: B.exception A.exception, core error, only A.response', async () => {
    const { app, log } = setup({ b: { request: 'throw' } })
    const res = await run(app)
    expect(res.status).toBe(500)
    expect(log).toEqual(['A.request', 'B.request', 'B.exception', 'A.exception', 'A.response'])
  })

  it('B.response throws: core 500 continues outward, no exception hooks', async () => {
    const { app, log } = setup({ b: { response: 'throw' } })
    const res = await run(app)
    expect(res.status).toBe(500)
    expect(log.slice(6)).toEqual(['V', 'C.response', 'B.response', 'A.response'])
  })
})

describe('async hooks keep the same order', () => {
  it('async request, view and response hooks', async () => {
    const log: string[] = []
    const slow = (name: string): Middleware => ({
      name,
      request: async () => {
        await new Promise((r) => setTimeout(r, 1))
        log.push(`${name}.request`)
      },
      view: async () => {
        log.push(`${name}.view`)
      },
      response: async (_req, res) => {
        log.push(`${name}.response`)
        res.headers.append('x-seen', name)
      },
    })
    const app = createApp({
      middleware: [slow('A'), slow('B')],
      urls: [path('x/', async () => (log.push('V'), text('ok')))],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(log).toEqual(['A.request', 'B.request', 'A.view', 'B.view', 'V', 'B.response', 'A.response'])
    expect(res.headers.get('x-seen')).toBe('B, A')
  })

  it('an async exception hook can answer', async () => {
    const app = createApp({
      middleware: [{ exception: async (_r, e) => text(`handled ${(e as Error).message}`, 418) }],
      urls: [path('x/', async () => { throw new Error('late') })],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(418)
    expect(res.body).toBe('handled late')
  })

  it('a response hook may replace the response with a WHATWG Response', async () => {
    const app = createApp({
      middleware: [{ response: () => new Response('replaced', { status: 201 }) }],
      urls: [path('x/', () => text('orig'))],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(201)
    expect(await res.text()).toBe('replaced')
  })
})

describe('sync fast path', () => {
  it('handle() returns a response, not a promise, when everything is sync', () => {
    const app = createApp({
      middleware: [{ request: () => undefined, response: () => undefined }],
      urls: [path('x/', () => text('sync'))],
    })
    const res = app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res).toBeInstanceOf(CycleResponse)
    expect((res as CycleResponse).body).toBe('sync')
  })

  it('returns a promise as soon as something is async', () => {
    const app = createApp({ urls: [path('x/', async () => text('async'))] })
    const res = app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res).toBeInstanceOf(Promise)
  })
})

describe('onion middleware', () => {
  it('surrounds the hook middlewares inside it and sees error responses', async () => {
    const log: string[] = []
    const app = createApp({
      middleware: [
        async (req, next) => {
          log.push('O.before')
          const res = await next()
          log.push(`O.after ${res.status}`)
          res.headers.set('x-onion', 'yes')
          return res
        },
        recorder('A', log),
      ],
      urls: [path('x/', () => { throw new HttpError(409) })],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(409)
    expect(res.headers.get('x-onion')).toBe('yes')
    expect(log).toEqual(['O.before', 'A.request', 'A.view', 'A.exception', 'A.response', 'O.after 409'])
  })

  it('can short-circuit without calling next()', async () => {
    const log: string[] = []
    const app = createApp({
      middleware: [() => text('blocked', 403), recorder('A', log)],
      urls: [path('x/', () => text('view'))],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(403)
    expect(log).toEqual([])
  })

  it('next() called twice is an error that names the middleware', async () => {
    const app = createApp({
      debug: true,
      middleware: [
        async function twice(_req, next) {
          await next()
          return next()
        },
      ],
      urls: [path('x/', () => text('ok'))],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.data)).toContain('next() called multiple times in middleware \\"twice\\"')
  })

  it('resolving before downstream finished is reported', async () => {
    const app = createApp({
      debug: true,
      middleware: [
        function forgetful(_req, next) {
          void next()
          return text('too early')
        },
      ],
      urls: [path('x/', async () => { await new Promise((r) => setTimeout(r, 5)); return text('ok') })],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.data)).toContain('Did you forget to await next()?')
  })

  it('an onion that aborted the request may answer before downstream finished', async () => {
    const seen: { aborted?: boolean; reason?: unknown; late?: number } = {}
    let viewDone: () => void = () => {}
    const finished = new Promise<void>((r) => (viewDone = r))
    const app = createApp({
      middleware: [
        function deadline(req, next) {
          const inner = next()
          void inner.then((late) => {
            seen.late = late.status
            viewDone()
          })
          return new Promise<CycleResponse>((resolve) =>
            setTimeout(() => {
              req.abort(new DOMException('Too slow.', 'TimeoutError'))
              resolve(text('deadline', 504))
            }, 5)
          )
        },
      ],
      urls: [
        path('x/', async (req) => {
          const signal = req.signal // read before the abort
          await new Promise((r) => setTimeout(r, 30))
          seen.aborted = signal.aborted
          seen.reason = (signal.reason as DOMException).name
          return text('late')
        }),
      ],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(504)
    expect(res.body).toBe('deadline')
    await finished
    expect(seen).toEqual({ aborted: true, reason: 'TimeoutError', late: 200 })
  })

  it('an onion that returns nothing is a 500 with a clear message', async () => {
    const app = createApp({
      debug: true,
      middleware: [(() => undefined) as unknown as Middleware],
      urls: [path('x/', () => text('ok'))],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.data)).toContain('returned undefined')
  })
})

describe('route-scoped middleware', () => {
  it('runs in the view phase after global view hooks, and sees request.route', async () => {
    const log: string[] = []
    const scoped: Middleware = {
      name: 'scoped',
      request: (req) => void log.push(`S.request ${req.route?.name}`),
      view: () => void log.push('S.view'),
      response: () => void log.push('S.response'),
    }
    const app = createApp({
      middleware: [recorder('A', log)],
      urls: [path('x/', () => (log.push('V'), text('ok')), { name: 'x', middleware: [scoped] })],
    })
    await app.fetch(new Request('http://localhost/x/'))
    expect(log).toEqual(['A.request', 'A.view', 'S.request x', 'S.view', 'V', 'S.response', 'A.response'])
  })

  it('a guard that throws goes through exception hooks and skips its own response hook', async () => {
    const log: string[] = []
    const guard: Middleware = {
      name: 'guard',
      request: () => {
        log.push('G.request')
        throw new HttpError(401)
      },
      response: () => void log.push('G.response'),
    }
    const app = createApp({
      middleware: [recorder('A', log)],
      urls: [path('x/', () => text('secret'), { middleware: [guard] })],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(401)
    expect(log).toEqual(['A.request', 'A.view', 'G.request', 'A.exception', 'A.response'])
  })
})

describe('middleware validation', () => {
  it('rejects a middleware with no hooks at startup', () => {
    expect(() => createApp({ middleware: [{ name: 'empty' }], urls: [] })).toThrow(/has no hook/)
  })
  it('rejects a hook that is not a function', () => {
    expect(() =>
      createApp({ middleware: [{ name: 'bad', request: 'nope' } as unknown as Middleware], urls: [] })
    ).toThrow(/"request" that is not a function/)
  })
  it('a hook returning a non-response is a 500 naming the hook', async () => {
    const app = createApp({
      debug: true,
      middleware: [{ name: 'weird', request: () => 42 as unknown as undefined }],
      urls: [path('x/', () => text('ok'))],
    })
    const res = await app.handle(new WebRequest(new Request('http://localhost/x/')))
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.data)).toContain('Middleware \\"weird\\" (request) returned number')
  })
})

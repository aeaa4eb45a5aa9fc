import { ImproperlyConfigured, createApp, json, path } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { format } from './format'
import type { FormatOptions } from './options'

const cyclic = (): unknown => {
  const a: Record<string, unknown> = { name: 'a' }
  a['self'] = a
  return a
}

function appWith(options?: FormatOptions) {
  return createApp({
    middleware: [format(options)],
    urls: [
      path('cycle/', () => cyclic()),
      path('getter/', () => ({
        ok: true,
        get password(): string {
          throw new Error('do not read me')
        },
      })),
      path('tojson/', () =>
        json(
          {
            when: {
              toJSON: () => {
                throw new Error('bad toJSON')
              },
            },
          },
          201
        )
      ),
      path('error-cycle/', () => {
        const doc = { status: 409, title: 'Conflict', loop: {} as Record<string, unknown> }
        doc.loop['back'] = doc
        return json(doc, 409)
      }),
      path('deep/', () => {
        let v: unknown = 1
        for (let i = 0; i < 5000; i++) v = { v }
        return v
      }),
      path('huge/', () => ({
        n: 1e400,
        max: Number.MAX_VALUE,
        big: -(2n ** 200n),
        nan: Number.NaN,
      })),
      path('ok/', () => ({ ok: true })),
    ],
  })
}

const get = (app: ReturnType<typeof createApp>, url: string, accept?: string) =>
  app.fetch(new Request(`http://localhost${url}`, accept ? { headers: { accept } } : undefined))

describe('data that cannot be serialized', () => {
  it.each(['/cycle/', '/getter/', '/tojson/', '/error-cycle/', '/deep/'])(
    '%s → a clean 500 problem, never a crash or half a body',
    async (url) => {
      const errors: unknown[] = []
      const app = appWith()
      app.on('requestException', (_req, e) => errors.push(e))
      const res = await get(app, url)
      expect(res.status).toBe(500)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('vary')).toBe('Accept')
      // Nothing about the failed answer leaks outside debug mode, not even its status.
      expect(res.headers.get('x-cycle-original-status')).toBeNull()
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
      })
      // Reported once, through the app's one reporting path.
      expect(errors).toHaveLength(1)
      expect((errors[0] as Error).name).toBe('SerializationError')
    }
  )

  it('does not leak the getter message to the client', async () => {
    const res = await get(appWith(), '/getter/')
    expect(await res.text()).not.toContain('do not read me')
  })

  it('the 500 follows the error shape and the negotiated representation', async () => {
    const env = await get(appWith({ errors: 'envelope' }), '/cycle/')
    expect(await env.json()).toEqual({
      error: { type: 'about:blank', title: 'Internal Server Error', status: 500 },
      meta: {},
    })
    const page = await get(appWith(), '/cycle/', 'text/html')
    expect(page.status).toBe(500)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('500 Internal Server Error')
  })

  it('a throwing meta option or envelope still ends in a clean 500', async () => {
    const badMeta = appWith({
      errors: 'envelope',
      meta: () => {
        throw new Error('meta broke')
      },
    })
    const res = await get(badMeta, '/ok/')
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ status: 500 })
    const badEnvelope = appWith({
      envelope: () => {
        throw new Error('envelope broke')
      },
    })
    expect((await get(badEnvelope, '/ok/')).status).toBe(500)
  })

  it('huge and non-finite numbers serialize without failing', async () => {
    const res = await get(appWith(), '/huge/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(
      `{"data":{"n":null,"max":1.7976931348623157e+308,"big":"-${(2n ** 200n).toString()}","nan":null},"meta":{}}`
    )
  })
})

describe('options are checked at once', () => {
  it.each([
    ['envelope', { envelope: 'yes' }],
    ['errors', { errors: 'json' }],
    ['strict', { strict: 'true' }],
    ['pretty', { pretty: 2 }],
    ['meta', { meta: {} }],
    // Removed in favour of the app's requestException listeners: a typo or a stale option fails.
    ['onError', { onError: () => {} }],
    ['representations', { representations: [] }],
    ['representations', { representations: ['xml'] }],
    ['representations', { representations: ['json', 'json'] }],
  ])('%s', (name, options) => {
    expect(() => format(options as unknown as FormatOptions)).toThrow(ImproperlyConfigured)
    expect(() => format(options as unknown as FormatOptions)).toThrow(new RegExp(name))
  })

  it('rejects a non-object', () => {
    expect(() => format(null as unknown as FormatOptions)).toThrow(/options must be an object/)
  })

  it('returns a named hook middleware; the view hook only in strict mode', () => {
    const m = format()
    expect(m.name).toBe('format')
    expect(typeof m.render).toBe('function')
    expect(m.response).toBeUndefined()
    expect(m.view).toBeUndefined()
    expect(typeof format({ strict: true }).view).toBe('function')
  })
})

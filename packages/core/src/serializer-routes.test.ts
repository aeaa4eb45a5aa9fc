import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { json, text } from './response'
import { ResponseShapeError, serializerFor, type JsonSchema } from './serializer'
import { include, path } from './urls/conf'

const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const satisfies JsonSchema

describe('response schemas on routes', () => {
  const envelope = {
    type: 'object',
    properties: { data: user, meta: { type: 'object', properties: { requestId: { type: 'string' } } } },
  } as const satisfies JsonSchema

  const app = createApp({
    urls: [
      path('me', () => ({ data: { id: 1, name: 'Ada', password: 'x' }, meta: { requestId: 'r1' } }), {
        response: { 200: envelope },
      }),
      path('created', () => json({ id: 2, name: 'Bo', internal: true }, 201), {
        response: { '2xx': user },
      }),
      path('exact-wins', () => json({ id: 3, name: 'Cy', more: 1 }, 202), {
        response: { 202: { type: 'object', properties: { id: { type: 'integer' } } }, '2xx': user },
      }),
      path('default', () => json({ id: 4, name: 'Di', more: 1 }, 299), { response: { default: user } }),
      path('uncovered', () => json({ id: 5, name: 'Ed', more: 1 }, 203), { response: { 200: user } }),
      path('wrong', () => ({ id: 'not a number', name: 'Fay' }), { response: { 200: user } }),
      include('api/', [path('nested', () => ({ id: 6, name: 'Gus', x: 1 }), { response: { 200: user } })]),
    ],
  })
  const get = (url: string) => app.fetch(new Request(`http://localhost${url}`))

  it('writes the declared shape only, as application/json', async () => {
    const res = await get('/me')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.text()).toBe('{"data":{"id":1,"name":"Ada"},"meta":{"requestId":"r1"}}')
  })

  it('picks the schema by exact status, then class, then default', async () => {
    expect(await (await get('/created')).text()).toBe('{"id":2,"name":"Bo"}')
    expect(await (await get('/exact-wins')).text()).toBe('{"id":3}')
    expect(await (await get('/default')).text()).toBe('{"id":4,"name":"Di"}')
    expect(await (await get('/uncovered')).text()).toBe('{"id":5,"name":"Ed","more":1}')
    expect(await (await get('/api/nested')).text()).toBe('{"id":6,"name":"Gus"}')
  })

  it('leaves problem documents of uncovered statuses alone', async () => {
    const res = await get('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ title: 'Not Found', status: 404 })
  })

  it('answers data of the wrong shape with a 500 problem, the cause on the debug page only', async () => {
    const seen: unknown[] = []
    app.on('requestException', (_req, error) => seen.push(error))
    const res = await get('/wrong')
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = await res.text()
    expect(JSON.parse(body)).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(body).not.toContain('not a number')
    expect((seen[0] as Error).cause).toBeInstanceOf(ResponseShapeError)

    const debug = createApp({
      debug: true,
      urls: [path('wrong', () => ({ id: 'x', name: 'y' }), { response: { 200: user } })],
    })
    const doc = (await (await debug.fetch(new Request('http://localhost/wrong'))).json()) as {
      detail: string
      debug: { cause: string }
    }
    expect(doc.detail).toBe("The response data does not match the route's response schema.")
    expect(doc.debug.cause).toContain('Response data at "/id": expected integer, got string.')
  })

  it('refuses bad response options when the route is defined', () => {
    expect(() => path('x', () => 1, { response: { 20: user } as never })).toThrow(/bad key "20"/)
    expect(() => path('x', () => 1, { response: { ok: user } as never })).toThrow(/bad key "ok"/)
    expect(() => path('x', () => 1, { response: [] as never })).toThrow(/keyed by status/)
    expect(() => path('x', () => 1, { response: { 200: { type: 'nope' } } as never })).toThrow(
      /path\("x"\) response 200 has an unknown type "nope"/
    )
  })

  it('serializerFor gives middlewares the serializer of the matched route and status', async () => {
    const seen: Array<[string, string | undefined]> = []
    const probe = createApp({
      middleware: [
        {
          name: 'probe',
          response(request, response) {
            const write = serializerFor(request, response.status)
            seen.push([request.path, write?.({ id: 1, name: 'x', more: true })])
          },
        },
      ],
      urls: [
        path('with', () => text('ok'), { response: { 200: user } }),
        path('without', () => text('ok')),
        path('other-status', () => text('created', 201), { response: { 200: user } }),
      ],
    })
    for (const p of ['/with', '/without', '/other-status', '/missing']) {
      await probe.fetch(new Request(`http://localhost${p}`))
    }
    expect(seen).toEqual([
      ['/with', '{"id":1,"name":"x"}'],
      ['/without', undefined],
      ['/other-status', undefined],
      ['/missing', undefined],
    ])
  })
})

import {
  ImproperlyConfigured,
  createApp,
  json,
  path,
  type CycleRequest,
  type StateOf,
} from '@cycle/core'
import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { format } from './format'
import type { StandardSchemaV1 } from './standard-schema'
import { queryObject, toValidationIssue, validate, validated } from './validate'

/** The same three schemas in each library. */
const libraries = {
  zod: {
    body: z.object({
      title: z.string().min(1),
      'a/b~c': z.number().optional(),
      tags: z.array(z.string()).default([]),
    }),
    query: z.object({
      page: z.coerce.number().int().min(1).default(1),
      tag: z.array(z.string()).optional(),
    }),
    params: z.object({ id: z.number().int().max(1000) }),
  },
  valibot: {
    body: v.object({
      title: v.pipe(v.string(), v.minLength(1)),
      'a/b~c': v.optional(v.number()),
      tags: v.optional(v.array(v.string()), []),
    }),
    query: v.object({
      page: v.optional(
        v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1)),
        '1'
      ),
      tag: v.optional(v.array(v.string())),
    }),
    params: v.object({ id: v.pipe(v.number(), v.integer(), v.maxValue(1000)) }),
  },
  arktype: {
    body: type({
      title: 'string > 0',
      'a/b~c?': 'number',
      tags: type('string[]').default(() => []),
    }),
    query: type({
      page: type('string.integer.parse').pipe(type('number >= 1')).default('1'),
      'tag?': 'string[]',
    }),
    params: type({ id: 'number.integer <= 1000' }),
  },
} satisfies Record<
  string,
  { body: StandardSchemaV1; query: StandardSchemaV1; params: StandardSchemaV1 }
>

function appFor(
  schemas: (typeof libraries)[keyof typeof libraries],
  protoAction: 'error' | 'remove' = 'error'
) {
  const check = validate(schemas)
  const view = (req: CycleRequest) => json({ valid: validated(req, check) }, 201)
  return createApp({
    json: { protoAction },
    middleware: [format()],
    urls: [
      path('notes/<int:id>/', view, { middleware: [check], methods: ['POST'], bodyLimit: 256 }),
    ],
  })
}

const post = (
  app: ReturnType<typeof createApp>,
  url: string,
  body: string,
  type = 'application/json'
) =>
  app.fetch(
    new Request(`http://localhost${url}`, {
      method: 'POST',
      body,
      headers: { 'content-type': type },
    })
  )

for (const [name, schemas] of Object.entries(libraries)) {
  describe(`validate() with ${name}`, () => {
    const app = appFor(schemas)

    it('stores the parsed values on request.state.valid', async () => {
      const res = await post(app, '/notes/7/?page=2', JSON.stringify({ title: 'Hello' }))
      expect(res.status).toBe(201)
      expect(await res.json()).toEqual({
        data: {
          valid: { params: { id: 7 }, query: { page: 2 }, body: { title: 'Hello', tags: [] } },
        },
        meta: {},
      })
    })

    it('reads repeated query keys as arrays', async () => {
      const res = await post(app, '/notes/7/?tag=a&tag=b', JSON.stringify({ title: 'x' }))
      const body = (await res.json()) as { data: { valid: { query: unknown } } }
      expect(body.data.valid.query).toEqual({ page: 1, tag: ['a', 'b'] })
    })

    it('reports every issue as a 422 problem with JSON pointers', async () => {
      const res = await post(
        app,
        '/notes/1001/?page=0',
        JSON.stringify({ title: '', 'a/b~c': 'no' })
      )
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const doc = (await res.json()) as { errors: { pointer: string; detail: string }[] }
      expect(doc).toMatchObject({
        type: 'about:blank',
        title: 'Unprocessable Content',
        status: 422,
      })
      expect(doc.errors.map((e) => e.pointer).sort()).toEqual(
        ['/body/a~1b~0c', '/body/title', '/params/id', '/query/page'].sort()
      )
      for (const e of doc.errors)
        expect(typeof e.detail === 'string' && e.detail.length > 0).toBe(true)
    })

    it('a body of the wrong shape is pointed at the root', async () => {
      const res = await post(app, '/notes/1/', '"just a string"')
      expect(res.status).toBe(422)
      const doc = (await res.json()) as { errors: { pointer: string }[] }
      expect(doc.errors.map((e) => e.pointer)).toEqual(['/body'])
    })

    it('malformed JSON is a 400 problem, before validation', async () => {
      const res = await post(app, '/notes/1/', '{"title":')
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({ status: 400, title: 'Bad Request' })
    })

    it('a wrong content type is a 415 problem', async () => {
      const res = await post(app, '/notes/1/', 'title=x', 'application/x-www-form-urlencoded')
      expect(res.status).toBe(415)
      expect(await res.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type' })
    })

    it('an empty body is a 400, an oversized one a 413', async () => {
      expect((await post(app, '/notes/1/', '')).status).toBe(400)
      const big = await post(app, '/notes/1/', JSON.stringify({ title: 'x'.repeat(1000) }))
      expect(big.status).toBe(413)
      expect(big.headers.get('content-type')).toBe('application/problem+json')
    })

    it('prototype-poisoning keys are a 400 problem before validation', async () => {
      for (const text of [
        '{"title":"x","__proto__":{"admin":true}}',
        '{"title":"x","\\u005f_proto__":{"admin":true}}',
        '{"title":"x","constructor":{"prototype":{"admin":true}}}',
      ]) {
        const res = await post(app, '/notes/1/', text)
        expect(res.status, text).toBe(400)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
      }
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined()
    })

    it("with protoAction: 'remove' prototype keys never reach the view", async () => {
      const removing = appFor(schemas, 'remove')
      const res = await post(removing, '/notes/1/', '{"title":"x","__proto__":{"admin":true}}')
      expect(res.status).toBe(201)
      const body = (await res.json()) as { data: { valid: { body: Record<string, unknown> } } }
      expect(body.data.valid.body['admin']).toBeUndefined()
      expect(Object.prototype.hasOwnProperty.call(body.data.valid.body, '__proto__')).toBe(false)
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined()
    })
  })
}

describe('validate() details', () => {
  it('types request.state.valid from the schemas output types', () => {
    const check = validate({ body: libraries.zod.body, query: libraries.arktype.query })
    type State = StateOf<[typeof check]>
    expectTypeOf<State['valid']['body']['title']>().toEqualTypeOf<string>()
    expectTypeOf<State['valid']['body']['tags']>().toEqualTypeOf<string[]>()
    expectTypeOf<State['valid']['query']['page']>().toEqualTypeOf<number>()
    expectTypeOf<State['valid']>().not.toHaveProperty('params')
    const request = { state: {} } as CycleRequest
    expectTypeOf(() => validated(request, check).body.tags).returns.toEqualTypeOf<string[]>()
  })

  it('validated() says what is missing when validate() did not run', async () => {
    const check = validate({ query: z.object({}) })
    const app = createApp({
      urls: [path('x/', (req) => validated(req, check), { middleware: [] })],
      debug: true,
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('the \\"validate\\" middleware did not run for this route')
  })

  it('supports async schemas and merges several validate() on one route', async () => {
    const asyncSchema: StandardSchemaV1<unknown, { slow: true }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) =>
          value && typeof value === 'object' && 'page' in value
            ? { value: { slow: true } }
            : { issues: [{ message: 'needs page', path: [{ key: 'page' }] }] },
      },
    }
    const app = createApp({
      middleware: [format()],
      urls: [
        path('x/', (req) => ({ state: req.state }), {
          middleware: [validate({ query: asyncSchema }), validate({ params: z.object({}) })],
        }),
      ],
    })
    const ok = await app.fetch(new Request('http://localhost/x/?page=1'))
    expect(await ok.json()).toEqual({
      data: { state: { valid: { query: { slow: true }, params: {} } } },
      meta: {},
    })
    const bad = await app.fetch(new Request('http://localhost/x/'))
    expect(bad.status).toBe(422)
    expect(await bad.json()).toMatchObject({
      errors: [{ pointer: '/query/page', detail: 'needs page' }],
    })
  })

  it('a failure with an empty issue list is still a failure', async () => {
    const empty: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 't', validate: () => ({ issues: [] }) },
    }
    const app = createApp({
      urls: [path('x/', () => 'unreached', { middleware: [validate({ query: empty })] })],
    })
    const res = await app.fetch(new Request('http://localhost/x/'))
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({
      errors: [{ pointer: '/query', detail: 'Invalid value.' }],
    })
  })

  it('builds pointers from keys, { key } segments, numbers and symbols', () => {
    expect(
      toValidationIssue('body', { message: 'm', path: ['a/b', { key: 0 }, Symbol('s~'), 2] })
    ).toEqual({
      pointer: '/body/a~1b/0/s~0/2',
      detail: 'm',
    })
    expect(toValidationIssue('query', { message: 'root' })).toEqual({
      pointer: '/query',
      detail: 'root',
    })
  })

  it('queryObject keeps __proto__ as data', () => {
    const q = queryObject(new URLSearchParams('__proto__=x&a=1&a=2'))
    expect(Object.keys(q)).toEqual(['__proto__', 'a'])
    expect(q['a']).toEqual(['1', '2'])
  })

  it('refuses bad options at once', () => {
    expect(() => validate({} as never)).toThrow(ImproperlyConfigured)
    expect(() => validate({ headers: z.object({}) } as never)).toThrow(/unknown part "headers"/)
    expect(() => validate({ body: { parse() {} } } as never)).toThrow(/Standard Schema v1/)
    expect(() => validate(null as never)).toThrow(ImproperlyConfigured)
    const m = validate({ body: z.object({}) })
    expect(m.name).toBe('validate')
  })
})

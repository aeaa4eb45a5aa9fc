import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from './app'
import { ImproperlyConfigured } from './codes'
import { json, text } from './response'
import {
  compileSerializer,
  ResponseShapeError,
  serializerFor,
  type JsonSchema,
  type JsonType,
} from './serializer'
import { setCodeGeneration } from './urls/_codegen'
import { include, path } from './urls/conf'

afterEach(() => setCodeGeneration(true))

/** Both compilers: generated code, and the interpreter used where code generation is disallowed. */
const MODES = [
  ['generated', true],
  ['interpreted', false],
] as const

function compile(schema: JsonSchema, generated: boolean) {
  setCodeGeneration(generated)
  try {
    return compileSerializer(schema)
  } finally {
    setCodeGeneration(true)
  }
}

const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const satisfies JsonSchema

/**
 * The reference: what the serializer must write is `JSON.stringify` of the value projected on the
 * schema (declared keys in schema order, then allowed extra keys in the object's own order).
 */
function project(schema: JsonSchema, value: unknown, key = ''): unknown {
  let v = value
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key)
  }
  const types = schema.type === undefined ? null : ([] as JsonType[]).concat(schema.type as JsonType)
  if (types === null) return v
  if (Array.isArray(v)) {
    const items = schema.items
    return items === undefined ? v : v.map((x, i) => project(items, x, String(i)))
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {}
    const props = schema.properties ?? {}
    for (const k of Object.keys(props)) {
      const x = (v as Record<string, unknown>)[k]
      if (x !== undefined) out[k] = project(props[k] as JsonSchema, x, k)
    }
    const extra = schema.additionalProperties
    if (extra !== undefined && extra !== false) {
      for (const k of Object.keys(v)) {
        if (k in props) continue
        const x = (v as Record<string, unknown>)[k]
        out[k] = extra === true || x === undefined ? x : project(extra, x, k)
      }
    }
    return out
  }
  return v
}

/** A small deterministic PRNG (mulberry32): the fuzz cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const STRINGS = [
  '',
  'Ada Lovelace',
  'quote " inside',
  'back\\slash',
  'line\nbreak',
  'tab\tand \u0001 control',
  'caf\u00e9 \u{1f600}',
  'lone \ud800 surrogate',
  'x'.repeat(41),
  `${'y'.repeat(45)}"`,
  '</script>',
]

/** A random schema of depth ≤ `depth`, and a generator of values that fit it. */
function randomSchema(r: () => number, depth: number): JsonSchema {
  const pick = r()
  if (depth === 0 || pick < 0.45) {
    const scalar: JsonType[] = ['string', 'integer', 'number', 'boolean', 'null']
    const t = scalar[Math.floor(r() * scalar.length)] as JsonType
    if (r() < 0.15) return { type: [t, 'null'] }
    if (r() < 0.05) return {}
    return { type: t }
  }
  if (pick < 0.6) return { type: 'array', ...(r() < 0.8 ? { items: randomSchema(r, depth - 1) } : {}) }
  const properties: Record<string, JsonSchema> = {}
  const n = Math.floor(r() * 4)
  const required: string[] = []
  for (let i = 0; i < n; i++) {
    const key = ['id', 'name', 'a"b', 'k/e~y', 'nested', 'x'][Math.floor(r() * 6)] as string
    properties[key] = randomSchema(r, depth - 1)
    if (r() < 0.5 && !required.includes(key)) required.push(key)
  }
  const extra = r()
  return {
    type: 'object',
    properties,
    required,
    ...(extra < 0.15 ? { additionalProperties: true } : extra < 0.25 ? { additionalProperties: { type: 'integer' } } : {}),
  }
}

function randomValue(r: () => number, s: JsonSchema): unknown {
  const types = s.type === undefined ? null : ([] as JsonType[]).concat(s.type as JsonType)
  if (types === null) return [1, 'two', null, { three: [3] }][Math.floor(r() * 4)]
  const t = types[Math.floor(r() * types.length)] as JsonType
  switch (t) {
    case 'string':
      return r() < 0.1 ? new Date(Math.floor(r() * 1e12)) : STRINGS[Math.floor(r() * STRINGS.length)]
    case 'integer':
      return [0, -0, 7, -42, 2 ** 53 - 1, 1e21][Math.floor(r() * 6)]
    case 'number':
      return [0.5, -1e-7, 3, 1.7976931348623157e308][Math.floor(r() * 4)]
    case 'boolean':
      return r() < 0.5
    case 'null':
      return null
    case 'array': {
      const n = Math.floor(r() * 4)
      const items = Array.from({ length: n }, () =>
        s.items === undefined ? STRINGS[1] : randomValue(r, s.items)
      )
      // Where items are "any", undefined and functions become null, as in JSON.
      if (s.items?.type === undefined && r() < 0.5) items.push(undefined, () => 1)
      return items
    }
    default: {
      const out: Record<string, unknown> = {}
      const props = s.properties ?? {}
      for (const k of Object.keys(props)) {
        const required = (s.required ?? []).includes(k)
        if (!required && r() < 0.3) continue
        out[k] = randomValue(r, props[k] as JsonSchema)
      }
      // Undeclared fields: dropped unless additionalProperties allows them.
      if (r() < 0.5) out['secret'] = s.additionalProperties === true ? 'leak?' : 5
      if (r() < 0.2) out['ignored'] = undefined
      return out
    }
  }
}

describe('compileSerializer output', () => {
  for (const [mode, generated] of MODES) {
    it(`writes only the declared properties, in schema order (${mode})`, () => {
      const write = compile(
        { type: 'object', properties: { name: { type: 'string' }, id: { type: 'integer' } } },
        generated
      )
      expect(write({ id: 1, password: 'hunter2', name: 'Ada' })).toBe('{"name":"Ada","id":1}')
      expect(write({ id: 1 })).toBe('{"id":1}')
      expect(write({})).toBe('{}')
    })

    it(`writes allowed extra properties after the declared ones (${mode})`, () => {
      const any = compile({ type: 'object', properties: { id: { type: 'integer' } }, additionalProperties: true }, generated)
      expect(any({ z: [1], id: 2, f: () => 1, u: undefined })).toBe('{"id":2,"z":[1]}')
      const typed = compile({ type: 'object', additionalProperties: { type: 'number' } }, generated)
      expect(typed({ a: 1.5, b: undefined, c: 2 })).toBe('{"a":1.5,"c":2}')
    })

    it(`matches JSON.stringify of the projected value on 3,000 random schemas and values (${mode})`, () => {
      const r = rng(generated ? 1 : 2)
      for (let i = 0; i < 3000; i++) {
        const schema = randomSchema(r, 3)
        const write = compile(schema, generated)
        const value = randomValue(r, schema)
        expect(write(value), JSON.stringify({ schema, value })).toBe(
          JSON.stringify(project(schema, value)) ?? 'null'
        )
      }
    })

    it(`escapes every string JSON.stringify escapes, short and long (${mode})`, () => {
      const write = compile({ type: 'object', properties: { s: { type: 'string' } }, required: ['s'] }, generated)
      const arr = compile({ type: 'array', items: { type: 'string' } }, generated)
      for (const s of [...STRINGS, '\u001f', '\u007f', '\udfff', '\ud83d\ude00', 'é'.repeat(50)]) {
        expect(write({ s })).toBe(JSON.stringify({ s }))
        expect(arr([s, s])).toBe(JSON.stringify([s, s]))
      }
    })

    it(`calls toJSON like JSON.stringify (Date as a string, objects with toJSON) (${mode})`, () => {
      const write = compile(
        {
          type: 'object',
          properties: {
            at: { type: 'string', format: 'date-time' },
            money: { type: 'object', properties: { cents: { type: 'integer' } } },
          },
        },
        generated
      )
      const at = new Date(Date.UTC(2026, 10, 26))
      const money = { toJSON: (key: string) => ({ cents: key.length, extra: 1 }) }
      expect(write({ at, money })).toBe('{"at":"2026-11-26T00:00:00.000Z","money":{"cents":5}}')
    })

    it(`accepts nullable and type lists, and "any" where type is left out (${mode})`, () => {
      const write = compile(
        {
          type: 'object',
          properties: {
            a: { type: ['string', 'null'] },
            b: { type: 'integer', nullable: true },
            c: {},
            d: { type: ['number', 'boolean'] },
          },
        },
        generated
      )
      expect(write({ a: null, b: null, c: { x: [1, null] }, d: false })).toBe(
        '{"a":null,"b":null,"c":{"x":[1,null]},"d":false}'
      )
      expect(write({ a: 'x', b: 3, c: () => 1, d: 2.5 })).toBe('{"a":"x","b":3,"d":2.5}')
      expect(compile({}, generated)(undefined)).toBe('null')
    })

    it(`writes -0 as 0 and large integers as JSON does (${mode})`, () => {
      const write = compile({ type: 'array', items: { type: 'integer' } }, generated)
      expect(write([-0, 1e21, 2 ** 53])).toBe(JSON.stringify([-0, 1e21, 2 ** 53]))
    })
  }
})

describe('compileSerializer errors: the value does not fit', () => {
  for (const [mode, generated] of MODES) {
    const shape = (fn: () => unknown): ResponseShapeError => {
      try {
        fn()
      } catch (error) {
        expect(error).toBeInstanceOf(ResponseShapeError)
        return error as ResponseShapeError
      }
      throw new Error('expected a ResponseShapeError')
    }

    it(`names the missing required property by JSON Pointer (${mode})`, () => {
      const write = compile({ type: 'object', properties: { data: user } }, generated)
      const e = shape(() => write({ data: { name: 'Ada' } }))
      expect(e.pointer).toBe('/data/id')
      expect(e.message).toBe(
        'Response data at "/data/id": expected integer, got nothing (the property is required).'
      )
    })

    it(`refuses wrong types rather than coercing them (${mode})`, () => {
      const write = compile(user, generated)
      expect(shape(() => write({ id: '1', name: 'Ada' })).got).toBe('string')
      expect(shape(() => write({ id: 1.5, name: 'Ada' })).got).toBe('number')
      expect(shape(() => write({ id: 1, name: 7 })).message).toBe(
        'Response data at "/name": expected string, got integer.'
      )
      expect(shape(() => write([1])).message).toBe('Response data at "/": expected object, got array.')
      expect(shape(() => write(null)).got).toBe('null')
      const num = compile({ type: 'number' }, generated)
      expect(shape(() => num(Number.NaN)).got).toBe('NaN')
      expect(shape(() => num(Number.POSITIVE_INFINITY)).got).toBe('Infinity')
      expect(shape(() => num(10n)).got).toBe('bigint')
      expect(shape(() => compile({ type: 'boolean' }, generated)('true')).expected).toBe('boolean')
      expect(shape(() => compile({ type: ['string', 'null'] }, generated)(undefined)).expected).toBe(
        'string or null'
      )
    })

    it(`points into arrays and extra properties with the real index and key (${mode})`, () => {
      const write = compile(
        {
          type: 'object',
          properties: {
            rows: { type: 'array', items: { type: 'array', items: user } },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
        generated
      )
      const ok = { id: 1, name: 'a' }
      expect(shape(() => write({ rows: [[ok], [ok, ok, { id: 'x', name: 'b' }]] })).pointer).toBe(
        '/rows/1/2/id'
      )
      expect(shape(() => write({ tags: { fine: 'x', 'a/b~c': 3 } })).pointer).toBe('/tags/a~1b~0c')
    })

    it(`lets errors thrown by toJSON through unchanged (${mode})`, () => {
      const boom = new Error('boom')
      const write = compile({ type: 'array', items: { type: 'string' } }, generated)
      expect(() => write([{ toJSON: () => { throw boom } }])).toThrow(boom)
    })
  }
})

describe('compileSerializer errors: the schema is wrong', () => {
  const bad = (schema: unknown, message: RegExp) => {
    expect(() => compileSerializer(schema as JsonSchema, 'path("me") response 200')).toThrow(message)
    try {
      compileSerializer(schema as JsonSchema)
    } catch (error) {
      expect(error).toBeInstanceOf(ImproperlyConfigured)
      expect((error as ImproperlyConfigured).code).toBe('ERR_BAD_OPTION')
    }
  }

  it('refuses shape-changing keywords it does not implement', () => {
    bad({ anyOf: [{ type: 'string' }] }, /path\("me"\) response 200 uses "anyOf"/)
    bad({ type: 'object', properties: { a: { $ref: '#/x' } } }, /at "\/a" uses "\$ref"/)
    bad({ type: 'array', items: { oneOf: [] } }, /at "\/\*" uses "oneOf"/)
  })

  it('refuses unknown types, empty type lists and non-object schemas', () => {
    bad({ type: 'date' }, /unknown type "date"/)
    bad({ type: [] }, /empty list/)
    bad('string', /must be an object/)
    bad({ type: 'object', properties: { a: null } }, /at "\/a" must be an object/)
    bad({ type: 'object', properties: [] }, /"properties" .* must be an object/)
  })

  it('refuses required names that are not declared', () => {
    bad({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id', 'nme'] }, /requires "nme"/)
    bad({ type: 'object', required: 'id' }, /"required" .* must be an array/)
  })

  it('ignores validation and annotation keywords', () => {
    const write = compileSerializer({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'string',
      minLength: 3,
      format: 'email',
      description: 'who',
    })
    expect(write('a')).toBe('"a"')
  })
})

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

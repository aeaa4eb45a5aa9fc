import { afterEach, describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from './codes'
import { compileSerializer, ResponseShapeError, type JsonSchema } from './serializer'
import { setCodeGeneration } from './urls/_codegen'

// What compileSerializer writes and what it refuses, on both paths. Parity with JSON.stringify on
// random schemas: serializer-parity.test.ts; schemas on routes: serializer-routes.test.ts.

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

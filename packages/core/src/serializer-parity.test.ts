import { afterEach, describe, expect, it } from 'vitest'
import { compileSerializer, type JsonSchema, type JsonType } from './serializer'
import { setCodeGeneration } from './urls/_codegen'

// The generated code and the interpreter against the reference, JSON.stringify of the value
// projected on the schema: random schemas and values, and every string JSON escapes.

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

describe('compileSerializer matches JSON.stringify', () => {
  for (const [mode, generated] of MODES) {
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
  }
})

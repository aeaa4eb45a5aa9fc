import { describe, expect, it } from 'vitest'
import { MAX_DEPTH, SerializationError, escapePointer, serialize, toPlain } from './serialize'

describe('toPlain', () => {
  it('writes BigInt as exact decimal strings, even past 2^64', () => {
    expect(toPlain({ small: 1n, huge: 2n ** 100n, neg: -5n })).toEqual({
      small: '1',
      huge: '1267650600228229401496703205376',
      neg: '-5',
    })
  })

  it('writes Dates through toJSON as ISO strings, and invalid dates as null', () => {
    expect(toPlain({ at: new Date(0), bad: new Date(Number.NaN) })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      bad: null,
    })
  })

  it('writes Map as an object with stringified keys and Set as an array', () => {
    const map = new Map<unknown, unknown>([
      ['a', 1],
      [2, new Set(['x', 'y'])],
    ])
    expect(toPlain(map)).toEqual({ a: 1, '2': ['x', 'y'] })
  })

  it('writes typed arrays, DataView and ArrayBuffer as number arrays', () => {
    const bytes = new Uint8Array([1, 2, 255])
    expect(toPlain({ bytes, floats: new Float64Array([1.5, Number.NaN]) })).toEqual({
      bytes: [1, 2, 255],
      floats: [1.5, null],
    })
    expect(toPlain(new BigInt64Array([2n ** 62n]))).toEqual(['4611686018427387904'])
    expect(toPlain(new DataView(bytes.buffer, 1, 2))).toEqual([2, 255])
    expect(toPlain(bytes.buffer)).toEqual([1, 2, 255])
  })

  it('respects toJSON and passes it the key, like JSON.stringify', () => {
    const keys: string[] = []
    const money = {
      toJSON(key: string) {
        keys.push(key)
        return { amount: '12.50', currency: 'EUR' }
      },
    }
    expect(toPlain({ price: money, list: [money] })).toEqual({
      price: { amount: '12.50', currency: 'EUR' },
      list: [{ amount: '12.50', currency: 'EUR' }],
    })
    expect(keys).toEqual(['price', '0'])
  })

  it('drops undefined, functions and symbols like JSON.stringify (null inside arrays)', () => {
    expect(toPlain({ a: undefined, f() {}, s: Symbol('s'), list: [undefined, () => 1] })).toEqual({
      list: [null, null],
    })
    expect(toPlain(undefined)).toBeNull()
  })

  it('writes non-finite and huge numbers the JSON way', () => {
    expect(
      toPlain([Number.MAX_VALUE, Number.POSITIVE_INFINITY, -Infinity, Number.NaN, 1e400, -0])
    ).toEqual([Number.MAX_VALUE, null, null, null, null, -0])
    expect(serialize([Number.MAX_VALUE, 1e400, -0])).toBe('[1.7976931348623157e+308,null,0]')
  })

  it('unboxes boxed primitives', () => {
    expect(toPlain([Object(1), Object('s'), Object(true), Object(3n)])).toEqual([1, 's', true, '3'])
  })

  it('keeps a shared (non-circular) reference twice', () => {
    const shared = { id: 1 }
    expect(toPlain({ a: shared, b: [shared] })).toEqual({ a: { id: 1 }, b: [{ id: 1 }] })
  })

  it('keeps a "__proto__" key as data without touching the prototype', () => {
    const input = JSON.parse('{"__proto__":{"admin":true},"x":1}') as object
    const out = toPlain(input) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['__proto__', 'x'])
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined()
    expect(serialize(input)).toBe('{"__proto__":{"admin":true},"x":1}')
  })

  it('reports a cycle with a pointer to where it closes', () => {
    const a: Record<string, unknown> = { name: 'a', items: [] }
    ;(a['items'] as unknown[]).push({ 'x/y': { back: a } })
    const err = (() => {
      try {
        toPlain({ root: a })
      } catch (e) {
        return e
      }
    })() as SerializationError
    expect(err).toBeInstanceOf(SerializationError)
    expect(err.pointer).toBe('/root/items/0/x~1y/back')
    expect(err.message).toContain('circular reference')
  })

  it('reports a cycle through a Map', () => {
    const m = new Map<string, unknown>()
    m.set('self', m)
    expect(() => toPlain(m)).toThrow(/circular reference/)
  })

  it('reports a throwing getter at its key, with the cause kept', () => {
    const obj = {
      ok: 1,
      get secret(): string {
        throw new Error('nope')
      },
    }
    try {
      toPlain({ user: obj })
      expect.unreachable()
    } catch (e) {
      const err = e as SerializationError
      expect(err).toBeInstanceOf(SerializationError)
      expect(err.pointer).toBe('/user/secret')
      expect((err.cause as Error).message).toBe('nope')
    }
  })

  it('reports a throwing toJSON', () => {
    const bad = {
      toJSON() {
        throw new TypeError('broken toJSON')
      },
    }
    expect(() => toPlain([1, bad])).toThrow(/\/1: TypeError: broken toJSON/)
  })

  it('gives up past MAX_DEPTH instead of exhausting the stack', () => {
    let deep: unknown = 'leaf'
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = [deep]
    expect(() => toPlain(deep)).toThrow(/nested deeper than 1000 levels/)
    let ok: unknown = 'leaf'
    for (let i = 0; i < MAX_DEPTH - 1; i++) ok = [ok]
    expect(() => toPlain(ok)).not.toThrow()
  })

  it('serialize() pretty-prints with the indent given', () => {
    expect(serialize({ a: [1] }, 2)).toBe('{\n  "a": [\n    1\n  ]\n}')
    expect(serialize({ a: [1] })).toBe('{"a":[1]}')
  })
})

describe('escapePointer', () => {
  it('escapes ~ before / (RFC 6901 §3)', () => {
    expect(escapePointer('a/b~c')).toBe('a~1b~0c')
    expect(escapePointer('~1')).toBe('~01')
  })
})

import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import { json } from './response'
import { path } from './urls/conf'
import { parseJson } from './json'

const hasOwn = (o: unknown, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Every spelling a client can give the two keys: plain, escaped in part, escaped whole. */
const PROTO = [
  '"__proto__"',
  '"\\u005f\\u005fproto__"',
  '"\\u005F_proto\\u005f\\u005F"',
  '"__\\u0070\\u0072\\u006f\\u0074\\u006F__"',
]
const CTOR = ['"constructor"', '"\\u0063onstructor"', '"constr\\u0075ctor"', '"\\u0063\\u006F\\u006e\\u0073\\u0074\\u0072\\u0075\\u0063\\u0074\\u006f\\u0072"']

describe('parseJson: prototype poisoning', () => {
  it('refuses __proto__ in every spelling, at any depth, with a 400 naming where', () => {
    for (const key of PROTO) {
      for (const [doc, where] of [
        [`{${key}:{"admin":true}}`, 'at the top level'],
        [`{"a":{"b":[1,{${key}:1}]}}`, 'at "/a/b/1"'],
        [`[{${key} :{}}]`, 'at "/0"'],
      ] as const) {
        expect(() => parseJson(doc), doc).toThrow(expect.objectContaining({ status: 400 }))
        expect(() => parseJson(doc)).toThrow(`"__proto__" key ${where}`)
      }
    }
  })

  it('refuses constructor.prototype in every spelling', () => {
    for (const key of CTOR) {
      const doc = `{"x":{${key}:{"prototype":{"polluted":true}}}}`
      expect(() => parseJson(doc), doc).toThrow('"constructor.prototype" key at "/x"')
      // The `prototype` key may be escaped too: it is found on the parsed value.
      expect(() => parseJson(`{${key}:{"\\u0070rototype":1}}`)).toThrow(/constructor.prototype/)
    }
  })

  it('keeps look-alikes as plain data', () => {
    const docs = [
      '{"constructor":"x"}',
      '{"constructor":{"name":"x"}}',
      '{"constructor":null}',
      '{"proto":1,"__proto":2,"_proto_":3,"__proto__x":4,"constructors":{"prototype":1}}',
      '{"a":"\\"__proto__\\": {}"}',
      '{"text":"__proto__","k":"constructor"}',
      '{"prototype":{"constructor":1}}',
      '{"caf\\u00e9":1}',
    ]
    for (const doc of docs) expect(parseJson(doc), doc).toEqual(JSON.parse(doc))
    expect(parseJson('{"constructor":"x"}')).toHaveProperty('constructor', 'x')
  })

  it('a key that merely contains an escaped quote before __proto__ is walked, not refused', () => {
    // The text matches the expression (`\"__proto__":`), the parsed value has no such key.
    const doc = '{"x\\"__proto__":1}'
    expect(parseJson(doc)).toEqual({ 'x"__proto__': 1 })
  })

  it("protoAction: 'remove' deletes the keys and keeps the rest", () => {
    const doc = `{${PROTO[1]}:{"admin":true},"a":{${CTOR[0]}:{"prototype":{}},"k":1},"b":[{${PROTO[0]}:1,"c":2}],"constructor":"ok"}`
    const v = parseJson(doc, { protoAction: 'remove' }) as Record<string, unknown>
    expect(hasOwn(v, '__proto__')).toBe(false)
    expect(v).toEqual({ a: { k: 1 }, b: [{ c: 2 }], constructor: 'ok' })
    expect(({} as { admin?: boolean }).admin).toBeUndefined()
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
  })

  it('walks nesting deeper than the call stack without overflowing', () => {
    const depth = 100_000
    const doc = '['.repeat(depth) + '{"__proto__":1}' + ']'.repeat(depth)
    expect(() => parseJson(doc)).toThrow(expect.objectContaining({ status: 400 }))
    const clean = '['.repeat(depth) + '{"constructor":"x","\\u0061":1}' + ']'.repeat(depth)
    expect(() => parseJson(clean)).not.toThrow()
  })

  it('empty and malformed text are 400s; scalars parse', () => {
    expect(() => parseJson('')).toThrow(expect.objectContaining({ status: 400 }))
    expect(() => parseJson('{"a":')).toThrow(/not valid JSON/)
    expect(parseJson('"__proto__"')).toBe('__proto__')
    expect(parseJson('12')).toBe(12)
  })
})

describe('createApp({ json })', () => {
  const body = '{"\\u005f\\u005fproto__":{"admin":true},"title":"hi"}'
  const send = (app: ReturnType<typeof createApp>) =>
    app.fetch(
      new Request('http://localhost/n', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      })
    )
  const urls = [path('n', { POST: async (r) => json({ got: await r.json() }) })]

  it('refuses by default with a 400 problem', async () => {
    const res = await send(createApp({ urls }))
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/__proto__/) })
  })

  it("removes with protoAction: 'remove'", async () => {
    const res = await send(createApp({ urls, json: { protoAction: 'remove' } }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ got: { title: 'hi' } })
  })

  it('refuses a bad protoAction at createApp()', () => {
    expect(() => createApp({ urls, json: { protoAction: 'ignore' as 'error' } })).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_OPTION' })
    )
  })
})

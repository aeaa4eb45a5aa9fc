import { createApp, defineUrls, path, type StateOf } from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import { describe, expect, it } from 'vitest'
import {
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  parseTracestate,
  traceContext,
  traceHeaders,
  type TraceContextOptions,
} from './trace-context'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'
const VALID = `00-${TRACE}-${PARENT}-01`

function client(options?: TraceContextOptions) {
  const middleware = [traceContext(options)] as const
  const typed = defineUrls<StateOf<typeof middleware>>()
  const app = createApp({
    middleware,
    urls: [typed.path('', (req) => ({ context: req.state.traceContext, out: traceHeaders(req) }))],
  })
  return createTestClient(app)
}

interface Body {
  context: {
    traceId: string
    spanId: string
    parentId?: string
    sampled: boolean
    tracestate?: string
  }
  out: { traceparent: string; tracestate?: string }
}

describe('parseTraceparent()', () => {
  it('accepts a valid version 00 value', () => {
    expect(parseTraceparent(VALID)).toEqual({
      traceId: TRACE,
      parentId: PARENT,
      flags: '01',
      sampled: true,
    })
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`)?.sampled).toBe(false)
  })

  it.each([
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['bad hex in trace id', `00-${TRACE.slice(0, 31)}g-${PARENT}-01`],
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['long parent id', `00-${TRACE}-${PARENT}0-01`],
    ['one-digit flags', `00-${TRACE}-${PARENT}-1`],
    ['version 00 with extra fields', `${VALID}-extra`],
    ['trailing space', `${VALID} `],
    ['wrong separators', `00_${TRACE}_${PARENT}_01`],
    ['empty', ''],
  ])('refuses %s', (_, value) => {
    expect(parseTraceparent(value)).toBeNull()
  })

  it('accepts a later version with extra fields (forward compatibility, §4.3)', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-whatever`)).toMatchObject({ traceId: TRACE })
  })
})

describe('parseTracestate()', () => {
  it('keeps valid lists, trims members, allows empty members', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE')).toBe(
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
    )
    expect(parseTracestate('tenant@vendor=x,,a=b')).toBe('tenant@vendor=x,a=b')
  })
  it.each([
    ['uppercase key', 'Rojo=1'],
    ['no value separator', 'rojo'],
    ['= in value', 'rojo=a=b'],
    ['duplicate key', 'a=1,a=2'],
    ['control character', 'a=b\u0001'],
    ['too many members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
    ['empty', ' , '],
  ])('drops %s', (_, value) => {
    expect(parseTracestate(value)).toBeUndefined()
  })
})

describe('traceContext()', () => {
  it('continues a valid trace with a new span and passes tracestate on', async () => {
    const res = await client().get('/', {
      headers: { traceparent: VALID, tracestate: 'rojo=1,congo=2' },
    })
    const body = res.json as Body
    expect(body.context).toMatchObject({
      traceId: TRACE,
      parentId: PARENT,
      sampled: true,
      tracestate: 'rojo=1,congo=2',
    })
    expect(body.context.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(body.context.spanId).not.toBe(PARENT)
    expect(body.out).toEqual({
      traceparent: `00-${TRACE}-${body.context.spanId}-01`,
      tracestate: 'rojo=1,congo=2',
    })
    // Not on the response unless asked.
    expect(res.headers.get('traceparent')).toBeNull()
  })

  it('keeps an unsampled decision and drops unknown flags', async () => {
    const body = (await client().get('/', { headers: { traceparent: `00-${TRACE}-${PARENT}-fe` } }))
      .json as Body
    expect(body.context.sampled).toBe(false)
    expect(body.out.traceparent.endsWith('-00')).toBe(true)
  })

  it.each([
    `ff-${TRACE}-${PARENT}-01`,
    `00-${'0'.repeat(32)}-${PARENT}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `00-${TRACE.slice(2)}zz-${PARENT}-01`,
    `00-${TRACE}-${PARENT}`,
  ])('starts a new trace for %s, and ignores tracestate with it', async (bad) => {
    const body = (await client().get('/', { headers: { traceparent: bad, tracestate: 'rojo=1' } }))
      .json as Body
    expect(body.context.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(body.context.traceId).not.toBe(TRACE)
    expect(body.context.traceId).not.toBe('0'.repeat(32))
    expect(body.context.parentId).toBeUndefined()
    expect(body.context.tracestate).toBeUndefined()
    expect(body.context.sampled).toBe(true)
    expect(body.out).toEqual({
      traceparent: `00-${body.context.traceId}-${body.context.spanId}-01`,
    })
  })

  it('drops an invalid tracestate but keeps the valid parent', async () => {
    const body = (
      await client().get('/', { headers: { traceparent: VALID, tracestate: 'BAD KEY=1' } })
    ).json as Body
    expect(body.context).toMatchObject({ traceId: TRACE, parentId: PARENT })
    expect(body.context.tracestate).toBeUndefined()
  })

  it('responseHeader writes traceparent and tracestate; trustIncoming: false restarts', async () => {
    const res = await client({ responseHeader: true, trustIncoming: false }).get('/', {
      headers: { traceparent: VALID, tracestate: 'a=1' },
    })
    const body = res.json as Body
    expect(body.context.traceId).not.toBe(TRACE)
    expect(res.headers.get('traceparent')).toBe(body.out.traceparent)
    expect(res.headers.get('tracestate')).toBeNull()
    const res2 = await client({ responseHeader: true }).get('/', {
      headers: { traceparent: VALID, tracestate: 'a=1' },
    })
    expect(res2.headers.get('traceparent')).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`))
    expect(res2.headers.get('tracestate')).toBe('a=1')
  })

  it('sampleRate 0 starts unsampled traces; continued ones keep the caller’s decision', async () => {
    const c = client({ sampleRate: 0 })
    expect(((await c.get('/')).json as Body).context.sampled).toBe(false)
    expect(
      ((await c.get('/', { headers: { traceparent: VALID } })).json as Body).context.sampled
    ).toBe(true)
  })

  it('refuses bad options', () => {
    expect(() => traceContext({ sampleRate: 2 })).toThrow(/sampleRate/)
    expect(() => traceContext({ sampled: true } as never)).toThrow(/unknown option "sampled"/)
  })

  it('makes distinct, well-formed ids', () => {
    const spans = new Set(Array.from({ length: 1000 }, newSpanId))
    expect(spans.size).toBe(1000)
    for (const s of spans) expect(s).toMatch(/^[0-9a-f]{16}$/)
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/)
    expect(
      formatTraceparent({
        traceId: TRACE,
        spanId: PARENT,
        parentId: undefined,
        sampled: true,
        flags: '01',
        tracestate: undefined,
      })
    ).toBe(VALID)
  })

  it('traceHeaders() is empty without the middleware', async () => {
    const app = createApp({ urls: [path('', (req) => traceHeaders(req))] })
    expect((await createTestClient(app).get('/')).json).toEqual({})
  })
})

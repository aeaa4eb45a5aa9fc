import { createApp, defineMiddleware, defineUrls, path, text, type StateOf } from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { AccessLogRecord } from './access-log'
import { observe } from './observe'
import { traceHeaders } from './trace-context'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'

describe('observe()', () => {
  it('does all four in one middleware', async () => {
    const records: AccessLogRecord[] = []
    const obs = observe({
      accessLog: { sink: (r) => records.push(r) },
      traceContext: { responseHeader: true },
    })
    const middleware = [obs] as const
    expectTypeOf<StateOf<typeof middleware>>().toMatchTypeOf<{ requestId: string }>()
    const typed = defineUrls<StateOf<typeof middleware>>()
    const app = createApp({
      middleware,
      urls: [
        typed.path('', (req) => ({
          id: req.state.requestId,
          trace: req.state.traceContext.traceId,
          out: traceHeaders(req),
        })),
        path('boom/', () => {
          throw new Error('boom')
        }),
      ],
    })
    obs.attach(app)
    expect(app.describe()).toContain('observe')
    const client = createTestClient(app)
    const res = await client.get('/', {
      headers: { 'x-request-id': 'r-1', traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
    })
    expect(res.json).toMatchObject({ id: 'r-1', trace: TRACE })
    expect(res.headers.get('x-request-id')).toBe('r-1')
    expect(res.headers.get('traceparent')).toBe(
      (res.json as { out: { traceparent: string } }).out.traceparent
    )
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=[\d.]+$/)
    expect(records[0]).toMatchObject({ requestId: 'r-1', traceId: TRACE, status: 200 })
    await client.get('/boom/')
    expect(records[1]).toMatchObject({ status: 500, error: { message: 'boom' } })
  })

  it('what it adds is typed for the middlewares after it, and checked in the list', () => {
    const records: string[] = []
    const audit = defineMiddleware<object, { requestId: string }>({
      name: 'audit',
      request(req) {
        records.push(req.state.requestId)
      },
    })
    const urls = [path('', () => text('ok'))]
    expect(createApp({ middleware: [observe({ accessLog: false }), audit], urls })).toBeDefined()
    // @ts-expect-error audit needs request.state.requestId, which nothing before it adds
    expect(createApp({ middleware: [audit, observe({ accessLog: false })], urls })).toBeDefined()
  })

  it('parts can be left out', async () => {
    const obs = observe({ serverTiming: false, accessLog: false })
    const app = createApp({ middleware: [obs], urls: [path('', () => text('ok'))] })
    const unsubscribe = obs.attach(app)
    unsubscribe()
    const res = await createTestClient(app).get('/')
    expect(res.headers.get('server-timing')).toBeNull()
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('refuses unknown and bad options', () => {
    expect(() => observe({ logger: {} } as never)).toThrow(/unknown option "logger"/)
    expect(() => observe({ traceContext: { sampleRate: -1 } })).toThrow(/sampleRate/)
    expect(() => observe({ accessLog: { sink: 'x' as never } })).toThrow(/sink/)
  })
})

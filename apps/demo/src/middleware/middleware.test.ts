import { createApp, NotFound, path } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { accessLog, formatAccessLog, type AccessLogEntry } from './access-log'
import { requestId } from './request-id'

function appWith(log: AccessLogEntry[], options: Parameters<typeof accessLog>[0] = {}) {
  return createApp({
    middleware: [requestId(), accessLog({ log: (e) => log.push(e), ...options })],
    urls: [
      path('ok', () => ({ ok: true })),
      path('missing', () => {
        throw new NotFound('nope')
      }),
      path('boom', () => {
        throw new TypeError('kaput')
      }),
    ],
  })
}

describe('requestId()', () => {
  it('makes an id, puts it in the header and on request.state, and keeps a safe incoming one', async () => {
    const seen: string[] = []
    const app = createApp({
      middleware: [requestId()],
      urls: [path('x', (req) => (seen.push((req.state as { requestId: string }).requestId), 'ok'))],
    })
    const fresh = await app.fetch(new Request('http://localhost/x'))
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[0]).toBe(fresh.headers.get('x-request-id'))
    const kept = await app.fetch(
      new Request('http://localhost/x', { headers: { 'x-request-id': 'abc.123:Z-_' } })
    )
    expect(kept.headers.get('x-request-id')).toBe('abc.123:Z-_')
    for (const unsafe of ['has space', 'x'.repeat(129), '"quoted"', '']) {
      const res = await app.fetch(
        new Request('http://localhost/x', { headers: { 'x-request-id': unsafe } })
      )
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('honours header, trustIncoming and generate options', async () => {
    const app = createApp({
      middleware: [requestId({ header: 'X-Trace', trustIncoming: false, generate: () => 'fixed' })],
      urls: [path('x', () => 'ok')],
    })
    const res = await app.fetch(
      new Request('http://localhost/nowhere', { headers: { 'x-trace': 'mine' } })
    )
    expect(res.status).toBe(404)
    expect(res.headers.get('x-trace')).toBe('fixed')
  })

  it('refuses bad options at once', () => {
    expect(() => requestId({ header: 'bad header' })).toThrow(/not a header name/)
    expect(() => requestId({ generate: 'uuid' as never })).toThrow(/generate must be a function/)
  })
})

describe('accessLog()', () => {
  it('logs the final status, the duration and the request id', async () => {
    const log: AccessLogEntry[] = []
    const res = await appWith(log).fetch(new Request('http://localhost/ok?x=1'))
    expect(log).toEqual([
      {
        method: 'GET',
        target: '/ok?x=1',
        status: 200,
        durationMs: expect.any(Number),
        requestId: res.headers.get('x-request-id'),
        error: undefined,
      },
    ])
    expect(formatAccessLog(log[0] as AccessLogEntry)).toMatch(
      /^GET \/ok\?x=1 → 200 \d+\.\d ms id=[0-9a-f-]{36}$/
    )
  })

  it('notes what was thrown without handling it', async () => {
    const log: AccessLogEntry[] = []
    const app = appWith(log)
    expect((await app.fetch(new Request('http://localhost/missing'))).status).toBe(404)
    expect((await app.fetch(new Request('http://localhost/boom'))).status).toBe(500)
    expect(log.map((e) => [e.status, e.error])).toEqual([
      [404, '404 nope'],
      [500, 'TypeError: kaput'],
    ])
    expect(formatAccessLog(log[1] as AccessLogEntry)).toContain('(TypeError: kaput)')
  })

  it('skips what it is told to skip, and refuses bad options', async () => {
    const log: AccessLogEntry[] = []
    await appWith(log, { skip: (_m, p) => p === '/ok' }).fetch(new Request('http://localhost/ok'))
    expect(log).toEqual([])
    expect(() => accessLog({ log: 'console' as never })).toThrow(/must be functions/)
    expect(() => accessLog({ skip: true as never })).toThrow(/must be functions/)
  })
})

import { createApp, NotFound, path, stream, text, type CycleResponse } from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import pino from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  accessLog,
  bodyBytes,
  describeError,
  jsonLinesSink,
  type AccessLogRecord,
} from './access-log'
import { requestId } from './request-id'
import { traceContext } from './trace-context'

function setup(options: Parameters<typeof accessLog>[0] = {}, attach = true) {
  const records: AccessLogRecord[] = []
  const log = accessLog({ sink: (r) => records.push(r), ...options })
  const app = createApp({
    middleware: [log, requestId(), traceContext()],
    urls: [
      path('notes/<int:id>/', (req) => ({ id: req.params.id }), { name: 'note' }),
      path('text/', () => text('héllo ✓')),
      path('missing/', () => {
        throw new NotFound('no such note')
      }),
      path('boom/', () => {
        throw new TypeError('kaboom')
      }),
      path('health/', () => text('ok')),
    ],
  })
  if (attach) log.attach(app)
  return { records, client: createTestClient(app, { remoteAddress: '203.0.113.7' }) }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('accessLog()', () => {
  it('writes one record per request with every known field', async () => {
    const { records, client } = setup()
    const res = await client.get('/notes/7/?token=secret', {
      headers: { 'user-agent': 'curl/8', 'x-request-id': 'req-1' },
    })
    expect(records).toHaveLength(1)
    const r = records[0] as AccessLogRecord
    expect(r).toMatchObject({
      method: 'GET',
      path: '/notes/7/',
      route: 'note',
      status: 200,
      requestId: 'req-1',
      bytes: Number(res.raw.headers.get('content-length') ?? res.body.byteLength),
      remoteAddress: '203.0.113.7',
      userAgent: 'curl/8',
    })
    expect(r.bytes).toBe(res.body.byteLength)
    expect(r.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(r.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(typeof r.durationMs).toBe('number')
    expect(r.durationMs).toBeGreaterThanOrEqual(0)
    expect(new Date(r.time).toISOString()).toBe(r.time)
    expect(Math.abs(Date.parse(r.time) - Date.now())).toBeLessThan(5000)
    // The query string never reaches the log; absent facts are absent, not null.
    expect(JSON.stringify(r)).not.toContain('secret')
    expect('error' in r).toBe(false)
  })

  it('counts UTF-8 bytes of a string body', async () => {
    const { records, client } = setup()
    const res = await client.get('/text/')
    expect(records[0]?.bytes).toBe(res.body.byteLength)
    expect(res.body.byteLength).toBe(new TextEncoder().encode('héllo ✓').byteLength)
  })

  it('what core answers before any middleware (a refused Host) is not logged (documented limit)', async () => {
    const records: AccessLogRecord[] = []
    const log = accessLog({ sink: (r) => records.push(r) })
    const app = createApp({
      allowedHosts: ['example.com'],
      middleware: [log],
      urls: [path('', () => text('ok'))],
    })
    expect((await createTestClient(app).get('http://evil.test/')).status).toBe(400)
    expect(records).toEqual([])
    expect((await createTestClient(app).get('http://example.com/')).status).toBe(200)
    expect(records).toHaveLength(1)
  })

  it('bytes is 0 for HEAD: no body is sent', async () => {
    const { records, client } = setup()
    await client.request('HEAD', '/text/')
    expect(records[0]).toMatchObject({ method: 'HEAD', status: 200, bytes: 0 })
  })

  it('records the first reported error once, HttpError status included', async () => {
    const { records, client } = setup()
    await client.get('/boom/')
    await client.get('/missing/')
    expect(records.map((r) => r.status)).toEqual([500, 404])
    expect(records[0]?.error).toMatchObject({ name: 'TypeError', message: 'kaboom' })
    expect(records[0]?.error?.stack).toContain('kaboom')
    expect(records[1]?.error).toMatchObject({
      name: 'NotFound',
      message: 'no such note',
      status: 404,
    })
  })

  it('without attach(app), the record still has the status but no error', async () => {
    const { records, client } = setup({}, false)
    await client.get('/boom/')
    expect(records[0]?.status).toBe(500)
    expect(records[0]?.error).toBeUndefined()
  })

  it('stack: false leaves stacks out', async () => {
    const { records, client } = setup({ stack: false })
    await client.get('/boom/')
    expect(records[0]?.error).toEqual({ name: 'TypeError', message: 'kaboom' })
  })

  it('skip() leaves requests out; a throwing sink never fails the request', async () => {
    const { records, client } = setup({ skip: (req) => req.target === '/health/' })
    await client.get('/health/')
    expect(records).toHaveLength(0)
    const bad = accessLog({
      sink: () => {
        throw new Error('disk full')
      },
    })
    const app = createApp({ middleware: [bad], urls: [path('', () => text('ok'))] })
    expect((await createTestClient(app).get('/')).status).toBe(200)
  })

  it('a pino logger is a sink: one JSON line per request with pino’s own fields', async () => {
    const lines: string[] = []
    const logger = pino({ base: null }, { write: (s: string) => void lines.push(s) })
    const log = accessLog({ sink: (r) => logger.info(r, 'request') })
    const app = createApp({ middleware: [log, requestId()], urls: [path('', () => text('ok'))] })
    log.attach(app)
    await createTestClient(app).get('/', { headers: { 'x-request-id': 'pino-1' } })
    expect(lines).toHaveLength(1)
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      path: '/',
      status: 200,
      requestId: 'pino-1',
    })
    expect(typeof line.durationMs).toBe('number')
  })

  it('the default sink writes a JSON line to process.stdout', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const app = createApp({ middleware: [accessLog()], urls: [path('', () => text('ok'))] })
    await createTestClient(app).get('/')
    const calls = write.mock.calls.map((c) => String(c[0]))
    const line = calls.find((c) => c.includes('"method":"GET"')) as string
    expect(line.endsWith('\n')).toBe(true)
    expect(JSON.parse(line)).toMatchObject({ method: 'GET', path: '/', status: 200 })
  })

  it('jsonLinesSink falls back to console.log without process.stdout', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const stdout = Object.getOwnPropertyDescriptor(process, 'stdout') as PropertyDescriptor
    Object.defineProperty(process, 'stdout', { value: undefined, configurable: true })
    try {
      jsonLinesSink({ time: 't', method: 'GET', path: '/', status: 200, durationMs: 1 })
    } finally {
      Object.defineProperty(process, 'stdout', stdout)
    }
    expect(log).toHaveBeenCalledWith(
      '{"time":"t","method":"GET","path":"/","status":200,"durationMs":1}'
    )
  })

  it('an error reported after the record was written becomes a second, late record', async () => {
    const records: AccessLogRecord[] = []
    const log = accessLog({ sink: (r) => records.push(r) })
    const app = createApp({ middleware: [log, requestId()], urls: [path('', () => text('ok'))] })
    log.attach(app)
    const res = await createTestClient(app).get('/')
    expect(records).toHaveLength(1)
    // What a gateway does when the body write fails after the cycle.
    app.reportException(res.request, new Error('socket hang up'))
    expect(records).toHaveLength(2)
    expect(records[1]).toMatchObject({
      late: true,
      path: '/',
      requestId: records[0]?.requestId,
      error: { message: 'socket hang up' },
    })
  })

  it('bodyBytes() and describeError()', () => {
    const r = (body: unknown, headers: Record<string, string> = {}) =>
      ({ body, headers: new Headers(headers) } as unknown as CycleResponse)
    expect(bodyBytes(r(null))).toBe(0)
    expect(bodyBytes(r(new Uint8Array(5)))).toBe(5)
    expect(bodyBytes(r('x', { 'content-length': '12' }))).toBe(12)
    expect(bodyBytes(r('😀'))).toBe(4)
    expect(bodyBytes(stream(new ReadableStream()))).toBeUndefined()
    expect(describeError('plain')).toEqual({ name: 'string', message: 'plain' })
  })

  it('refuses bad options', () => {
    expect(() => accessLog({ sink: 1 as never })).toThrow(/sink/)
    expect(() => accessLog({ skip: 1 as never })).toThrow(/skip/)
    expect(() => accessLog({ level: 'info' } as never)).toThrow(/unknown option "level"/)
  })
})

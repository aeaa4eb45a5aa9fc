/**
 * Every bullet behind a real socket (`@cycle/gateway-node` on 127.0.0.1:0): request ids kept and
 * refused, traceparent continued and restarted, tracestate passed or dropped, Server-Timing on
 * the wire, one access-log record per request with the remote address and the error, and header
 * values with CR/LF sent as raw bytes (they never come back).
 */
import { createApp, defineUrls, path, text, type StateOf } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessLogRecord } from './access-log'
import { observe } from './observe'
import { traceHeaders } from './trace-context'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'

const lines: string[] = []
const logger = pino({ base: null }, { write: (s: string) => void lines.push(s) })
const records = (): AccessLogRecord[] => lines.map((l) => JSON.parse(l) as AccessLogRecord)

const obs = observe({
  accessLog: { sink: (r) => logger.info(r) },
  traceContext: { responseHeader: true },
})
const middleware = [obs] as const
const typed = defineUrls<StateOf<typeof middleware>>()
const app = createApp({
  trace: true,
  middleware,
  urls: [
    typed.path('echo/', (req) => ({
      id: req.state.requestId,
      trace: req.state.traceContext,
      out: traceHeaders(req),
    })),
    path('boom/', () => {
      throw new Error('boom over the wire')
    }),
    path('text/', () => text('hello')),
  ],
})
obs.attach(app)

let port = 0
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  port = Number(new URL(server.url).port)
  close = () => server.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
})

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

function get(url: string, headers: Record<string, string | string[]> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: url, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Sends raw bytes (headers node's client would refuse to send) and returns the raw answer. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes))
    let out = ''
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => (out += c))
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
}

describe('through @cycle/gateway-node', () => {
  it('generates a request id, and keeps a valid incoming one', async () => {
    const fresh = await get('/echo/')
    expect(fresh.headers['x-request-id']).toMatch(UUID)
    expect(JSON.parse(fresh.body)).toMatchObject({ id: fresh.headers['x-request-id'] })
    const kept = await get('/echo/', { 'x-request-id': 'upstream-42' })
    expect(kept.headers['x-request-id']).toBe('upstream-42')
  })

  it.each([
    ['too long', 'a'.repeat(201)],
    ['a space', 'two words'],
    ['a quote', 'a"b'],
    ['a semicolon', 'a;b=c'],
  ])('replaces an incoming id with %s', async (_, id) => {
    const res = await get('/echo/', { 'x-request-id': id })
    expect(res.headers['x-request-id']).toMatch(UUID)
  })

  it('CR/LF in an incoming id: refused with 400 before any code runs, never echoed or logged', async () => {
    const before = lines.length
    // Node's HTTP parser refuses a bare CR or a bare LF inside a header section (a 400 from the
    // gateway's clientError path), so such an id never reaches requestId(); the middleware's own
    // refusal of CR/LF, for a lenient gateway, is tested in request-id.test.ts.
    for (const bytes of [
      'GET /echo/ HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rSet-Cookie: evil=1\r\nConnection: close\r\n\r\n',
      'GET /echo/ HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\nSet-Cookie: evil=1\r\nConnection: close\r\n\r\n',
    ]) {
      const answer = await raw(bytes)
      expect(answer).toMatch(/^HTTP\/1\.1 400 /)
      expect(answer.toLowerCase()).not.toContain('set-cookie')
      expect(answer).not.toContain('evil')
    }
    // The parser answered, not the app: nothing was logged.
    expect(lines.length).toBe(before)
  })

  it('continues a valid traceparent and passes tracestate through', async () => {
    const res = await get('/echo/', {
      traceparent: `00-${TRACE}-${PARENT}-01`,
      tracestate: 'rojo=00f067aa0ba902b7',
    })
    const body = JSON.parse(res.body) as {
      trace: { traceId: string; spanId: string; parentId: string }
      out: unknown
    }
    expect(body.trace).toMatchObject({ traceId: TRACE, parentId: PARENT })
    expect(res.headers.traceparent).toBe(`00-${TRACE}-${body.trace.spanId}-01`)
    expect(res.headers.tracestate).toBe('rojo=00f067aa0ba902b7')
    expect(body.out).toEqual({
      traceparent: res.headers.traceparent,
      tracestate: 'rojo=00f067aa0ba902b7',
    })
  })

  it.each([
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['bad hex', `00-${TRACE.slice(0, 30)}xy-${PARENT}-01`],
    ['wrong length', `00-${TRACE}0-${PARENT}-01`],
  ])(
    'starts a new trace for a malformed traceparent (%s) and drops tracestate',
    async (_, value) => {
      const res = await get('/echo/', { traceparent: value, tracestate: 'rojo=1' })
      const body = JSON.parse(res.body) as { trace: { traceId: string; parentId?: string } }
      expect(body.trace.traceId).not.toBe(TRACE)
      expect(body.trace.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/)
      expect(body.trace.parentId).toBeUndefined()
      expect(res.headers.traceparent).toMatch(
        new RegExp(`^00-${body.trace.traceId}-[0-9a-f]{16}-01$`)
      )
      expect(res.headers.tracestate).toBeUndefined()
    }
  )

  it('two traceparent headers are invalid (§3.2): a new trace; two tracestate headers are one list', async () => {
    const two = await get('/echo/', {
      traceparent: [`00-${TRACE}-${PARENT}-01`, `00-${TRACE}-${PARENT}-01`],
    })
    expect((JSON.parse(two.body) as { trace: { traceId: string } }).trace.traceId).not.toBe(TRACE)
    const states = await get('/echo/', {
      traceparent: `00-${TRACE}-${PARENT}-01`,
      tracestate: ['a=1', 'b=2'],
    })
    expect(states.headers.tracestate).toBe('a=1,b=2')
  })

  it('sends Server-Timing from the phase trace', async () => {
    const res = await get('/text/')
    const value = res.headers['server-timing'] as string
    expect(value).toMatch(/^total;dur=[\d.]+, 0-/)
    expect(value).toMatch(/-view-[^;]+;dur=[\d.]+/)
  })

  it('logs one pino JSON line per request, with the remote address and errors', async () => {
    const before = lines.length
    await get('/text/', { 'user-agent': 'gw-test', 'x-request-id': 'log-1' })
    await get('/boom/', { 'x-request-id': 'log-2' })
    const mine = records().slice(before)
    expect(mine).toHaveLength(2)
    expect(mine[0]).toMatchObject({
      level: 30,
      method: 'GET',
      path: '/text/',
      status: 200,
      bytes: 5,
      requestId: 'log-1',
      remoteAddress: '127.0.0.1',
      userAgent: 'gw-test',
    })
    expect(mine[1]).toMatchObject({
      status: 500,
      requestId: 'log-2',
      error: { name: 'Error', message: 'boom over the wire' },
    })
  })
})

import { createApp, defineMiddleware, json, path, text } from '@cycle/core'
import { createTestClient } from '@cycle/testing'
import { describe, expect, it } from 'vitest'
import { addTiming, formatMetric, serverTiming, traceMetrics } from './server-timing'

// RFC/W3C Server-Timing grammar: metric *( OWS ";" OWS param ), param = token [ "=" (token / quoted-string) ]
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const QUOTED = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"'
const METRIC = `${TOKEN}(?:;${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?)*`
const HEADER = new RegExp(`^${METRIC}(?:, ${METRIC})*$`)

const slow = defineMiddleware({
  name: 'slow "auth" ✓',
  request() {
    const end = performance.now() + 2
    while (performance.now() < end) {
      // busy wait: a measurable hook
    }
  },
})

describe('serverTiming()', () => {
  it('without tracing: a total only, syntactically valid', async () => {
    const app = createApp({
      middleware: [serverTiming(), slow],
      urls: [path('', () => text('ok'))],
    })
    const value = (await createTestClient(app).get('/')).headers.get('server-timing') as string
    expect(value).toMatch(/^total;dur=\d+(\.\d+)?$/)
    expect(Number(value.split('=')[1])).toBeGreaterThanOrEqual(2)
  })

  it('with tracing: one metric per traced hook and the view, names made tokens', async () => {
    const app = createApp({
      trace: true,
      middleware: [serverTiming(), slow],
      urls: [path('', () => text('ok'))],
    })
    const value = (await createTestClient(app).get('/')).headers.get('server-timing') as string
    expect(value).toMatch(HEADER)
    expect(value.startsWith('total;dur=')).toBe(true)
    expect(value).toMatch(/request-slow__auth___;dur=\d/)
    expect(value).toContain('desc=next')
    expect(value.split(', ').length).toBeGreaterThan(3)
  })

  it('phases: false keeps only the total even when tracing', async () => {
    const app = createApp({
      trace: true,
      middleware: [serverTiming({ phases: false })],
      urls: [path('', () => text('ok'))],
    })
    expect((await createTestClient(app).get('/')).headers.get('server-timing')).toMatch(
      /^total;dur=[\d.]+$/
    )
  })

  it('allow() restricts the header (timings leak information)', async () => {
    const app = createApp({
      middleware: [
        serverTiming({ allow: (req) => req.header('x-debug') === 'on', totalName: 'app' }),
      ],
      urls: [path('', () => text('ok'))],
    })
    const client = createTestClient(app)
    expect((await client.get('/')).headers.get('server-timing')).toBeNull()
    expect(
      (await client.get('/', { headers: { 'x-debug': 'on' } })).headers.get('server-timing')
    ).toMatch(/^app;dur=/)
  })

  it('keeps metrics a view added with addTiming()', async () => {
    const app = createApp({
      middleware: [serverTiming()],
      urls: [path('', () => addTiming(json({ ok: true }), 'db query', 12.3456, 'notes "all"'))],
    })
    const value = (await createTestClient(app).get('/')).headers.get('server-timing') as string
    expect(value).toMatch(HEADER)
    expect(value).toMatch(/^db_query;dur=12\.346;desc="notes \\"all\\"", total;dur=/)
  })

  it('formatMetric() never produces an invalid metric', () => {
    for (const [name, desc] of [
      ['a b', 'x\r\ny'],
      ['', ''],
      ['ok', 'token'],
      ['ü', '\\'],
    ] as const) {
      expect(formatMetric(name, 1, desc)).toMatch(new RegExp(`^${METRIC}$`))
    }
    expect(formatMetric('cache')).toBe('cache')
    expect(formatMetric('x', Number.NaN)).toBe('x')
    expect(
      traceMetrics([{ phase: 'view', name: 'notes/', start: 0, duration: 1.5, outcome: 'ok' }])
    ).toBe('0-view-notes_;dur=1.5;desc=ok')
  })

  it('refuses bad options', () => {
    expect(() => serverTiming({ allow: 1 as never })).toThrow(/allow/)
    expect(() => serverTiming({ totalName: 'a b' })).toThrow(/totalName/)
    expect(() => serverTiming({ enabled: true } as never)).toThrow(/unknown option/)
  })
})

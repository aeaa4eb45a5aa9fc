// The short soak of the test command: a few seconds of good and hostile requests at 100
// connections through gateway-node, in a separate server process. No unexpected answer, no lost
// request, no 5xx, no crash, every case tried and answered with its exact status, and the server
// still answers afterwards. The long run is `pnpm soak` (docs/reliability.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASES, GOOD, HOSTILE } from './cases'
import { startSoakServer, type SoakServer } from './child'
import { runSoak } from './run'
import { formatSummary, type SoakSummary } from './summary'

let server: SoakServer
let summary: SoakSummary

beforeAll(async () => {
  // Shorter timeouts than the soak's own, so that the slowloris cases end within seconds.
  server = await startSoakServer({ headers: 800, request: 1_600, send: 600 })
  summary = await runSoak(server, { durationMs: 3_000, connections: 100, slowLanes: 3 })
}, 60_000)

afterAll(async () => {
  await server?.stop()
})

describe('the short soak (3 s at 100 connections)', () => {
  it('gets no unexpected answer, loses no good request, and never crashes the server', () => {
    const report = formatSummary(summary)
    expect(summary.unexpected, report).toBe(0)
    expect(summary.lost, report).toBe(0)
    expect(summary.timeouts, report).toBe(0)
    expect(summary.crashes, report).toBe(0)
    expect(summary.server.status5xx, report).toBe(0)
    expect(summary.stillServing, report).toBe(true)
    expect(server.exit).toBeNull()
  })

  it('tried every case of every class, with good and hostile requests mixed', () => {
    expect(summary.requests.good).toBeGreaterThan(200)
    expect(summary.requests.hostile).toBeGreaterThan(200)
    for (const c of GOOD)
      expect(summary.classes['good']?.cases[c.name]?.tried, c.name).toBeGreaterThan(0)
    for (const cls of HOSTILE) {
      for (const c of cls.cases) {
        expect(summary.classes[cls.name]?.cases[c.name]?.tried, c.name).toBeGreaterThan(0)
      }
    }
  })

  it('sampled the server process, not its own', () => {
    expect(summary.rss.before).toBeGreaterThan(0)
    expect(summary.rss.after).toBeGreaterThan(0)
    expect(summary.rss.samples.length).toBeGreaterThan(1)
    expect(summary.server.served).toBeGreaterThan(summary.requests.good)
  })
})

describe('every hostile class gets its exact statuses under load', () => {
  it('names each case once, and every case that expects an answer names its status', () => {
    const names = [...GOOD, ...HOSTILE.flatMap((h) => h.cases)].map((c) => c.name)
    expect(CASES.size).toBe(names.length)
    for (const c of CASES.values()) {
      if (c.closeOk !== true) expect(c.expect.length, c.name).toBeGreaterThan(0)
      for (const s of c.expect) expect(s >= 200 && s < 500, c.name).toBe(true)
    }
  })

  it.each(HOSTILE.map((h) => [h.name, h] as const))('%s', (_name, cls) => {
    const got = summary.classes[cls.name]
    expect(got, cls.name).toBeDefined()
    expect(got?.unexpected, formatSummary(summary)).toBe(0)
    for (const c of cls.cases) {
      const counts = got?.cases[c.name]
      expect(counts?.tried, c.name).toBeGreaterThan(0)
      // Statuses seen for the case: exactly the expected ones ('closed' only where the client left).
      const allowed = new Set([...c.expect.map(String), ...(c.closeOk === true ? ['closed'] : [])])
      for (const status of Object.keys(counts?.statuses ?? {})) {
        expect(
          allowed.has(status),
          `${c.name} got ${status}, expects ${c.expect.join(' or ')}`
        ).toBe(true)
      }
      if (c.closeOk !== true) expect(counts?.statuses['closed'], c.name).toBeUndefined()
    }
  })
})

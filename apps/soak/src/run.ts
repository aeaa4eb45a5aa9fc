/**
 * @module
 * The soak itself: `connections` lanes, each with a kept-alive connection for good requests and a
 * fresh connection for every hostile case, mixed by a seeded generator until the deadline; a few
 * slow lanes for slowloris; the server's RSS sampled every second. Every exchange is bounded.
 */
import { signJwt } from '@cycle/middleware-auth'
import { GOOD, HOSTILE, type Case, type Ctx } from './cases'
import type { SoakServer } from './child'
import { judge } from './judge'
import { exchange, KeepAlive, type Outcome } from './raw'
import { newSummary, record, type SoakSummary } from './summary'
import { SOAK_SECRET } from './target'

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** How long lanes keep starting exchanges, in ms (exchanges in flight then finish). */
  durationMs: number
  /** Concurrent lanes (connections). Default 100. */
  connections?: number
  /** Lanes that run the slow cases (slowloris) only. Default 4. */
  slowLanes?: number
  /** Share of exchanges that are hostile, 0–1. Default 0.35. */
  hostileShare?: number
  /** Seed of the mix. Default 12. */
  seed?: number
  /** Called once a second with the summary so far (progress). */
  onTick?: (summary: SoakSummary) => void
}

/** A small seeded generator (mulberry32): the same seed, the same mix. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Runs the soak against `server` and returns its summary. */
export async function runSoak(server: SoakServer, options: SoakOptions): Promise<SoakSummary> {
  const connections = options.connections ?? 100
  const slowLanes = options.slowLanes ?? 4
  const share = options.hostileShare ?? 0.35
  const seed = options.seed ?? 12
  const token = await signJwt(
    { sub: 'soak' },
    { secret: SOAK_SECRET, algorithm: 'HS256', expiresIn: '6h' }
  )
  const ctx: Ctx = { host: `127.0.0.1:${server.port}`, token, timeouts: server.timeouts }
  const summary = newSummary({ ...options, connections, slowLanes, hostileShare: share, seed })
  const before = await server.stats(true)
  summary.rss.before = before.rss
  summary.heap.before = before.heapUsed
  const started = performance.now()
  const deadline = started + options.durationMs
  const quick = HOSTILE.flatMap((c) =>
    c.cases.filter((x) => x.slow !== true).map((x) => [c.name, x] as const)
  )
  const slow = HOSTILE.flatMap((c) =>
    c.cases.filter((x) => x.slow === true).map((x) => [c.name, x] as const)
  )

  const note = (cls: string, c: Case, outcome: Outcome, want: number): void => {
    record(summary, cls, c.name, outcome, judge(c, outcome, want))
  }

  async function lane(index: number): Promise<void> {
    const rng = random(seed * 1000 + index)
    const conn = new KeepAlive(server.port)
    let g = index
    // Lanes start spread over the hostile cases, so that a short run tries every one of them even
    // when there are more cases than lanes.
    let h = Math.floor((index * quick.length) / connections)
    try {
      while (performance.now() < deadline && server.exit === null) {
        if (rng() < share) {
          const [cls, c] = quick[h++ % quick.length] as (typeof quick)[number]
          const ex = c.exchange(ctx)
          note(cls, c, await exchange(server.port, ex), ex.responses ?? 1)
        } else {
          const c = GOOD[g++ % GOOD.length] as Case
          const bytes = c.exchange(ctx).send[0] as Buffer
          note('good', c, await conn.request(bytes), 1)
        }
      }
    } finally {
      conn.close()
    }
  }

  async function slowLane(index: number): Promise<void> {
    let i = index
    do {
      const [cls, c] = slow[i++ % slow.length] as (typeof slow)[number]
      const ex = c.exchange(ctx)
      note(cls, c, await exchange(server.port, ex), ex.responses ?? 1)
    } while (performance.now() < deadline && server.exit === null)
  }

  const ticker = setInterval(() => {
    server.stats().then(
      (s) => {
        summary.rss.samples.push(s.rss)
        options.onTick?.(summary)
      },
      () => {}
    )
  }, 1_000)
  try {
    await Promise.all([
      ...Array.from({ length: connections }, (_, i) => lane(i)),
      ...Array.from({ length: slow.length > 0 ? slowLanes : 0 }, (_, i) => slowLane(i)),
    ])
  } finally {
    clearInterval(ticker)
  }
  summary.elapsedMs = Math.round(performance.now() - started)
  await finish(server, ctx, summary)
  return summary
}

/** After the load: the server must still answer, and its memory is sampled after a full GC. */
async function finish(server: SoakServer, ctx: Ctx, summary: SoakSummary): Promise<void> {
  summary.crashes = server.exit === null ? 0 : 1
  if (summary.crashes === 0) {
    const check = await exchange(server.port, { send: [GOOD[1]?.exchange(ctx).send[0] as Buffer] })
    summary.stillServing = check.statuses[0] === 200
    const after = await server.stats(true)
    Object.assign(summary.server, {
      served: after.served,
      status5xx: after.status5xx,
      exceptions: after.exceptions,
      clientErrors: after.clientErrors,
    })
    summary.rss.after = after.rss
    summary.heap.after = after.heapUsed
  }
}

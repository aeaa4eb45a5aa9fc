/**
 * @module
 * The soak's summary: counts per class and per case, the server's own counters, RSS, and the first
 * unexpected outcomes in full. Written as JSON by the CLI and read by the short soak's test.
 */
import type { Outcome } from './raw'

/** Counts of one class, or of one case. */
export interface Counts {
  /** Exchanges tried. */
  tried: number
  /** Outcomes the soak's rule refuses (see `judge`). */
  unexpected: number
  /** Exchanges that saw a socket error (a reset after a 4xx that closed is counted, not refused). */
  socketErrors: number
  /** Exchanges that hit their time limit. */
  timeouts: number
  /** Responses by status; `closed` for an exchange that ended with no answer. */
  statuses: Record<string, number>
  /** Mean and longest exchange, in ms (connect to last answer). */
  meanMs: number
  maxMs: number
}

/** A class's counts and its cases'. */
export interface ClassCounts extends Counts {
  cases: Record<string, Counts>
}

/** The whole run. */
export interface SoakSummary {
  startedAt: string
  node: string
  options: Record<string, unknown>
  elapsedMs: number
  requests: { total: number; good: number; hostile: number }
  /** Good requests without their 200. */
  lost: number
  unexpected: number
  socketErrors: number
  timeouts: number
  /** The server process exited during the run. */
  crashes: number
  /** A good request after the run got its 200. */
  stillServing: boolean
  /** The server's own counters (app responses finished, 5xx, reported errors, parser refusals). */
  server: { served: number; status5xx: number; exceptions: number; clientErrors: number }
  /** Bytes; `samples` once a second during the run, `before`/`after` after a full GC. */
  rss: { before: number; after: number; max: number; samples: number[] }
  heap: { before: number; after: number }
  classes: Record<string, ClassCounts>
  /** The first 20 unexpected outcomes. */
  firstUnexpected: { case: string; reason: string; outcome: Outcome }[]
}

const counts = (): Counts => ({
  tried: 0,
  unexpected: 0,
  socketErrors: 0,
  timeouts: 0,
  statuses: {},
  meanMs: 0,
  maxMs: 0,
})

/** An empty summary. */
export function newSummary(options: Record<string, unknown>): SoakSummary {
  const { onTick: _ignored, ...shown } = options
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    options: shown,
    elapsedMs: 0,
    requests: { total: 0, good: 0, hostile: 0 },
    lost: 0,
    unexpected: 0,
    socketErrors: 0,
    timeouts: 0,
    crashes: 0,
    stillServing: false,
    server: { served: 0, status5xx: 0, exceptions: 0, clientErrors: 0 },
    rss: { before: 0, after: 0, max: 0, samples: [] },
    heap: { before: 0, after: 0 },
    classes: {},
    firstUnexpected: [],
  }
}

function add(c: Counts, outcome: Outcome, unexpected: boolean): void {
  c.tried++
  c.meanMs += (outcome.ms - c.meanMs) / c.tried
  if (outcome.ms > c.maxMs) c.maxMs = Math.round(outcome.ms)
  if (unexpected) c.unexpected++
  if (outcome.error !== null) c.socketErrors++
  if (outcome.timedOut) c.timeouts++
  const keys = outcome.statuses.length > 0 ? outcome.statuses.map(String) : ['closed']
  for (const k of keys) c.statuses[k] = (c.statuses[k] ?? 0) + 1
}

/** Records one exchange; `reason` is why it is unexpected, or `null`. */
export function record(
  s: SoakSummary,
  cls: string,
  name: string,
  outcome: Outcome,
  reason: string | null
): void {
  const klass = (s.classes[cls] ??= { ...counts(), cases: {} })
  const one = (klass.cases[name] ??= counts())
  add(klass, outcome, reason !== null)
  add(one, outcome, reason !== null)
  s.requests.total++
  if (cls === 'good') {
    s.requests.good++
    if (outcome.statuses[0] !== 200) s.lost++
  } else s.requests.hostile++
  if (outcome.error !== null) s.socketErrors++
  if (outcome.timedOut) s.timeouts++
  if (reason !== null) {
    s.unexpected++
    if (s.firstUnexpected.length < 20) s.firstUnexpected.push({ case: name, reason, outcome })
  }
  const last = s.rss.samples[s.rss.samples.length - 1]
  if (last !== undefined && last > s.rss.max) s.rss.max = last
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** A human-readable table of the summary. */
export function formatSummary(s: SoakSummary): string {
  const lines = [
    `${s.requests.total} exchanges in ${(s.elapsedMs / 1000).toFixed(1)} s (${
      s.requests.good
    } good, ${s.requests.hostile} hostile); server finished ${
      s.server.served
    } responses, its parser refused ${s.server.clientErrors}`,
    `unexpected ${s.unexpected}, lost ${s.lost}, 5xx ${s.server.status5xx}, crashes ${s.crashes}, socket errors ${s.socketErrors}, timeouts ${s.timeouts}, still serving ${s.stillServing}`,
    `RSS ${mib(s.rss.before)} before, ${mib(s.rss.max)} max, ${mib(s.rss.after)} after (heap ${mib(
      s.heap.before
    )} → ${mib(s.heap.after)})`,
    '',
    `${'class'.padEnd(18)} ${'tried'.padStart(7)} ${'unexp.'.padStart(6)} ${'sock.err'.padStart(
      8
    )} ${'mean ms'.padStart(8)} ${'max ms'.padStart(7)}  statuses`,
  ]
  for (const [name, c] of Object.entries(s.classes)) {
    const statuses = Object.entries(c.statuses)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')
    lines.push(
      `${name.padEnd(18)} ${String(c.tried).padStart(7)} ${String(c.unexpected).padStart(
        6
      )} ${String(c.socketErrors).padStart(8)} ${c.meanMs.toFixed(1).padStart(8)} ${String(
        c.maxMs
      ).padStart(7)}  ${statuses}`
    )
  }
  for (const u of s.firstUnexpected) lines.push(`  ! ${u.case}: ${u.reason}`)
  return lines.join('\n')
}

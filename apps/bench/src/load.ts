/**
 * @module
 * Secondary figures: requests per second and p99 latency with autocannon, servers interleaved
 * over several rounds (each round starts with a different server), plus each server's RSS.
 * Every server runs at once, idle except when its turn comes; the ratio to the raw server is
 * taken per round, then the median over rounds.
 */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { ROUTES, serves, SERVERS, type Probe, type ServerSpec } from './servers'
import { startServer, type Running } from './spawn'
import { median } from './stats'

/** Options of the load runs. */
export interface LoadOptions {
  rounds: number
  /** Seconds per server, route and round. */
  duration: number
  connections: number
  /** Warm-up per server and route, not recorded: a number of requests, 0 for none (default: one second). */
  warmupRequests?: number
}

/** One cell: medians over rounds. */
export interface LoadCell {
  rps: number
  p99: number
  /** Median over rounds of (this server's req/s ÷ raw node's req/s in the same round). */
  ratio: number
  rounds: number[]
}

/** Results by server id, then route id; RSS in bytes by server id. */
export interface LoadResult {
  cells: Record<string, Record<string, LoadCell>>
  rssIdle: Record<string, number>
  rssAfter: Record<string, number>
}

/** Resident set size of a process, from /proc (bytes). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m === null ? Number.NaN : Number(m[1]) * 1024
}

async function cannon(
  port: number,
  probe: Probe,
  length: { seconds: number } | { requests: number },
  connections: number
) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${probe.path}`,
    headers: { ...probe.headers },
    connections,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requests }),
    pipelining: 1,
  })
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(
      `${probe.path}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`
    )
  }
  return { rps: result.requests.average, p99: result.latency.p99 }
}

/** Runs the interleaved rounds against every server in `servers`. */
export async function runLoad(
  o: LoadOptions,
  servers: readonly ServerSpec[] = SERVERS,
  log: (line: string) => void = () => {}
): Promise<LoadResult> {
  const running: Running[] = []
  try {
    running.push(...(await Promise.all(servers.map((spec) => startServer(spec)))))
    const rssIdle: Record<string, number> = {}
    for (const r of running) rssIdle[r.spec.id] = rssOf(r.pid)
    // Warm-up: one short run per server and route, not recorded.
    const warm = o.warmupRequests === undefined ? { seconds: 1 } : { requests: o.warmupRequests }
    if (o.warmupRequests !== 0)
      for (const r of running)
        for (const route of ROUTES)
          if (serves(r.spec, route)) await cannon(r.port, route, warm, o.connections)
    const raw: Record<string, { rps: number; p99: number }[][]> = {}
    for (let round = 0; round < o.rounds; round++) {
      const order = running.map((_, i) => running[(i + round) % running.length] as Running)
      for (const r of order) {
        for (const route of ROUTES) {
          if (!serves(r.spec, route)) continue
          const m = await cannon(r.port, route, { seconds: o.duration }, o.connections)
          ;(
            (raw[r.spec.id] ??= ROUTES.map(() => []))[ROUTES.indexOf(route)] as {
              rps: number
              p99: number
            }[]
          ).push(m)
        }
      }
      log(`load round ${round + 1}/${o.rounds} done`)
    }
    const rssAfter: Record<string, number> = {}
    for (const r of running) rssAfter[r.spec.id] = rssOf(r.pid)
    const base = raw[servers[0]?.id ?? 'node'] as { rps: number; p99: number }[][]
    const cells: LoadResult['cells'] = {}
    for (const r of running) {
      const rows = raw[r.spec.id] as { rps: number; p99: number }[][]
      cells[r.spec.id] = {}
      ROUTES.forEach((route, i) => {
        if (!serves(r.spec, route)) return
        const list = rows[i] as { rps: number; p99: number }[]
        const ref = base[i] as { rps: number; p99: number }[]
        ;(cells[r.spec.id] as Record<string, LoadCell>)[route.id] = {
          rps: median(list.map((m) => m.rps)),
          p99: median(list.map((m) => m.p99)),
          ratio: median(list.map((m, k) => m.rps / (ref[k] as { rps: number }).rps)),
          rounds: list.map((m) => m.rps),
        }
      })
    }
    return { cells, rssIdle, rssAfter }
  } finally {
    await Promise.all(running.map((r) => r.stop()))
  }
}

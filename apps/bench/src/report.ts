/**
 * @module
 * Renders the Markdown report from one run's results.
 */
import type { ColdResult } from './cold'
import type { GrowthPoint } from './memory'
import type { LoadResult } from './load'
import type { MachineInfo } from './machine'
import { renderCold, renderMemory, renderPeers } from './report-sections'
import { BASE_ROUTES, ROUTES, SERVERS } from './servers'
import { median, spread } from './stats'

/** Everything one run measured (also written as JSON beside the report). */
export interface Results {
  mode: 'full' | 'quick'
  machine: MachineInfo
  loadAtEnd: string
  durationSeconds: number
  versions: Record<string, string>
  valgrind: string | null
  settings: Record<string, unknown>
  /** Instructions per request: server → route → one value per repeat. */
  instr: Record<string, Record<string, number[]>>
  load: LoadResult | null
  fetch: Record<string, Record<string, { avg: number; p50: number }>> | null
  /** In-process fetch handlers, instructions per request: handler → route → one value per repeat. */
  fetchInstr: Record<string, Record<string, number[]>>
  router: {
    routes: number
    results: Record<string, Record<string, { avg: number; p50: number }>>
  } | null
  /** JS heap bytes allocated per request: server → route → bytes. */
  bytesPerRequest: Record<string, Record<string, number>>
  growth: GrowthPoint[] | null
  /** Cold start, by server. */
  cold: Record<string, ColdResult>
}

/** `61.7k` */
export const k = (n: number): string => `${(n / 1000).toFixed(1)}k`
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
/** `1.05×` */
export const x2 = (x: number): string => `${x.toFixed(2)}×`
/** `64.8 MiB` */
export const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`
const ns = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1))
/** The table label of a server id. */
export const label = (id: string): string => SERVERS.find((s) => s.id === id)?.label ?? id

/** Median instructions per request of a cell. */
export function instrOf(r: Results, server: string, route: string): number {
  return median(r.instr[server]?.[route] ?? [])
}

/** What the report says of route 5 wherever its figures appear. */
export const STACK_NOTE =
  "Route 5, the real stack (request id, security headers, CORS from an allowed origin, ETag, compression, JWT auth, envelope), is served by the hand-written floor, Cycle, Fastify and Hono only (— elsewhere); its answer is below every compression threshold (1 KiB), so compression only negotiates (reads `Accept-Encoding`, sends the body as is), except in Hono, whose `compress()` gzips it (a `c.json()` body has no `Content-Length` for its threshold to read). Cycle's route 5 has no compression middleware yet (`@cycle/middleware-compress` is not merged) and writes its request id as a hook (`@cycle/middleware-observe` neither)."

/** The issue's targets, each with its verdict. */
export function targets(r: Results): { target: string; holds: boolean | null; detail: string }[] {
  const out: { target: string; holds: boolean | null; detail: string }[] = []
  const ours = new Set(['node', 'cycle', 'cycle-schema'])
  const peers = SERVERS.filter((s) => !ours.has(s.id)).map((s) => s.id)
  // Like for like: Cycle as written in the docs against every peer that serializes with
  // JSON.stringify too, and Cycle with response schemas against every peer, schemas included.
  const withSchemas = new Set(['fastify-schema'])
  const limits: Record<string, number> = { r1: 1.05, r2: 1.05, r3: 1.1, r4: 1.1 }
  for (const route of BASE_ROUTES) {
    const ratio = instrOf(r, 'cycle', route.id) / instrOf(r, 'node', route.id)
    const limit = limits[route.id] as number
    out.push({
      target: `gateway-node ≤ ${limit.toFixed(2)}× raw node:http instr/req, ${route.label}`,
      holds: Number.isFinite(ratio) ? ratio <= limit : null,
      detail: Number.isFinite(ratio) ? x2(ratio) : 'not measured',
    })
  }
  const fewer = (
    server: string,
    against: string[],
    target: string,
    route: (typeof ROUTES)[number]
  ) => {
    const cycle = instrOf(r, server, route.id)
    const best = against
      .map((id) => ({ id, v: instrOf(r, id, route.id) }))
      .filter((p) => Number.isFinite(p.v))
      .sort((a, b) => a.v - b.v)[0]
    if (!Number.isFinite(cycle)) return
    out.push({
      target: `${target}, ${route.label}`,
      holds: best === undefined ? null : cycle < best.v,
      detail:
        best === undefined
          ? 'not measured'
          : `${label(server)} ${k(cycle)} vs best peer ${label(best.id)} ${k(best.v)}`,
    })
  }
  for (const route of BASE_ROUTES.slice(1)) {
    fewer(
      'cycle',
      peers.filter((id) => !withSchemas.has(id)),
      'fewer instr/req than every peer without response schemas',
      route
    )
    fewer('cycle-schema', peers, 'with response schemas, fewer instr/req than every peer', route)
  }
  // Route 4 against what a Fastify user installs (like for like: with and without schemas).
  const r4 = ROUTES[3]
  if (r4 !== undefined) {
    for (const [ours, theirs] of [
      ['cycle', 'fastify'],
      ['cycle-schema', 'fastify-schema'],
    ] as const) {
      const a = instrOf(r, ours, r4.id)
      const b = instrOf(r, theirs, r4.id)
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue
      out.push({
        target: `${label(ours)}: fewer instr/req than ${label(theirs)}'s idiomatic equivalent, ${
          r4.label
        }`,
        holds: a < b,
        detail: `${k(a)} vs ${k(b)}`,
      })
    }
    const bytes = r.bytesPerRequest['cycle']
    const b3 = bytes?.['r3']
    const b4 = bytes?.[r4.id]
    if (b3 !== undefined && b4 !== undefined) {
      out.push({
        target: `Cycle: bytes/request on ${r4.label} ≤ 1.10× route 3's (hand-written hooks)`,
        holds: b4 <= 1.1 * b3,
        detail: `${Math.round(b4)} vs ${Math.round(b3)} B (${x2(b4 / b3)})`,
      })
    }
  }
  // Route 5, the real stack, against the two peers that serve it.
  const r5 = ROUTES[4]
  if (r5 !== undefined) {
    const a = instrOf(r, 'cycle', r5.id)
    const peers = ['fastify', 'hono'].map((id) => ({ id, v: instrOf(r, id, r5.id) }))
    if (Number.isFinite(a) || peers.some((p) => Number.isFinite(p.v))) {
      const measured = Number.isFinite(a) && peers.every((p) => Number.isFinite(p.v))
      out.push({
        target: `${label('cycle')}: fewer instr/req than Fastify and Hono, ${r5.label}`,
        holds: measured ? peers.every((p) => a < p.v) : null,
        detail: measured
          ? `${k(a)} vs ${peers.map((p) => `${label(p.id)} ${k(p.v)}`).join(', ')}`
          : 'not measured',
      })
    }
  }
  const fi = r.fetchInstr ?? {}
  if (fi['cycle'] !== undefined && fi['hono'] !== undefined) {
    const routes = BASE_ROUTES.map((route) => route.id)
    const at = (name: string, id: string): number => median(fi[name]?.[id] ?? [])
    out.push({
      target: "fetch handler cheaper than Hono's app.fetch, instr/req (every route)",
      holds: routes.every((id) => at('cycle', id) < at('hono', id)),
      detail: routes.map((id) => `${id}: ${k(at('cycle', id))} vs ${k(at('hono', id))}`).join(', '),
    })
  }
  if (r.fetch !== null) {
    const routes = BASE_ROUTES.map((route) => route.id)
    const worse = routes.filter(
      (id) => (r.fetch?.['cycle']?.[id]?.p50 ?? Infinity) >= (r.fetch?.['hono']?.[id]?.p50 ?? 0)
    )
    out.push({
      target: "fetch handler cheaper than Hono's app.fetch, ns (every route)",
      holds: worse.length === 0,
      detail: routes
        .map(
          (id) =>
            `${id}: ${ns(r.fetch?.['cycle']?.[id]?.p50 ?? NaN)} vs ${ns(
              r.fetch?.['hono']?.[id]?.p50 ?? NaN
            )} ns`
        )
        .join(', '),
    })
  }
  if (r.router !== null) {
    const res = r.router.results
    const cases = Object.keys(res['cycle'] ?? {})
    const lost = cases.filter((c) =>
      Object.entries(res).some(
        ([name, m]) => name !== 'cycle' && (m[c]?.p50 ?? Infinity) <= (res['cycle']?.[c]?.p50 ?? 0)
      )
    )
    out.push({
      target: 'resolver faster than every peer router on all four lookups',
      holds: lost.length === 0,
      detail: lost.length === 0 ? 'all four' : `not on: ${lost.join(', ')}`,
    })
  }
  return out
}

/** The whole report. */
export function renderReport(r: Results): string {
  const m = r.machine
  const lines: string[] = []
  const push = (...l: string[]): void => {
    lines.push(...l)
  }
  push(
    '# Cycle benchmark report',
    '',
    `Generated by \`pnpm bench${r.mode === 'quick' ? ' --quick' : ''}\` (${r.mode} mode) on ${
      m.date
    }, in ${Math.round(r.durationSeconds / 60)} min, at commit ${m.commit ?? 'unknown'}.`,
    '',
    `- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpu}, ${m.memory}; load average ${m.loadAtStart} at start, ${r.loadAtEnd} at the end (a shared machine: timings move, instruction counts much less).`,
    `- Node ${m.node} (V8 ${m.v8}), no extra node flags for the servers (V8 defaults, semi-space included). Every server is an esbuild bundle of its entry on that node; npm peers load from their published files.`,
    `- ${r.valgrind ?? 'valgrind missing'}: \`valgrind ${[
      '--tool=callgrind',
      '--instr-atstart=no',
      '--smc-check=all-non-file',
    ].join(' ')}\`.`,
    `- Settings: \`${JSON.stringify(r.settings)}\``,
    `- Versions: ${Object.entries(r.versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}.`,
    ''
  )
  push('## Targets', '', '| target | holds | measured |', '|---|---|---|')
  for (const t of targets(r))
    push(`| ${t.target} | ${t.holds === null ? '–' : t.holds ? 'yes' : '**no**'} | ${t.detail} |`)
  push('')
  const repeats = Math.max(
    0,
    ...Object.values(r.instr).flatMap((routes) => Object.values(routes).map((v) => v.length))
  )
  if (repeats > 0) {
    push(
      '## Instructions per request (callgrind, primary figure)',
      '',
      `Median of ${repeats} run(s); spread = (max − min) / median. Lower is better. × node = ratio to the hand-written node:http server. ${STACK_NOTE} Each server is first warmed up on routes 1–4 interleaved, on a fresh keep-alive connection every 500 requests (so the JIT has seen every route and several sockets), then per route: a short warm-up, counters zeroed, the counted requests on one connection. Route 5 is warmed up and counted after routes 1–4, so its crypto and allocation do not change the heap they are measured in.`,
      '',
      `| server | ${ROUTES.map((rt) => `${rt.label} | spread | × node`).join(' | ')} |`,
      `|---|${ROUTES.map(() => '---:|---:|---:').join('|')}|`
    )
    for (const s of SERVERS) {
      if (r.instr[s.id] === undefined) continue
      const cells = ROUTES.map((rt) => {
        const v = r.instr[s.id]?.[rt.id] ?? []
        if (v.length === 0) return '— | — | —'
        return `${k(median(v))} | ${pct(spread(v))} | ${x2(median(v) / instrOf(r, 'node', rt.id))}`
      })
      push(`| ${s.label} | ${cells.join(' | ')} |`)
    }
    push('')
  }
  if (r.load !== null) {
    push(
      '## Requests per second and p99 (autocannon, secondary)',
      '',
      `Interleaved rounds, medians; × node = median over rounds of the ratio to the raw server in the same round. RSS after the load runs (idle RSS in brackets).`,
      '',
      `| server | ${ROUTES.map((rt) => `${rt.label} req/s | p99 ms | × node`).join(' | ')} | RSS |`,
      `|---|${ROUTES.map(() => '---:|---:|---:').join('|')}|---:|`
    )
    for (const s of SERVERS) {
      const row = r.load.cells[s.id]
      if (row === undefined) continue
      const cells = ROUTES.map((rt) => {
        const c = row[rt.id]
        return c === undefined ? '— | — | —' : `${Math.round(c.rps)} | ${c.p99} | ${x2(c.ratio)}`
      })
      push(
        `| ${s.label} | ${cells.join(' | ')} | ${mib(r.load.rssAfter[s.id] ?? NaN)} (${mib(
          r.load.rssIdle[s.id] ?? NaN
        )}) |`
      )
    }
    push('')
  }
  const fetchInstr = r.fetchInstr ?? {}
  if (Object.keys(fetchInstr).length > 0) {
    const reps = Math.max(
      0,
      ...Object.values(fetchInstr).flatMap((routes) => Object.values(routes).map((v) => v.length))
    )
    push(
      '## In-process fetch handlers (callgrind)',
      '',
      `Instructions per request, median of ${reps} run(s) (spread in brackets), including \`new Request()\` and reading the body; every handler in its own process, after an interleaved warm-up. Lower is better.`,
      '',
      `| handler | ${BASE_ROUTES.map((rt) => rt.label).join(' | ')} |`,
      `|---|${BASE_ROUTES.map(() => '---:').join('|')}|`
    )
    for (const [name, row] of Object.entries(fetchInstr)) {
      const cells = BASE_ROUTES.map((rt) => {
        const v = row[rt.id] ?? []
        return `${k(median(v))} (${pct(spread(v))})`
      })
      push(`| ${name === 'cycle' ? 'Cycle `toFetchHandler(app)`' : name} | ${cells.join(' | ')} |`)
    }
    push('')
  }
  if (r.fetch !== null) {
    push(
      '## In-process fetch handlers (mitata)',
      '',
      'ns per request, median sample, including `new Request()` and reading the body. Lower is better.',
      '',
      `| handler | ${BASE_ROUTES.map((rt) => rt.label).join(' | ')} |`,
      `|---|${BASE_ROUTES.map(() => '---:').join('|')}|`
    )
    for (const [name, row] of Object.entries(r.fetch)) {
      push(
        `| ${name === 'cycle' ? 'Cycle `toFetchHandler(app)`' : name} | ${BASE_ROUTES.map((rt) =>
          ns(row[rt.id]?.p50 ?? NaN)
        ).join(' | ')} |`
      )
    }
    push('')
  }
  if (r.router !== null) {
    const cases = ['static', 'param1', 'param3', 'miss']
    push(
      '## Routers (mitata)',
      '',
      `${r.router.routes} GitHub REST routes; ns per lookup, median sample. static \`/user/repos\`, one param \`/users/octocat\`, three params \`/repos/octo-org/hello-world/issues/1347\`, miss \`/repos/octo-org/hello-world/unknown/1\`.`,
      '',
      '| router | static | one param | three params | miss |',
      '|---|---:|---:|---:|---:|'
    )
    for (const [name, row] of Object.entries(r.router.results)) {
      push(
        `| ${name === 'cycle' ? 'Cycle `app.resolve`' : name} | ${cases
          .map((c) => ns(row[c]?.p50 ?? NaN))
          .join(' | ')} |`
      )
    }
    push('')
  }
  push(...renderMemory(r))
  push(...renderCold(r))
  push(...renderPeers())
  push(
    '## Method',
    '',
    `- ${STACK_NOTE}`,
    "- Every server answers the same four routes (five for those that serve route 5) with the same status and media type (JSON's `charset=utf-8` parameter dropped: RFC 8259 defines none), the same body bytes on routes 1–3 and the same JSON document on route 4, except the differences listed under each peer above; the harness checks it before measuring (and `src/identical.test.ts` in `pnpm test`).",
    "- Instructions: server under callgrind with counting off; per route a warm-up, then `callgrind_control -z`, `-i on`, a fixed count of keep-alive requests on one connection, `-i off`, `-d`; the dump's `totals:` ÷ requests. User space only (all of node's threads); loopback TCP in the kernel is not counted.",
    '- Requests/s: autocannon, 10 connections, servers interleaved per round. The client shares the machine with the server.',
    '- See apps/bench/README.md for how to rerun and what each figure means.',
    ''
  )
  return lines.join('\n')
}

/**
 * @module
 * The report's memory, cold-start and peers sections (the rest is in `report.ts`).
 */
import { COLD_ROUTE } from './cold'
import { MEMORY_ROUTES } from './memory'
import { PEER_NOTES } from './peers'
import { instrOf, k, label, mib, x2, type Results } from './report'
import { CHECKS, SERVERS } from './servers'
import { median } from './stats'

/** Bytes allocated per request (routes 2–4) and Cycle's growth. */
export function renderMemory(r: Results): string[] {
  const lines: string[] = []
  const servers = SERVERS.filter((s) => r.bytesPerRequest[s.id] !== undefined)
  if (servers.length === 0 && r.growth === null) return lines
  lines.push('## Memory', '')
  if (servers.length > 0) {
    lines.push(
      'JS heap bytes allocated per request (heap growth over a window of keep-alive requests with no GC, 64 MiB semi-spaces; one process per server, warmed up on the routes interleaved). Route 4 / route 3 is what the packages allocate beside the hand-written hooks. — = the server does not serve the route (route 5).',
      '',
      `| server | ${MEMORY_ROUTES.map((rt) => rt.label).join(' | ')} | route 4 / route 3 |`,
      `|---|${MEMORY_ROUTES.map(() => '---:').join('|')}|---:|`
    )
    for (const s of servers) {
      const row = r.bytesPerRequest[s.id] ?? {}
      const cells = MEMORY_ROUTES.map((rt) => {
        const b = row[rt.id]
        return b === undefined ? '—' : String(Math.round(b))
      })
      const r3 = row['r3']
      const r4 = row['r4']
      const ratio = r3 !== undefined && r4 !== undefined ? x2(r4 / r3) : '–'
      lines.push(`| ${s.label} | ${cells.join(' | ')} | ${ratio} |`)
    }
    lines.push('')
  }
  if (r.growth !== null) {
    lines.push(
      'Cycle, route 2, after a full GC at each checkpoint:',
      '',
      '| requests | RSS | heap used | heap total |',
      '|---:|---:|---:|---:|'
    )
    for (const p of r.growth)
      lines.push(
        `| ${p.requests.toLocaleString('en')} | ${mib(p.sample.rss)} | ${mib(
          p.sample.heapUsed
        )} | ${mib(p.sample.heapTotal)} |`
      )
    lines.push('')
  }
  return lines
}

/** The cold-start table. */
export function renderCold(r: Results): string[] {
  const servers = SERVERS.filter((s) => r.cold[s.id] !== undefined)
  if (servers.length === 0) return []
  const node = r.cold['node']
  const ref = {
    ms: median(node?.ms ?? []),
    start: median(node?.startInstr ?? []),
    first: median(node?.firstInstr ?? []),
  }
  const settings = r.settings['cold'] as { requests?: number } | undefined
  const n = (settings?.requests ?? 1000).toLocaleString('en')
  const lines = [
    '## Cold start',
    '',
    `What a fresh process pays (a serverless function, a new replica): milliseconds from \`spawn()\` to the end of the first answer on ${
      COLD_ROUTE.label
    } (median of ${
      node?.ms.length ?? 0
    } fresh processes, no valgrind); instructions from the process's first instruction to that answer (callgrind from the start: node's own start-up, the same for all, loading the bundle and its packages, building the app, the first request); then instructions per request over the next ${n} requests on that route, one after another, each on a fresh connection (JIT compilation, code not yet optimised, accepting and closing each socket). Steady = the same route's figure in the instructions table above (warm JIT, keep-alive). × node = ratio to the hand-written server.`,
    '',
    `| server | ms to first answer | × node | instr to first answer | × node | instr/req, first ${n} | × node | × its steady state |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const s of servers) {
    const c = r.cold[s.id]
    if (c === undefined) continue
    const ms = median(c.ms)
    const start = median(c.startInstr)
    const first = median(c.firstInstr)
    const steady = instrOf(r, s.id, COLD_ROUTE.id)
    const m = (v: number): string => (Number.isFinite(v) ? `${(v / 1e6).toFixed(0)}M` : '–')
    const ratio = (a: number, b: number): string =>
      Number.isFinite(a) && Number.isFinite(b) ? x2(a / b) : '–'
    lines.push(
      `| ${s.label} | ${Number.isFinite(ms) ? ms.toFixed(0) : '–'} | ${ratio(ms, ref.ms)} | ${m(
        start
      )} | ${ratio(start, ref.start)} | ${Number.isFinite(first) ? k(first) : '–'} | ${ratio(
        first,
        ref.first
      )} | ${ratio(first, steady)} |`
    )
  }
  lines.push('')
  return lines
}

/** "Peers, as their docs write them": one note per server, from `peers.ts`. */
export function renderPeers(): string[] {
  const lines = [
    '## Peers, as their docs write them',
    '',
    "Every server is reviewed against its own documentation (the pages linked). Route 3 is three hand-written middlewares in each framework's own style; route 4 is the same answer built with what that framework's users install; route 5 (Cycle, Fastify and Hono) adds security headers, CORS, ETag and compression to it, with a JWT. Where a package cannot send route 3's exact answer, the identity check accepts the difference listed (status, media type and the rest of the document must still match).",
    '',
  ]
  for (const note of PEER_NOTES) {
    lines.push(
      `### ${note.name}`,
      '',
      `- ${note.routes}`,
      `- ${note.packages}`,
      ...(note.stack === undefined ? [] : [`- ${note.stack}`]),
      `- Docs: ${note.docs.map((d) => `[${d.title}](${d.url})`).join(', ')}.`
    )
    if (note.accepted.length === 0) {
      lines.push('- Routes 4 and 5 answer like the reference (no accepted difference).')
    } else {
      for (const a of note.accepted) {
        const probe = CHECKS.find((p) => p.id === a.probe)?.label ?? a.probe
        lines.push(`- Accepted on ${probe}: ${a.why}.`)
      }
    }
    lines.push('')
  }
  const missing = SERVERS.slice(1).filter((s) => !PEER_NOTES.some((n) => n.ids.includes(s.id)))
  if (missing.length > 0)
    lines.push(`No note yet for: ${missing.map((s) => label(s.id)).join(', ')}.`, '')
  return lines
}

/**
 * @module
 * In-process fetch handlers, ns per request including building the `Request` and reading the
 * response body: gateway-fetch's `toFetchHandler(app)` vs Hono's `app.fetch`, h3 v2's
 * `app.fetch`, itty-router and a bare `(req) => new Response(…)`. Prints one JSON line.
 */
import { bench, do_not_optimize, run } from 'mitata'
import { BASE_ROUTES as ROUTES } from '../servers'
import { HANDLERS, ORIGIN } from './_fetch-handlers'

// Same bytes from every handler, or the comparison means nothing.
for (const route of ROUTES) {
  let first: string | null = null
  for (const [name, handler] of Object.entries(HANDLERS)) {
    const res = await handler(new Request(ORIGIN + route.path, { headers: route.headers }))
    const body = `${res.status} ${await res.text()}`
    first ??= body
    if (body !== first) throw new Error(`${name} ${route.path}: ${body} differs from ${first}`)
  }
}

// `ONLY=cycle,hono ROUTE=r1 node .out/inproc/fetch.mjs` narrows the run while profiling.
const only = process.env['ONLY']?.split(',')
const onlyRoute = process.env['ROUTE']?.split(',')
for (const route of ROUTES) {
  if (onlyRoute !== undefined && !onlyRoute.includes(route.id)) continue
  for (const [name, handler] of Object.entries(HANDLERS)) {
    if (only !== undefined && !only.includes(name)) continue
    bench(`${name}|${route.id}`, async () => {
      const res = await handler(new Request(ORIGIN + route.path, { headers: route.headers }))
      do_not_optimize(await res.text())
    })
  }
}

const { benchmarks } = await run({ format: 'quiet', throw: true })
const out: Record<string, Record<string, { avg: number; p50: number }>> = {}
for (const b of benchmarks) {
  const stats = b.runs[0]?.stats
  const [name, route] = b.alias.split('|') as [string, string]
  if (stats !== undefined) (out[name] ??= {})[route] = { avg: stats.avg, p50: stats.p50 }
}
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`)

/**
 * @module
 * In-process fetch handlers, ns per request including building the `Request` and reading the
 * response body: gateway-fetch's `toFetchHandler(app)` vs Hono's `app.fetch`, h3 v2's
 * `app.fetch`, itty-router and a bare `(req) => new Response(…)`. Prints one JSON line.
 */
import { toFetchHandler } from '@cycle/gateway-fetch'
import { bench, do_not_optimize, run } from 'mitata'
import { ROUTES } from '../servers'
import { buildCycleApp } from '../servers/_cycle-app'
import { buildH3App } from '../servers/_h3-app'
import { buildHonoApp } from '../servers/_hono-app'
import {
  AUTHORIZATION,
  HELLO,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from '../servers/_shared'
import { buildIttyRouter } from './_itty-app'

type Handler = (request: Request) => Response | Promise<Response>

const TEXT = { 'content-type': 'text/plain; charset=utf-8' }
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }

/** The floor: the same three routes by hand on WHATWG Request/Response. */
const bare: Handler = (req) => {
  const path = new URL(req.url).pathname
  if (path === '/') return new Response(HELLO, { headers: TEXT })
  if (path.startsWith('/users/')) {
    return new Response(JSON.stringify(userOf(Number(path.slice(7)))), { headers: JSON_TYPE })
  }
  const requestId = requestIdOf(req.headers.get(REQUEST_ID))
  if (req.headers.get('authorization') !== AUTHORIZATION) {
    return new Response(UNAUTHORIZED_BODY, {
      status: 401,
      headers: { 'content-type': PROBLEM_TYPE, [REQUEST_ID]: requestId },
    })
  }
  return new Response(JSON.stringify({ data: USER, meta: { requestId } }), {
    headers: { ...JSON_TYPE, [REQUEST_ID]: requestId },
  })
}

const cycle = toFetchHandler(buildCycleApp())
const hono = buildHonoApp()
const h3 = buildH3App()
const itty = buildIttyRouter()

/** Handlers in table order. */
export const HANDLERS: Record<string, Handler> = {
  bare,
  cycle: (req) => cycle(req),
  hono: (req) => hono.fetch(req),
  h3: (req) => h3.fetch(req),
  'itty-router': (req) => itty.fetch(req),
}

const ORIGIN = 'http://127.0.0.1'

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

for (const route of ROUTES) {
  for (const [name, handler] of Object.entries(HANDLERS)) {
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

/**
 * @module
 * Routers on one table (`_github-routes.ts`, 102 GET routes), same process, same run: Cycle's
 * `app.resolve()` (the compiled resolver, plus picking the method's route) vs find-my-way, rou3 (`findRoute` and the compiled `compileRouter`), Hono's
 * RegExpRouter and TrieRouter. Four lookups: a static hit, one parameter, three parameters and
 * a miss. Each router is checked to find the right route (and params) first. Prints one JSON line.
 */
import FindMyWay from 'find-my-way'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { TrieRouter } from 'hono/router/trie-router'
import { bench, do_not_optimize, run } from 'mitata'
import { addRoute, createRouter, findRoute } from 'rou3'
import { compileRouter } from 'rou3/compiler'
import { createApp, path as cyclePath } from '@cycle/core'
import { GITHUB_ROUTES, LOOKUPS } from './_github-routes'

/** `/repos/:owner/:repo` → `repos/<owner>/<repo>` (Django syntax, no leading slash). */
export function toCyclePattern(route: string): string {
  return route.slice(1).replace(/:(\w+)/g, '<$1>')
}

type Lookup = (path: string) => { route: string; params: Record<string, unknown> | null } | null

const app = createApp({ urls: GITHUB_ROUTES.map((r) => cyclePath(toCyclePattern(r), () => r)) })
const fmw = FindMyWay()
const rou = createRouter<string>()
const regexp = new RegExpRouter<string>()
const trie = new TrieRouter<string>()
for (const route of GITHUB_ROUTES) {
  fmw.on('GET', route, () => undefined, { route })
  addRoute(rou, 'GET', route, route)
  regexp.add('GET', route, route)
  trie.add('GET', route, route)
}
const compiled = compileRouter(rou)

/** What each router's own lookup returns, reduced to (route, params) for the correctness check. */
const LOOKUP: Record<string, Lookup> = {
  cycle: (p) => {
    const hit = app.resolve(p)
    return hit === null
      ? null
      : { route: `/${hit.route.pattern.replace(/<(\w+)>/g, ':$1')}`, params: hit.params }
  },
  'find-my-way': (p) => {
    const hit = fmw.find('GET', p)
    return hit === null
      ? null
      : { route: (hit.store as { route: string }).route, params: { ...hit.params } }
  },
  'rou3 compiled': (p) => {
    const hit = compiled('GET', p)
    return hit === undefined ? null : { route: hit.data, params: { ...hit.params } }
  },
  rou3: (p) => {
    const hit = findRoute(rou, 'GET', p)
    return hit === undefined ? null : { route: hit.data, params: { ...hit.params } }
  },
  'hono RegExpRouter': (p) => {
    const hit = regexp.match('GET', p)[0][0]
    return hit === undefined ? null : { route: hit[0], params: null }
  },
  'hono TrieRouter': (p) => {
    const hit = trie.match('GET', p)[0][0]
    return hit === undefined ? null : { route: hit[0], params: null }
  },
}

for (const [name, lookup] of Object.entries(LOOKUP)) {
  for (const l of LOOKUPS) {
    const hit = lookup(l.path)
    const route = hit?.route
    const ok =
      (l.route === null && hit === null) ||
      (route === l.route &&
        (hit?.params === null || JSON.stringify(hit?.params) === JSON.stringify(l.params)))
    if (!ok) throw new Error(`${name} ${l.path}: got ${JSON.stringify(hit)}, want ${l.route}`)
  }
}

// The measured calls: each router's native lookup, nothing added around it.
const CALLS: Record<string, (path: string) => unknown> = {
  cycle: (p) => app.resolve(p),
  'find-my-way': (p) => fmw.find('GET', p),
  'rou3 compiled': (p) => compiled('GET', p),
  rou3: (p) => findRoute(rou, 'GET', p),
  'hono RegExpRouter': (p) => regexp.match('GET', p),
  'hono TrieRouter': (p) => trie.match('GET', p),
}

for (const l of LOOKUPS) {
  for (const [name, call] of Object.entries(CALLS)) {
    const p = l.path
    bench(`${name}|${l.id}`, () => do_not_optimize(call(p)))
  }
}

const { benchmarks } = await run({ format: 'quiet', throw: true })
const out: Record<string, Record<string, { avg: number; p50: number }>> = {}
for (const b of benchmarks) {
  const stats = b.runs[0]?.stats
  const [name, lookup] = b.alias.split('|') as [string, string]
  if (stats !== undefined) (out[name] ??= {})[lookup] = { avg: stats.avg, p50: stats.p50 }
}
process.stdout.write(`RESULT ${JSON.stringify({ routes: GITHUB_ROUTES.length, results: out })}\n`)

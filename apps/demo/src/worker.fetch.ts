/**
 * @module
 * The fetch entry: the same app through `@cycle/gateway-fetch`, for runtimes that speak
 * `fetch(Request) → Response`: Cloudflare Workers (workerd), Deno, Bun.
 *
 * ```sh
 * deno serve --allow-env apps/demo/src/worker.fetch.ts     # Deno (needs the source condition: see README)
 * bun run apps/demo/src/worker.fetch.ts                    # Bun serves `export default { fetch }`
 * ```
 *
 * SQLite through better-sqlite3 is a Node addon, so this entry keeps its data in a `MemoryStore`:
 * notes live as long as the process or isolate. It imports nothing from `node:*`. The app is built
 * on the first request, from the platform's `env` (Workers' bindings) or `process.env`.
 */
import { toFetchHandler, type ExecutionContext, type FetchHandler } from '@cycle/gateway-fetch'
import { createDemoApp, seedDemoUser, type Demo } from './app'
import { loadSettings } from './settings'
import { MemoryStore } from './store/memory'
import type { Store } from './store/types'

type Env = Record<string, string | undefined>

/** String values of the platform's `env` (Workers), else `process.env` (Bun, Deno's Node compat). */
function environment(platformEnv: unknown): Env {
  const out: Env = {}
  const fromProcess = (globalThis as { process?: { env?: Env } }).process?.env
  try {
    for (const [k, v] of Object.entries(fromProcess ?? {})) if (typeof v === 'string') out[k] = v
  } catch {
    // Deno without --allow-env throws on reading the environment: defaults then.
  }
  if (typeof platformEnv === 'object' && platformEnv !== null) {
    for (const [k, v] of Object.entries(platformEnv)) if (typeof v === 'string') out[k] = v
  }
  // A Worker is reachable from the internet: the deliberate 500 is opt-in here.
  out['CYCLE_DEMO_DEBUG_ROUTES'] ??= '0'
  return out
}

/** Options of {@link createFetchDemo}. */
export interface FetchDemoOptions {
  /** Environment variables (`CYCLE_DEMO_*`); default the platform's. */
  env?: Env
  /** Another store (D1, KV…) implementing the interface; default a fresh `MemoryStore`. */
  store?: Store
}

/** The demo behind a fetch handler. */
export interface FetchDemo {
  demo: Demo
  fetch: FetchHandler
}

/**
 * Builds the demo with a fetch handler: seeds the demo user into the store, then wraps the app
 * with `toFetchHandler`.
 *
 * @example
 * ```ts
 * const { fetch } = await createFetchDemo({ env: { CYCLE_DEMO_PASSWORD: 's3cret' } })
 * const res = await fetch(new Request('http://localhost/healthz'))
 * ```
 */
export async function createFetchDemo(options: FetchDemoOptions = {}): Promise<FetchDemo> {
  const settings = loadSettings(options.env ?? environment(undefined))
  const store = options.store ?? new MemoryStore()
  await seedDemoUser(store, settings)
  const demo = createDemoApp({ settings, store, gateway: '@cycle/gateway-fetch' })
  return { demo, fetch: toFetchHandler(demo.app) }
}

let ready: Promise<FetchDemo> | undefined

/** `export default { fetch }`: the shape Workers, `deno serve` and Bun look for. */
export default {
  async fetch(request: Request, env?: unknown, ctx?: ExecutionContext): Promise<Response> {
    ready ??= createFetchDemo({ env: environment(env) })
    let built: FetchDemo
    try {
      built = await ready
    } catch (error) {
      ready = undefined // a bad setting is fixed by redeploying; try again on the next request
      const detail = error instanceof Error ? error.message : String(error)
      return new Response(
        JSON.stringify({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail,
        }),
        { status: 500, headers: { 'content-type': 'application/problem+json' } }
      )
    }
    return built.fetch(request, env, ctx)
  },
}

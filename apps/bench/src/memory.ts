/**
 * @module
 * Memory figures.
 *
 * - **Bytes allocated per request** (routes 2, 3 and 4, every server): the young generation is
 *   made big enough (`--min/--max-semi-space-size=64` MB) that a window of requests triggers no
 *   garbage collection; then the growth of `heapUsed` over the window, divided by its requests,
 *   is what one request allocated on the JS heap. The probe counts collections, and a window that
 *   saw one is retried smaller. One process per server, warmed up on the routes interleaved. (`v8.getHeapStatistics()` has no `total_allocated_bytes` on Node 20, and
 *   `--heap-prof` samples, so it gives no exact per-request figure.)
 * - **Growth** (Cycle, route 2): RSS and heap after a full GC, after warm-up, after 100k and
 *   after 1M keep-alive requests (autocannon with an exact amount).
 */
import autocannon from 'autocannon'
import { inprocBundle } from './build'
import { sendRequests, warmUp } from './client'
import { ROUTES, routesOf, type Probe, type ServerSpec } from './servers'
import { startServer, type Running } from './spawn'

/** What the probe answers. */
export interface MemorySample {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  collections: number
}

function ask(server: Running, message: 'gc' | 'read'): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${server.spec.id}: memory probe did not answer`)),
      30_000
    )
    server.child.once('message', (m) => {
      clearTimeout(timer)
      resolve(m as MemorySample)
    })
    server.child.send(message)
  })
}

const route2 = ROUTES[1] as (typeof ROUTES)[number]

/** Routes whose allocation is measured: JSON, hand-written middlewares, packages, the stack. */
export const MEMORY_ROUTES: readonly Probe[] = ROUTES.slice(1)

/** Bytes allocated on the JS heap per request, by route id (`MEMORY_ROUTES`). */
export async function bytesPerRequest(
  spec: ServerSpec,
  warmup: number,
  window: number
): Promise<Record<string, number>> {
  const server = await startServer(spec, {
    ipc: true,
    nodeFlags: [
      '--expose-gc',
      '--min-semi-space-size=64',
      '--max-semi-space-size=64',
      '--import',
      inprocBundle('probe'),
    ],
  })
  try {
    const routes = routesOf(spec, MEMORY_ROUTES)
    await warmUp(server.port, routes, warmup)
    const out: Record<string, number> = {}
    // Two windows per route, the smaller kept: a one-time allocation (a lazily built table, a
    // socket's buffers) can only add to a window, and read 6% on one route of the raw server.
    for (const route of routes) {
      const first = await measureWindow(server, route, window)
      out[route.id] = Math.min(first, await measureWindow(server, route, window))
    }
    return out
  } finally {
    await server.stop()
  }
}

async function measureWindow(server: Running, route: Probe, window: number): Promise<number> {
  // The route's own short warm-up, on the connection the window uses.
  await sendRequests(server.port, route, 200, 1)
  for (let n = window; n >= 100; n = Math.floor(n / 2)) {
    await ask(server, 'gc')
    // A second read: the forced collections' entries reach the observer late.
    const before = await ask(server, 'read')
    await sendRequests(server.port, route, n, 1)
    const after = await ask(server, 'read')
    if (after.collections === before.collections) return (after.heapUsed - before.heapUsed) / n
  }
  throw new Error(`${server.spec.id}: every ${route.id} window saw a garbage collection`)
}

/** One growth checkpoint. */
export interface GrowthPoint {
  requests: number
  sample: MemorySample
}

/** RSS and heap (after a full GC) at each checkpoint of route-2 requests. */
export async function growth(
  spec: ServerSpec,
  checkpoints: readonly number[],
  warmup: number
): Promise<GrowthPoint[]> {
  const server = await startServer(spec, {
    ipc: true,
    nodeFlags: ['--expose-gc', '--import', inprocBundle('probe')],
  })
  try {
    await sendRequests(server.port, route2, warmup, 4)
    const points: GrowthPoint[] = [{ requests: 0, sample: await ask(server, 'gc') }]
    let done = 0
    for (const target of checkpoints) {
      const result = await autocannon({
        url: `http://127.0.0.1:${server.port}${route2.path}`,
        connections: 10,
        amount: target - done,
        pipelining: 1,
      })
      if (result.errors > 0 || result.non2xx > 0)
        throw new Error(`${spec.id}: errors during the growth run`)
      done = target
      points.push({ requests: target, sample: await ask(server, 'gc') })
    }
    return points
  } finally {
    await server.stop()
  }
}

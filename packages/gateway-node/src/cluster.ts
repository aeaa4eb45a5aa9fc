/**
 * @module
 * `serveCluster(factory, options)`: one server per CPU core with `node:cluster`. The primary
 * forks the workers (re-running the same entry script) and shares the listening socket between
 * them; each worker builds its own app with `factory()` and serves it. Cycle keeps no
 * per-process state, so any worker can answer any request.
 */
import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'
import { ImproperlyConfigured } from '@cycle/core'
import type { GatewayApp } from '@cycle/core/gateway'
import { serve } from './serve'
import { DEFAULTS, type ServeOptions } from './options'

/** Options of {@link serveCluster}: `serve()`'s, plus the worker count. */
export interface ClusterOptions extends ServeOptions {
  /** Number of worker processes. Default: `os.availableParallelism()`. */
  workers?: number
  /** Fork a replacement when a worker dies unexpectedly. Default true. */
  restart?: boolean
}

/** What {@link serveCluster} returns, in the primary and in each worker. */
export interface ClusterHandle {
  /** Whether this is the primary process (which only supervises). */
  readonly isPrimary: boolean
  /** The shared address (`http://127.0.0.1:3000`). */
  readonly url: string
  /** The shared port. */
  readonly port: number
  /** In the primary: the current workers' process ids. Empty in a worker. */
  readonly workers: readonly number[]
  /** Primary: shuts every worker down gracefully. Worker: closes this worker's server. */
  close(): Promise<void>
}

const CLOSE_MESSAGE = 'cycle:close'

/**
 * Serves the app on every core. Call it at the top level of the entry script: the primary and
 * the workers all run that script, and the call does the right thing in each.
 *
 * @param factory builds the app (runs in each worker, never in the primary)
 * @param options `serve()` options plus `workers` and `restart`
 * @returns the primary's or the worker's handle
 * @example
 * ```ts
 * // server.ts
 * import { serveCluster } from '@cycle/gateway-node'
 * const handle = await serveCluster(() => createApp({ urls }), { port: 3000, handleSignals: true })
 * if (handle.isPrimary) console.log(`${handle.workers.length} workers on ${handle.url}`)
 * ```
 */
export async function serveCluster(
  factory: () => GatewayApp | Promise<GatewayApp>,
  options: ClusterOptions = {}
): Promise<ClusterHandle> {
  if (typeof factory !== 'function') {
    throw new TypeError(
      'serveCluster(factory) needs a function that builds the app in each worker.'
    )
  }
  const { workers, restart, ...serveOptions } = options
  if (!cluster.isPrimary) return runWorker(factory, serveOptions)
  const count = workers ?? availableParallelism()
  if (!Number.isInteger(count) || count < 1) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `workers must be a positive integer, got ${String(count)}.`
    )
  }
  return runPrimary(count, restart !== false, serveOptions)
}

async function runWorker(
  factory: () => GatewayApp | Promise<GatewayApp>,
  options: ServeOptions
): Promise<ClusterHandle> {
  const app = await factory()
  const server = await serve(app, options)
  const close = async (): Promise<void> => {
    await server.close()
    // Closing the IPC channel lets the worker exit once the app released its resources.
    if (cluster.worker?.isConnected()) cluster.worker.disconnect()
  }
  process.on('message', (message) => {
    if (message === CLOSE_MESSAGE) close().catch((error: unknown) => console.error(error))
  })
  return { isPrimary: false, url: server.url, port: server.port, workers: [], close }
}

async function runPrimary(
  count: number,
  restart: boolean,
  options: ServeOptions
): Promise<ClusterHandle> {
  const live = new Set<Worker>()
  let closing = false
  let address: { url: string; port: number } | undefined

  const fork = (): Worker => {
    const worker = cluster.fork()
    live.add(worker)
    worker.once('exit', () => {
      live.delete(worker)
      // Only replace workers that had come up: a worker failing at startup would loop forever.
      if (!closing && restart && address !== undefined && worker.exitedAfterDisconnect !== true)
        fork()
    })
    return worker
  }

  const started = Array.from({ length: count }, () => {
    const worker = fork()
    return new Promise<{ port: number; address: string }>((resolve, reject) => {
      worker.once('listening', (info) =>
        resolve({ port: info.port, address: String(info.address ?? '') })
      )
      worker.once('exit', (code) =>
        reject(new Error(`A cluster worker exited with code ${code} before it listened.`))
      )
    })
  })
  let first: { port: number; address: string }
  try {
    ;[first] = (await Promise.all(started)) as [{ port: number; address: string }]
  } catch (error) {
    closing = true
    for (const worker of live) worker.kill()
    throw error
  }
  const host = options.hostname ?? DEFAULTS.hostname
  const scheme = options.https || options.http2 ? 'https' : 'http'
  address = {
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${first.port}`,
    port: first.port,
  }

  const deadline = (options.shutdownTimeout ?? DEFAULTS.shutdownTimeout) + 5_000
  let running: Promise<void> | undefined
  const stopWorker = (worker: Worker): Promise<void> =>
    new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve()
      // The worker gets its own graceful deadline; past ours (with a margin) it is killed.
      const timer = setTimeout(() => worker.kill('SIGKILL'), deadline)
      worker.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      if (worker.isConnected()) worker.send(CLOSE_MESSAGE)
      else worker.kill()
    })
  const close = (): Promise<void> => {
    closing = true
    return (running ??= Promise.all([...live].map(stopWorker)).then(() => undefined))
  }

  if (options.handleSignals === true) {
    const onSignal = (): void => void close()
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  }
  options.signal?.addEventListener('abort', () => void close(), { once: true })
  return {
    isPrimary: true,
    url: address.url,
    port: address.port,
    get workers() {
      return [...live].map((w) => w.process.pid as number)
    },
    close,
  }
}

/**
 * @module
 * The demo on Node through `@cycle/gateway-node`: opens the store (SQLite by default, its file
 * created with its directory on first run), seeds the demo user and serves the app. Used by
 * `server.node.ts` and by the end-to-end tests, which serve on `127.0.0.1:0` over a temp directory.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve, type ServerHandle } from '@cycle/gateway-node'
import { createDemoApp, seedDemoUser, type Demo } from './app'
import type { AccessLogRecord } from '@cycle/middleware-observe'
import type { Settings } from './settings'
import { MemoryStore } from './store/memory'
import { SqliteStore } from './store/sqlite'
import type { Store } from './store/types'

/** `apps/demo/.data`, the default data directory (gitignored). */
export const DEFAULT_DATA_DIR: string = fileURLToPath(new URL('../.data', import.meta.url))

/** The SQLite file inside a data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'demo.sqlite')
}

/** A running demo. */
export interface NodeDemo {
  demo: Demo
  server: ServerHandle
  /** `http://127.0.0.1:3000`, without a trailing slash. */
  url: string
  /** Where the data lives (`null` for the memory store). */
  databaseFile: string | null
  /** Ends the inspector streams, closes the server gracefully, then the store. */
  close(): Promise<void>
}

/** Options of {@link startNodeDemo}. */
export interface StartOptions {
  /** Access log sink (default `console.log`). */
  log?: (record: AccessLogRecord) => void
  /** Aborting it shuts the server down (the entry wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal
}

function openStore(settings: Settings): { store: Store; file: string | null } {
  if (settings.store === 'memory') return { store: new MemoryStore(), file: null }
  const file = databaseFile(settings.dataDir ?? DEFAULT_DATA_DIR)
  return { store: SqliteStore.open(file), file }
}

/**
 * Opens the store, seeds the demo user and serves the demo.
 *
 * @example
 * ```ts
 * const running = await startNodeDemo(loadSettings({ PORT: '0', CYCLE_DEMO_DATA: tmp }))
 * await fetch(`${running.url}/healthz`)
 * await running.close()
 * ```
 */
export async function startNodeDemo(
  settings: Settings,
  options: StartOptions = {}
): Promise<NodeDemo> {
  const { store, file } = openStore(settings)
  let server: ServerHandle
  let demo: Demo
  try {
    await seedDemoUser(store, settings)
    demo = createDemoApp({ settings, store, gateway: '@cycle/gateway-node', log: options.log })
    // Shutdown hooks run after in-flight requests finished: the store closes last.
    demo.app.onClose(() => store.close())
    server = await serve(demo.app, {
      port: settings.port,
      hostname: settings.host,
      signal: options.signal,
    })
  } catch (error) {
    await store.close()
    throw error
  }
  // SSE streams would hold a graceful shutdown until its deadline: end them first.
  options.signal?.addEventListener('abort', () => demo.feed.close(), { once: true })
  return {
    demo,
    server,
    url: server.url.replace(/\/$/, ''),
    databaseFile: file,
    async close() {
      demo.feed.close()
      await server.close()
    },
  }
}

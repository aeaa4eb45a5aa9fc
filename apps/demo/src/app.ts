/**
 * @module
 * `createDemoApp()`: the whole demo over a given store, shared by both entries (gateway-node in
 * `server.node.ts`, the fetch gateway in `worker.fetch.ts`) and by the tests.
 */
import { createApp, type App } from '@cycle/core'
import type { DemoContext } from './context'
import { InspectorFeed } from './inspector/feed'
import { hashPassword, verifyPassword } from './passwords'
import { middlewareStack, type MiddlewareDeps, type Settings, type State } from './settings'
import type { Store, UserRecord } from './store/types'
import { demoUrls, INSPECTOR_ROUTES } from './urls'

/** Options of {@link createDemoApp}. */
export interface DemoOptions {
  settings: Settings
  store: Store
  /** Shown in the inspector as the gateway of each request. */
  gateway: string
  /** Access log sink (default `console.log`). */
  log?: MiddlewareDeps['log']
}

/** The app and what the entries need around it. */
export interface Demo {
  app: App<State>
  feed: InspectorFeed
  store: Store
  settings: Settings
  /** The first SSE event: the stack the inspector draws. */
  hello(): InspectorHello
}

/** One global middleware and the phases it has hooks for. */
export interface StackEntry {
  name: string
  hooks: ('request' | 'view' | 'render' | 'exception' | 'response')[]
}

/** What the inspector page learns when it connects. */
export interface InspectorHello {
  gateway: string
  store: Store['kind']
  demoUser: string
  debugRoutes: boolean
  /** Global middlewares, outermost first. */
  middleware: StackEntry[]
}

const PHASES = ['request', 'view', 'render', 'exception', 'response'] as const

function describeStack(list: readonly object[]): StackEntry[] {
  return list.map((m, i) => {
    const hooks = m as Record<string, unknown>
    return {
      name: typeof hooks['name'] === 'string' ? hooks['name'] : `middleware#${i}`,
      hooks: PHASES.filter((p) => typeof hooks[p] === 'function'),
    }
  })
}

/**
 * Builds the demo app over `store`. Tracing is on: every request's phases land in
 * `request.trace`, which the inspector draws.
 *
 * @example
 * ```ts
 * const demo = createDemoApp({ settings: loadSettings({}), store: new MemoryStore(), gateway: 'test' })
 * await seedDemoUser(demo.store, demo.settings)
 * const res = await demo.app.fetch(new Request('http://localhost/healthz'))
 * ```
 */
export function createDemoApp(options: DemoOptions): Demo {
  const { settings, store, gateway } = options
  const isInspector = (name: string | undefined): boolean =>
    name !== undefined && INSPECTOR_ROUTES.has(name)
  const feed = new InspectorFeed({
    gateway,
    exclude: (request) => isInspector(request.route?.qualifiedName),
  })
  let dummy: Promise<string> | undefined
  let app: App<State> | undefined
  const ctx: DemoContext = {
    settings,
    store,
    feed,
    reverse: (name, params) => (app as App<State>).reverse(name, params),
    dummyHash: () => (dummy ??= hashPassword('not a password', settings.passwordIterations)),
  }
  const middleware = middlewareStack(settings, {
    store,
    log: options.log,
    // The page and its event stream would drown the log. Matched by path: the log's request
    // hook runs before URL resolution.
    skipLog: (method, path) => method === 'GET' && (path === '/' || path === '/inspector/events'),
  })
  const hello = (): InspectorHello => ({
    gateway,
    store: store.kind,
    demoUser: settings.demoUser,
    debugRoutes: settings.debugRoutes,
    middleware: describeStack(middleware),
  })
  app = createApp({
    middleware,
    urls: demoUrls(ctx, hello),
    allowedHosts: settings.allowedHosts,
    debug: settings.debug,
    trace: true,
  })
  feed.attach(app)
  // The access log learns each request's error from the app's events (observe's README).
  middleware[0].attach(app)
  app.onClose(() => feed.close())
  return { app, feed, store, settings, hello }
}

/**
 * Makes sure the demo user exists with the configured password: created on first run, its hash
 * replaced when `CYCLE_DEMO_PASSWORD` changed since. Returns the user.
 */
export async function seedDemoUser(store: Store, settings: Settings): Promise<UserRecord> {
  const existing = await store.findUserByUsername(settings.demoUser)
  if (existing === null) {
    return store.createUser(
      settings.demoUser,
      await hashPassword(settings.demoPassword, settings.passwordIterations)
    )
  }
  if (!(await verifyPassword(settings.demoPassword, existing.passwordHash))) {
    await store.setPassword(
      existing.id,
      await hashPassword(settings.demoPassword, settings.passwordIterations)
    )
  }
  return existing
}

/**
 * @module
 * `createApp()`: compiles the URL conf and the middleware list once (Django's `load_middleware`)
 * and hands gateways a single `handle(request)` entry point.
 */
import { ImproperlyConfigured } from './codes'
import { BadRequest } from './errors'
import { responseForError } from './exception-response'
import { HOOKS, toLayer, type Layer } from './layer'
import type { CheckNeeds, ErrorHandler, Middleware, StateOf } from './middleware'
import { Pipeline } from './pipeline'
import { bareProblem, renderDefault } from './render'
import { DEFAULT_BODY_LIMIT, bindUrls, type CycleRequest } from './request'
import { CycleResponse } from './response'
import { serverTiming, traceLayer } from './trace'
import { hostAllowed, normalizeHost } from './hosts'
import { compileJsonOptions, type JsonOptions } from './json'
import { Resolver, type ResolvedRoute, type RouteInfo, type UrlEntry } from './urls/resolver'
import type { ReverseArgsOf, RouteNames } from './urls/types'
import { WebRequest, type WebRequestInit } from './web-request'

/** Options of {@link createApp}. */
export interface AppOptions<
  M extends readonly Middleware[] = readonly Middleware[],
  U extends readonly UrlEntry[] = readonly UrlEntry[],
> {
  /** The root URL conf: `path()` and `include()` entries. */
  urls: U
  /**
   * Middlewares, outermost first (Django's `MIDDLEWARE`). Given as a list literal, it is checked:
   * a middleware that needs state (`defineMiddleware<Adds, Needs>`) no middleware before it adds
   * is a type error naming the missing key.
   */
  middleware?: CheckNeeds<M>
  /**
   * Host names this app serves (Django's `ALLOWED_HOSTS`): exact names, `.example.com` for a
   * domain and its subdomains, or `*`. A request with another `Host` gets a 400 before any user
   * code runs. Default `['*']`; a malformed `Host` is refused even then.
   */
  allowedHosts?: readonly string[]
  /** Debug mode: error responses carry the stack, the patterns tried and the middleware path. */
  debug?: boolean
  /** Redirect GET/HEAD misses to the same path with a trailing slash when that matches. Default true. */
  appendSlash?: boolean
  /** Default body size limit in bytes (routes may override). Default 1 MiB. */
  bodyLimit?: number
  /**
   * How `request.json()` treats prototype-poisoning keys (`__proto__`, `constructor.prototype`,
   * in any spelling): `{ protoAction: 'error' }` (default) refuses the body with a 400,
   * `'remove'` deletes them.
   */
  json?: JsonOptions
  /** Record each phase's timing on `request.trace`. Default false (and then free). */
  trace?: boolean
  /** With `trace`, send the timings as a `Server-Timing` header. */
  serverTiming?: boolean
  /** Last-resort error handler (after the URL tree's own handlers). */
  errorHandler?: ErrorHandler
}

/** Events observers can subscribe to with `app.on()`. */
export interface AppEvents {
  /** A request entered the app. */
  requestStarted: (request: CycleRequest) => void
  /** The final response is ready (after every response hook). */
  requestFinished: (request: CycleRequest, response: CycleResponse) => void
  /** Something was thrown during the cycle (handled or not). */
  requestException: (request: CycleRequest, error: unknown) => void
}

type Listeners = { [K in keyof AppEvents]: AppEvents[K][] }

/**
 * A compiled Cycle app. Gateways call {@link App.handle}; tests and fetch platforms can call
 * {@link App.fetch} directly.
 */
export class App<S extends object = object, U extends readonly UrlEntry[] = readonly UrlEntry[]> {
  /** The options the app was created with. */
  readonly options: Readonly<AppOptions>
  readonly #resolver: Resolver<U>
  /** What each request is bound to: `request.reverse()` and `request.json()`'s options. */
  readonly #binding: Parameters<typeof bindUrls>[1]
  readonly #pipeline: Pipeline
  readonly #layers: readonly Layer[]
  readonly #listeners: Listeners = { requestStarted: [], requestFinished: [], requestException: [] }
  readonly #allowed: readonly string[] | null
  readonly #bodyLimit: number
  readonly #trace: boolean
  readonly #closers: (() => unknown)[] = []
  #goodHost: string | undefined = undefined
  /** Phantom: the typed state of this app's requests. */
  declare readonly '~state': S

  constructor(options: AppOptions<readonly Middleware[], U>) {
    if (!options || !Array.isArray(options.urls)) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', 'createApp() needs { urls: [...] } (a list of path()/include()).')
    }
    if (options.bodyLimit !== undefined && !(options.bodyLimit >= 0)) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `bodyLimit must be a number of bytes ≥ 0, got ${options.bodyLimit}.`)
    }
    this.options = options as AppOptions
    this.#trace = options.trace === true
    const layers = (options.middleware ?? []).map((m, i) => toLayer(m, i))
    this.#layers = this.#trace ? layers.map(traceLayer) : layers
    const allowed = options.allowedHosts ?? ['*']
    this.#allowed = allowed.includes('*') ? null : allowed.map((h) => h.toLowerCase())
    this.#bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
    const resolver = new Resolver<U>(options.urls, { appendSlash: options.appendSlash ?? true })
    this.#resolver = resolver
    const json = { protoAction: compileJsonOptions(options.json) }
    this.#binding = {
      reverse: (name, params, query) => (resolver as unknown as Resolver).reverse(name, params, query),
      json,
    }
    this.#pipeline = new Pipeline(
      this.#layers,
      {
        resolver: resolver as unknown as Resolver,
        debug: options.debug === true,
        errorHandler: options.errorHandler,
        trace: this.#trace,
        wrap: this.#trace ? traceLayer : undefined,
        report: (req, error) => this.reportException(req, error),
      },
      resolver.compiledRoutes()
    )
  }

  /**
   * Runs a request through the cycle. Returns synchronously when every hook and the view did;
   * never rejects: every failure is already a response.
   */
  handle(request: CycleRequest): CycleResponse | Promise<CycleResponse> {
    const host = request.host
    // Keep-alive clients send the same Host on every request: remember the last good one.
    if (host !== this.#goodHost && (host !== '' || this.#allowed !== null)) {
      const bad = this.#checkHost(host === '' ? null : host)
      if (bad !== null) return this.#finish(request, responseForError(request, bad, false))
      this.#goodHost = host
    }
    if (this.options.bodyLimit !== undefined) request.bodyLimit = this.#bodyLimit
    bindUrls(request, this.#binding)
    if (this.#trace) {
      request.trace = []
      request.traceStart = performance.now()
    }
    const started = this.#listeners.requestStarted
    if (started.length !== 0) for (const fn of started) safeCall(() => fn(request))
    const r = this.#pipeline.run(request)
    if (r instanceof CycleResponse) return this.#finish(request, r)
    return r.then((res) => this.#finish(request, res))
  }

  /**
   * Answers a WHATWG `Request` in process (no socket): for tests, Workers, Deno, Bun.
   *
   * @example
   * ```ts
   * const res = await app.fetch(new Request('http://localhost/notes/'))
   * ```
   */
  async fetch(request: Request, init?: WebRequestInit): Promise<Response> {
    const res = await this.handle(new WebRequest(request, init))
    return res.toResponse(request.method === 'HEAD')
  }

  /**
   * Builds the URL of a named route (Django's `reverse()`).
   *
   * @example
   * ```ts
   * app.reverse('api:notes:detail', { id }) // '/api/notes/4f0c…/'
   * ```
   */
  reverse<N extends RouteNames<U>>(name: N, ...args: ReverseArgsOf<U, N>): string {
    return this.#resolver.reverse(name, ...args)
  }

  /**
   * What a request for `path` would resolve to, without running anything (Django's `resolve()`):
   * the route answering `method` and its converted parameters, or `null` when no route matches
   * the path or none answers the method.
   *
   * @param path the decoded path, with its leading slash (`/api/notes/7/`)
   * @param method default `GET`
   * @example
   * ```ts
   * app.resolve('/api/notes/7/') // { route: { qualifiedName: 'api:notes:detail', … }, params: { id: 7 } }
   * ```
   */
  resolve(path: string, method = 'GET'): ResolvedRoute | null {
    return this.#resolver.resolve(path, method === 'GET' ? method : method.toUpperCase())
  }

  /** Every route, in declaration order, with its name and the methods it answers. */
  routes(): readonly RouteInfo[] {
    return this.#resolver.routes()
  }

  /**
   * Tells the `requestException` listeners about an error. Core calls it once for every error
   * thrown during the cycle (handled or not); gateways call it for what fails after the cycle (a
   * response stream that breaks, a write that fails), so every error reaches the listeners once.
   */
  reportException(request: CycleRequest, error: unknown): void {
    for (const fn of this.#listeners.requestException) safeCall(() => fn(request, error))
  }

  /** Subscribes to an event; returns an unsubscribe function. Listener errors are swallowed. */
  on<K extends keyof AppEvents>(event: K, listener: AppEvents[K]): () => void {
    const list = this.#listeners[event] as AppEvents[K][]
    if (!list) throw new ImproperlyConfigured('ERR_BAD_OPTION', `Unknown event "${String(event)}".`)
    list.push(listener)
    return () => {
      const i = list.indexOf(listener)
      if (i !== -1) list.splice(i, 1)
    }
  }

  /** Registers a shutdown hook; gateways run them (last registered first) on `close()`. */
  onClose(hook: () => unknown): void {
    this.#closers.push(hook)
  }

  /** Runs the shutdown hooks. Errors are collected and rethrown together at the end. */
  async close(): Promise<void> {
    const errors: unknown[] = []
    while (this.#closers.length) {
      const hook = this.#closers.pop() as () => unknown
      try {
        await hook()
      } catch (e) {
        errors.push(e)
      }
    }
    if (errors.length) throw new AggregateError(errors, 'Some shutdown hooks failed.')
  }

  /**
   * A printable description: each middleware under the phases it has hooks for (an onion
   * surrounds everything after it), and the routes with the methods they really answer.
   */
  describe(): string {
    const onions = this.#layers.filter((l) => l.onion !== null).map((l) => l.name)
    const lines = ['Middleware']
    if (onions.length) lines.push(`  around    ${onions.join(' → ')}`)
    for (const phase of HOOKS) {
      const list = this.#layers.filter((l) => l[phase] !== undefined).map((l) => l.name)
      if (phase === 'render' || phase === 'exception' || phase === 'response') list.reverse()
      lines.push(`  ${phase.padEnd(9)} ${list.length ? list.join(' → ') : '(none)'}`)
    }
    lines.push('Routes')
    const routes = this.#resolver.routes()
    const width = Math.max(8, ...routes.map((r) => r.pattern.length + 1))
    for (const r of routes) {
      const mw = r.middleware.length ? `  [${r.middleware.join(', ')}]` : ''
      const methods = r.answers.join(',')
      lines.push(`  ${methods.padEnd(24)} /${r.pattern.padEnd(width)} ${r.name ?? ''}${mw}`.trimEnd())
    }
    return lines.join('\n')
  }

  #checkHost(host: string | null): BadRequest | null {
    const name = host === null ? null : normalizeHost(host)
    if (name === null) {
      return new BadRequest(host === null ? 'The request has no Host header.' : 'The Host header is malformed.')
    }
    if (this.#allowed !== null && !hostAllowed(name, this.#allowed)) {
      return new BadRequest(`Invalid Host header: ${JSON.stringify(name)} is not in allowedHosts.`)
    }
    return null
  }

  #finish(request: CycleRequest, res: CycleResponse): CycleResponse {
    // A response hook assigned new `data`: render it now (no render hook: those ran already).
    if (res.body === undefined) res = this.#renderLate(request, res)
    if (this.#trace && this.options.serverTiming && request.trace) {
      res.headers.set('server-timing', serverTiming(request.trace))
    }
    const finished = this.#listeners.requestFinished
    if (finished.length !== 0) for (const fn of finished) safeCall(() => fn(request, res))
    return res
  }

  #renderLate(request: CycleRequest, res: CycleResponse): CycleResponse {
    try {
      renderDefault(request, res)
      return res
    } catch (error) {
      this.reportException(request, error)
      const fallback = this.#pipeline.errorResponse(request, error)
      try {
        renderDefault(request, fallback)
        return fallback
      } catch (again) {
        this.reportException(request, again)
        return bareProblem()
      }
    }
  }
}

function safeCall(fn: () => unknown): void {
  try {
    fn()
  } catch {
    // Observers must never break the cycle.
  }
}

/**
 * Registry for the typed `request.reverse()`: augment it with your root URL conf.
 *
 * @example
 * ```ts
 * declare module '@cycle/core' {
 *   interface Register { urls: typeof urls }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

/** The registered URL conf, or the loose one. */
export type RegisteredUrls = Register extends { urls: infer R extends readonly UrlEntry[] }
  ? R
  : readonly UrlEntry[]

/**
 * Creates an app from a URL conf and a middleware list.
 *
 * @example
 * ```ts
 * const app = createApp({
 *   middleware: [requestId, auth],
 *   urls: [path('', home, { name: 'home' }), include('api/', apiUrls, { namespace: 'api' })],
 *   allowedHosts: ['localhost', '127.0.0.1'],
 * })
 * ```
 */
export function createApp<
  const M extends readonly Middleware[],
  const U extends readonly UrlEntry[],
>(options: AppOptions<M, U>): App<StateOf<M>, U> {
  return new App<StateOf<M>, U>(options as AppOptions<readonly Middleware[], U>)
}

/**
 * @module
 * `createApp()`: compiles the URL conf and the middleware list once (Django's `load_middleware`)
 * and hands gateways a single `handle(request)` entry point.
 */
import { ImproperlyConfigured } from './codes'
import { BadRequest, InternalServerError } from './errors'
import { responseForError } from './exception-response'
import type { CheckNeeds, ErrorHandler, Middleware, StateOf } from './middleware'
import { Pipeline, toLayer, type Layer } from './pipeline'
import { DEFAULT_BODY_LIMIT, type CycleRequest } from './request'
import { CycleResponse, serializeData } from './response'
import { ResponseShapeError, serializerFor } from './serializer'
import { serverTiming, traceLayer } from './trace'
import { Resolver, type UrlEntry } from './urls/resolver'
import type { ReverseArgsOf, ReverseQuery, RouteNames } from './urls/types'
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

const HOST_RE = /^(?:[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/

/** Strips the port and lower-cases a Host header value; `null` when malformed. */
export function normalizeHost(host: string): string | null {
  const h = host.toLowerCase()
  if (!HOST_RE.test(h)) return null
  if (h.charCodeAt(0) === 91 /* [ */) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  const name = colon === -1 ? h : h.slice(0, colon)
  return name.endsWith('.') ? name.slice(0, -1) : name
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const pattern of allowed) {
    if (pattern === '*' || pattern === host) return true
    if (pattern.startsWith('.') && (host === pattern.slice(1) || host.endsWith(pattern))) return true
  }
  return false
}

/**
 * A compiled Cycle app. Gateways call {@link App.handle}; tests and fetch platforms can call
 * {@link App.fetch} directly.
 */
export class App<S extends object = object, U extends readonly UrlEntry[] = readonly UrlEntry[]> {
  /** The compiled URL resolver. */
  readonly resolver: Resolver<U>
  /** The options the app was created with. */
  readonly options: Readonly<AppOptions>
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
    this.resolver = new Resolver<U>(options.urls, { appendSlash: options.appendSlash ?? true })
    const exceptionListeners = this.#listeners.requestException
    this.#pipeline = new Pipeline(this.#layers, {
      resolver: this.resolver,
      debug: options.debug === true,
      errorHandler: options.errorHandler,
      trace: this.#trace,
      wrap: this.#trace ? traceLayer : undefined,
      onException: (req, error) => {
        for (const fn of exceptionListeners) safeCall(() => fn(req, error))
      },
    })
    current = this.resolver as unknown as Resolver
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
    return this.resolver.reverse(name, ...args)
  }

  /**
   * Reports an error that happened outside the cycle (a gateway failing to write a response, a
   * stream breaking mid-way) to the `requestException` listeners.
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

  /** A printable description: middlewares per phase and the route table. */
  describe(): string {
    const names = (phase: 'request' | 'view' | 'exception' | 'response'): string => {
      const list = this.#layers.filter((l) => l[phase] !== undefined || l.onion !== null).map((l) => l.name)
      if (phase === 'exception' || phase === 'response') list.reverse()
      return list.length ? list.join(' → ') : '(none)'
    }
    const lines = [
      'Middleware',
      `  request   ${names('request')}`,
      `  view      ${names('view')}`,
      `  exception ${names('exception')}`,
      `  response  ${names('response')}`,
      'Routes',
    ]
    const routes = this.resolver.routes()
    const width = Math.max(8, ...routes.map((r) => r.pattern.length + 1))
    for (const r of routes) {
      const methods = (r.methods ?? ['*']).join(',')
      const mw = r.middleware.length ? `  [${r.middleware.join(', ')}]` : ''
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
    if (res.body === undefined) {
      try {
        serializeData(res, serializerFor(request, res.status))
      } catch (error) {
        const err = new InternalServerError(
          error instanceof ResponseShapeError
            ? 'The response data does not match the route\'s response schema.'
            : 'The response data could not be serialized as JSON.',
          { cause: error }
        )
        for (const fn of this.#listeners.requestException) safeCall(() => fn(request, err))
        const status = res.status
        res = responseForError(request, err, this.options.debug === true)
        serializeData(res)
        res.headers.set('x-cycle-original-status', String(status))
      }
    }
    if (this.#trace && this.options.serverTiming && request.trace) {
      res.headers.set('server-timing', serverTiming(request.trace))
    }
    const finished = this.#listeners.requestFinished
    if (finished.length !== 0) for (const fn of finished) safeCall(() => fn(request, res))
    return res
  }
}

function safeCall(fn: () => unknown): void {
  try {
    fn()
  } catch {
    // Observers must never break the cycle.
  }
}

let current: Resolver | undefined

/**
 * Registry for the typed top-level {@link reverse}: augment it with your root URL conf.
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
 * Builds the URL of a named route using the most recently created app's URL conf (Django's global
 * `reverse`). Type-checked once {@link Register} is augmented. With several apps in one process,
 * call `app.reverse()` instead.
 */
export function reverse<N extends RouteNames<RegisteredUrls>>(
  name: N,
  ...args: ReverseArgsOf<RegisteredUrls, N>
): string {
  if (current === undefined) {
    throw new ImproperlyConfigured(
      'ERR_NO_REVERSE_MATCH',
      'reverse() was called before createApp(); no URL conf is loaded.'
    )
  }
  const [params, query] = args as [Record<string, unknown> | undefined, ReverseQuery | undefined]
  return current.reverse(name, params, query)
}

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

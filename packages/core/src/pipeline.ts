/**
 * @module
 * The cycle engine (Django's `BaseHandler`). Middlewares are compiled once into flat arrays; a
 * request walks them by index, so the pipeline allocates no closure per request and stays
 * synchronous as long as every hook and the view are synchronous.
 *
 * Order (middlewares A, B, C):
 *   A.request B.request C.request · resolve · A.view B.view C.view · [route middleware] · view
 *   · C.response B.response A.response
 * On failure, exception hooks run in reverse from the middleware that failed (or from the last
 * one, for view-phase failures); the first to answer wins, otherwise core converts the error.
 * Response hooks run in reverse for every middleware that was entered, except one whose request
 * hook itself failed. See docs/lifecycle.md.
 */
import { ImproperlyConfigured } from './codes'
import { HttpError, MethodNotAllowed, NotFound } from './errors'
import type { Middleware, HookMiddleware, OnionMiddleware, ErrorHandler } from './middleware'
import { middlewareName } from './middleware'
import type { CycleRequest } from './request'
import { CycleResponse, JSON_TYPE, redirect } from './response'
import { responseForError } from './exception-response'
import { record, traced } from './trace'

const VIEW_OUTCOMES = ['returned nothing', 'returned'] as const
import type { CompiledRoute, Endpoint, Resolver } from './urls/resolver'

/** A middleware normalized at startup. */
export interface Layer {
  name: string
  hooks: HookMiddleware | null
  onion: OnionMiddleware | null
  request: HookMiddleware['request']
  view: HookMiddleware['view']
  exception: HookMiddleware['exception']
  response: HookMiddleware['response']
}

/** Normalizes a middleware, validating its shape eagerly. */
export function toLayer(m: Middleware, index: number): Layer {
  if (typeof m === 'function') {
    return {
      name: middlewareName(m, index),
      hooks: null,
      onion: m,
      request: undefined,
      view: undefined,
      exception: undefined,
      response: undefined,
    }
  }
  if (typeof m !== 'object' || m === null) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `Middleware #${index} is ${m === null ? 'null' : typeof m}; expected a function (request, next) or an object of hooks.`
    )
  }
  const hooks = ['request', 'view', 'exception', 'response'] as const
  for (const h of hooks) {
    if (m[h] !== undefined && typeof m[h] !== 'function') {
      throw new ImproperlyConfigured(
        'ERR_BAD_MIDDLEWARE',
        `Middleware "${middlewareName(m, index)}" has a "${h}" that is not a function.`
      )
    }
  }
  if (!hooks.some((h) => m[h] !== undefined)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `Middleware "${middlewareName(m, index)}" has no hook; give it request, view, exception or response.`
    )
  }
  return {
    name: middlewareName(m, index),
    hooks: m,
    onion: null,
    request: m.request,
    view: m.view,
    exception: m.exception,
    response: m.response,
  }
}

type Result = CycleResponse | Promise<CycleResponse>
type Chain = readonly Layer[]

/** What the pipeline needs from the app. */
export interface PipelineOptions {
  /** The compiled URL conf; it also knows the APPEND_SLASH setting. */
  resolver: Resolver
  debug: boolean
  errorHandler: ErrorHandler | undefined
  onException: ((request: CycleRequest, error: unknown) => void) | undefined
  /** Record resolution and the view on `request.trace`. */
  trace: boolean
  /** Applied to route-scoped layers (tracing). */
  wrap: ((layer: Layer) => Layer) | undefined
}

/** A compiled route with its full layer chain (global ++ route-scoped) cached on first use. */
type RoutedChain = CompiledRoute & { _chain?: Chain }

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
}

/** The global `Response`, looked up once: on node it is a lazy getter, a call per read. */
let WebResponse: typeof Response | null | undefined

function isWebResponse(v: object): v is Response {
  if (WebResponse === undefined) WebResponse = typeof Response === 'function' ? Response : null
  return WebResponse !== null && v instanceof WebResponse
}

/** Turns a hook's return value into a response (or throws a clear error). */
function toResponse(v: unknown, who: string): CycleResponse {
  if (v instanceof CycleResponse || CycleResponse.isCycleResponse(v)) return v
  if (typeof v === 'object' && v !== null && isWebResponse(v)) return CycleResponse.fromResponse(v)
  throw new ImproperlyConfigured(
    'ERR_MIDDLEWARE_RETURNED_NOTHING',
    `${who} returned ${v === null ? 'null' : typeof v}; hooks must return a response (CycleResponse or Response) or nothing.`
  )
}

/** Turns a view's return value into a response: plain data becomes JSON. */
export function viewResponse(v: unknown, route: CompiledRoute): CycleResponse {
  if (v instanceof CycleResponse) return v
  if (v === undefined) {
    throw new ImproperlyConfigured(
      'ERR_VIEW_RETURNED_NOTHING',
      `The view for "${route.qualifiedName ?? route.pattern}" didn't return a response. Did you forget to return?`
    )
  }
  if (typeof v === 'object' && v !== null) {
    if (CycleResponse.isCycleResponse(v)) return v
    if (isWebResponse(v)) return CycleResponse.fromResponse(v)
  }
  const res = new CycleResponse(null)
  res.body = undefined
  res.headers._map['content-type'] = JSON_TYPE
  res.data = v
  return res
}

/** The compiled cycle. */
export class Pipeline {
  readonly layers: Chain
  readonly #o: PipelineOptions
  readonly #n: number

  constructor(layers: Chain, options: PipelineOptions) {
    this.layers = layers
    this.#o = options
    this.#n = layers.length
  }

  /** Runs one request through the whole cycle. Never throws; always answers. */
  run(req: CycleRequest): Result {
    return this.#enter(req, 0, 0)
  }

  // ── request phase ────────────────────────────────────────────────────────────
  #enter(req: CycleRequest, i: number, floor: number): Result {
    const chain = this.layers
    for (; i < this.#n; i++) {
      const m = chain[i] as Layer
      if (m.onion !== null) return this.#onion(req, m, i, floor, chain, null)
      const h = m.request
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, req)
      } catch (e) {
        return this.#fail(req, e, chain, i, i - 1, floor)
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = i
        return Promise.resolve(r).then(
          (v) =>
            v === undefined
              ? this.#enter(req, at + 1, floor)
              : this.#answer(req, v, `Middleware "${m.name}" (request)`, chain, at, floor),
          (e: unknown) => this.#fail(req, e, chain, at, at - 1, floor)
        )
      }
      return this.#answer(req, r, `Middleware "${m.name}" (request)`, chain, i, floor)
    }
    return this.#resolve(req, floor)
  }

  // ── URL resolution ───────────────────────────────────────────────────────────
  #resolve(req: CycleRequest, floor: number): Result {
    const last = this.#n - 1
    let ep: Endpoint | null
    const t0 = this.#o.trace ? performance.now() : 0
    try {
      ep = this.#o.resolver.match(req.path, req)
    } catch (e) {
      if (this.#o.trace) record(req, 'resolve', '', t0, 'threw')
      return this.#fail(req, e, this.layers, last, last, floor)
    }
    if (this.#o.trace) record(req, 'resolve', ep === null ? '' : ep.pattern, t0, ep === null ? 'miss' : 'match')
    if (ep === null) return this.#miss(req, floor)
    const method = req.method
    let route = method === 'GET' ? ep.get : ep.byMethod[method]
    if (route === undefined) {
      if (method === 'HEAD') route = ep.byMethod['GET']
      route ??= ep.any
      if (route === undefined) {
        if (method === 'OPTIONS') {
          const res = new CycleResponse(null, { status: 204 })
          res.headers._map['allow'] = ep.allow.join(', ')
          return this.#outward(req, res, this.layers, last, floor)
        }
        return this.#fail(req, new MethodNotAllowed(ep.allow), this.layers, last, last, floor)
      }
    }
    req.route = route
    if (route.bodyLimit !== undefined) req.bodyLimit = route.bodyLimit
    let chain: Chain
    try {
      chain = this.#chainFor(route)
    } catch (e) {
      return this.#fail(req, e, this.layers, last, last, floor)
    }
    return this.#views(req, route, chain, 0, floor)
  }

  /** The route's layers: global ++ route-scoped (include-level first), compiled on first use. */
  #chainFor(route: CompiledRoute): Chain {
    const r = route as RoutedChain
    if (r._chain !== undefined) return r._chain
    if (route.middleware.length === 0) return (r._chain = this.layers)
    const wrap = this.#o.wrap
    const extra = route.middleware.map((m, i) => {
      const layer = toLayer(m, this.#n + i)
      return wrap ? wrap(layer) : layer
    })
    return (r._chain = [...this.layers, ...extra])
  }

  #miss(req: CycleRequest, floor: number): Result {
    const last = this.#n - 1
    const m = req.method
    // APPEND_SLASH: only safe methods are redirected; a POST body would be lost on redirect.
    if ((m === 'GET' || m === 'HEAD') && this.#o.resolver.hasTrailingSlashMatch(req.path)) {
      const raw = req.rawPath
      const search = req.search
      // `//host/` would be a protocol-relative URL (an open redirect): escape the second
      // slash like Django's escape_leading_slashes, which names the same resource.
      const path = raw.startsWith('//') ? '/%2F' + raw.slice(2) : raw
      const location = path + '/' + (search ? `?${search}` : '')
      return this.#outward(req, redirect(location, 301), this.layers, last, floor)
    }
    return this.#fail(req, new NotFound(`No route matches ${req.path}.`), this.layers, last, last, floor)
  }

  // ── view phase ───────────────────────────────────────────────────────────────
  #views(req: CycleRequest, route: CompiledRoute, chain: Chain, j: number, floor: number): Result {
    const g = this.#n
    for (; j < g; j++) {
      const m = chain[j] as Layer
      const h = m.view
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, req, route.view, route)
      } catch (e) {
        return this.#fail(req, e, chain, g - 1, g - 1, floor)
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = j
        return Promise.resolve(r).then(
          (v) =>
            v === undefined
              ? this.#views(req, route, chain, at + 1, floor)
              : this.#answer(req, v, `Middleware "${m.name}" (view)`, chain, g - 1, floor),
          (e: unknown) => this.#fail(req, e, chain, g - 1, g - 1, floor)
        )
      }
      return this.#answer(req, r, `Middleware "${m.name}" (view)`, chain, g - 1, floor)
    }
    return this.#scoped(req, route, chain, g, floor)
  }

  /** Route-scoped middleware: entered after the global view hooks, request hook then view hook. */
  #scoped(req: CycleRequest, route: CompiledRoute, chain: Chain, k: number, floor: number): Result {
    for (; k < chain.length; k++) {
      const m = chain[k] as Layer
      if (m.onion !== null) return this.#onion(req, m, k, floor, chain, route)
      const h = m.request
      if (h !== undefined) {
        let r: unknown
        try {
          r = h.call(m.hooks, req)
        } catch (e) {
          return this.#fail(req, e, chain, k, k - 1, floor)
        }
        if (r !== undefined) {
          const at = k
          const who = `Middleware "${m.name}" (request)`
          if (isThenable(r)) {
            return Promise.resolve(r).then(
              (v) =>
                v === undefined
                  ? this.#scopedView(req, route, chain, at, floor)
                  : this.#answer(req, v, who, chain, at, floor),
              (e: unknown) => this.#fail(req, e, chain, at, at - 1, floor)
            )
          }
          return this.#answer(req, r, who, chain, at, floor)
        }
      }
      if (m.view !== undefined) return this.#scopedView(req, route, chain, k, floor)
    }
    return this.#callView(req, route, chain, floor)
  }

  /** A route-scoped middleware's view hook, then the rest of the route chain. */
  #scopedView(req: CycleRequest, route: CompiledRoute, chain: Chain, k: number, floor: number): Result {
    const m = chain[k] as Layer
    const h = m.view
    if (h === undefined) return this.#scoped(req, route, chain, k + 1, floor)
    let r: unknown
    try {
      r = h.call(m.hooks, req, route.view, route)
    } catch (e) {
      return this.#fail(req, e, chain, k, k, floor)
    }
    const who = `Middleware "${m.name}" (view)`
    if (isThenable(r)) {
      return Promise.resolve(r).then(
        (v) =>
          v === undefined
            ? this.#scoped(req, route, chain, k + 1, floor)
            : this.#answer(req, v, who, chain, k, floor),
        (e: unknown) => this.#fail(req, e, chain, k, k, floor)
      )
    }
    if (r === undefined) return this.#scoped(req, route, chain, k + 1, floor)
    return this.#answer(req, r, who, chain, k, floor)
  }

  #callView(req: CycleRequest, route: CompiledRoute, chain: Chain, floor: number): Result {
    const last = chain.length - 1
    let r: unknown
    try {
      r = this.#o.trace
        ? traced('view', route.qualifiedName ?? route.pattern, route.view, VIEW_OUTCOMES)(req)
        : route.view(req)
    } catch (e) {
      return this.#fail(req, e, chain, last, last, floor)
    }
    if (isThenable(r)) {
      return Promise.resolve(r).then(
        (v) => {
          let res: CycleResponse
          try {
            res = viewResponse(v, route)
          } catch (e) {
            return this.#fail(req, e, chain, last, last, floor)
          }
          return this.#outward(req, res, chain, last, floor)
        },
        (e: unknown) => this.#fail(req, e, chain, last, last, floor)
      )
    }
    let res: CycleResponse
    try {
      res = viewResponse(r, route)
    } catch (e) {
      return this.#fail(req, e, chain, last, last, floor)
    }
    return this.#outward(req, res, chain, last, floor)
  }

  // ── onion middleware ─────────────────────────────────────────────────────────
  #onion(
    req: CycleRequest,
    m: Layer,
    i: number,
    floor: number,
    chain: Chain,
    route: CompiledRoute | null
  ): Result {
    let called = false
    let settled = false
    const next = (): Promise<CycleResponse> => {
      if (called) {
        return Promise.reject(
          new ImproperlyConfigured(
            'ERR_NEXT_CALLED_TWICE',
            `next() called multiple times in middleware "${m.name}"; call it once and reuse its response.`
          )
        )
      }
      called = true
      const inner = route === null ? this.#enter(req, i + 1, i + 1) : this.#scoped(req, route, chain, i + 1, i + 1)
      return Promise.resolve(inner).then((v) => {
        settled = true
        return v
      })
    }
    const onError = (e: unknown): Result =>
      called
        ? this.#outward(req, this.#convertLate(req, e), chain, i - 1, floor)
        : this.#fail(req, e, chain, i - 1, i - 1, floor)
    const onValue = (v: unknown): Result => {
      if (called && !settled) {
        return onError(
          new ImproperlyConfigured(
            'ERR_NEXT_NOT_AWAITED',
            `Middleware "${m.name}" resolved before downstream finished. Did you forget to await next()?`
          )
        )
      }
      let res: CycleResponse
      try {
        res = toResponse(v, `Middleware "${m.name}"`)
      } catch (e) {
        return onError(e)
      }
      return this.#outward(req, res, chain, i - 1, floor)
    }
    let r: unknown
    try {
      r = (m.onion as OnionMiddleware)(req, next)
    } catch (e) {
      return onError(e)
    }
    if (isThenable(r)) return Promise.resolve(r).then(onValue, onError)
    return onValue(r)
  }

  // ── exception phase ──────────────────────────────────────────────────────────
  /**
   * Runs exception hooks from `from` down to 0; the first response wins. Otherwise the error
   * handlers (deepest include first, then the app's) and finally core's problem response.
   * The response then travels outward from `respFrom`.
   */
  #fail(
    req: CycleRequest,
    error: unknown,
    chain: Chain,
    from: number,
    respFrom: number,
    floor: number,
    emit = true
  ): Result {
    if (emit) this.#o.onException?.(req, error)
    for (let i = from; i >= 0; i--) {
      const m = chain[i] as Layer
      const h = m.exception
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, req, error)
      } catch (e) {
        error = e
        continue
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = i
        const err = error
        return Promise.resolve(r).then(
          (v) =>
            v === undefined
              ? this.#fail(req, err, chain, at - 1, respFrom, floor, false)
              : this.#answer(req, v, `Middleware "${m.name}" (exception)`, chain, respFrom, floor),
          (e: unknown) => this.#fail(req, e, chain, at - 1, respFrom, floor, false)
        )
      }
      return this.#answer(req, r, `Middleware "${m.name}" (exception)`, chain, respFrom, floor)
    }
    return this.#convert(req, error, chain, respFrom, floor)
  }

  /** Error handlers (URL tree, deepest first; then the app's), else the default problem. */
  #convert(req: CycleRequest, error: unknown, chain: Chain, respFrom: number, floor: number): Result {
    const handlers = this.#handlersFor(req)
    if (handlers.length === 0) return this.#outward(req, this.#default(req, error), chain, respFrom, floor)
    const status = statusOf(error)
    const tryAt = (k: number): Result => {
      for (; k < handlers.length; k++) {
        let r: unknown
        try {
          r = (handlers[k] as ErrorHandler)(req, error, status)
        } catch (e) {
          error = e
          continue
        }
        if (r === undefined) continue
        const at = k
        if (isThenable(r)) {
          return Promise.resolve(r).then(
            (v) => (v === undefined ? tryAt(at + 1) : this.#answer(req, v, 'Error handler', chain, respFrom, floor)),
            (e: unknown) => {
              error = e
              return tryAt(at + 1)
            }
          )
        }
        return this.#answer(req, r, 'Error handler', chain, respFrom, floor)
      }
      return this.#outward(req, this.#default(req, error), chain, respFrom, floor)
    }
    return tryAt(0)
  }

  #handlersFor(req: CycleRequest): readonly ErrorHandler[] {
    const route = req.route as CompiledRoute | null
    let own: readonly ErrorHandler[]
    if (route !== null) own = route.errorHandlers
    else {
      try {
        own = this.#o.resolver.errorHandlersFor(req.path)
      } catch {
        own = []
      }
    }
    const app = this.#o.errorHandler
    return app === undefined ? own : own.length === 0 ? [app] : [...own, app]
  }

  #default(req: CycleRequest, error: unknown): CycleResponse {
    if (!this.#o.debug) return responseForError(req, error, false)
    return responseForError(req, error, true, {
      tried: req.route === null ? this.#o.resolver.tried() : undefined,
      middleware: req.trace
        ? req.trace.map((t) => `${t.phase} ${t.name} → ${t.outcome}`)
        : this.layers.map((l) => l.name),
    })
  }

  /** An error after the view phase (a response hook or an onion after next()): a 500 problem. */
  #convertLate(req: CycleRequest, error: unknown): CycleResponse {
    this.#o.onException?.(req, error)
    return this.#default(req, error)
  }

  // ── response phase ───────────────────────────────────────────────────────────
  #answer(req: CycleRequest, v: unknown, who: string, chain: Chain, from: number, floor: number): Result {
    let res: CycleResponse
    try {
      res = toResponse(v, who)
    } catch (e) {
      res = this.#convertLate(req, e)
    }
    return this.#outward(req, res, chain, from, floor)
  }

  #outward(req: CycleRequest, res: CycleResponse, chain: Chain, from: number, floor: number): Result {
    for (let i = from; i >= floor; i--) {
      const m = chain[i] as Layer
      const h = m.response
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, req, res)
      } catch (e) {
        res = this.#convertLate(req, e)
        continue
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = i
        const prev = res
        return Promise.resolve(r).then(
          (v) => {
            let next = prev
            if (v !== undefined) {
              try {
                next = toResponse(v, `Middleware "${m.name}" (response)`)
              } catch (e) {
                next = this.#convertLate(req, e)
              }
            }
            return this.#outward(req, next, chain, at - 1, floor)
          },
          (e: unknown) => this.#outward(req, this.#convertLate(req, e), chain, at - 1, floor)
        )
      }
      try {
        res = toResponse(r, `Middleware "${m.name}" (response)`)
      } catch (e) {
        res = this.#convertLate(req, e)
      }
    }
    return res
  }
}

/** The status an error will be answered with. */
export function statusOf(error: unknown): number {
  return HttpError.isHttpError(error) ? error.status : 500
}

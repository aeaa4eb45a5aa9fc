/**
 * @module
 * The cycle engine (Django's `BaseHandler.get_response`). The middleware list is compiled once
 * into layers; each request then takes one {@link Trip} through them. The trip's methods are the
 * steps of the table in docs/lifecycle.md, in the order a request meets them:
 *
 * ```
 * requestPhase → resolve → viewPhase → routePhase → callView → render → responsePhase
 *        └────────── any failure ──→ exceptionPhase → errorHandlers → render ──┘
 * ```
 *
 * Two numbers say where a trip is: `entered`, the innermost middleware whose way in succeeded
 * (response hooks run from it back out), and `floor`, the outermost middleware the trip answers to
 * (0, or the layer just inside an onion, whose own code continues the way out).
 *
 * Every step returns the final response. It stays synchronous while every hook and the view are
 * synchronous; a hook that returns a promise continues the rest of the trip in `.then()`.
 */
import { ImproperlyConfigured } from './codes'
import { HttpError, MethodNotAllowed, NotFound } from './errors'
import { problemResponse } from './exception-response'
import { isThenable, isWebResponse, toLayer, toResponse, type Layer } from './layer'
import type { ErrorHandler } from './middleware'
import type { CycleRequest } from './request'
import { renderDefault } from './render'
import { CycleResponse, JSON_TYPE, redirect } from './response'
import { record, traced } from './trace'
import type { CompiledRoute, Resolver } from './urls/resolver'

type Result = CycleResponse | Promise<CycleResponse>
type Chain = readonly Layer[]

const VIEW_OUTCOMES = ['returned nothing', 'returned'] as const

/** What the pipeline needs from the app. */
export interface PipelineOptions {
  /** The compiled URL conf; it also knows the APPEND_SLASH setting. */
  readonly resolver: Resolver
  readonly debug: boolean
  /** The app's last-resort error handler. */
  readonly errorHandler: ErrorHandler | undefined
  /** Tells the app's `requestException` listeners; called once per error. */
  readonly report: (request: CycleRequest, error: unknown) => void
  /** Record resolution and the view on `request.trace`. */
  readonly trace: boolean
  /** Applied to route-scoped layers (tracing). */
  readonly wrap: ((layer: Layer) => Layer) | undefined
}

/** The compiled cycle: the global layers, and each route's full chain (global ++ its own). */
export class Pipeline {
  /** The global middlewares, outermost first. */
  readonly layers: Chain
  readonly options: PipelineOptions
  readonly #routeChains = new Map<CompiledRoute, Chain>()

  /**
   * @param layers the global middlewares, normalized
   * @param routes every compiled route: route-scoped middleware is validated here, at startup
   */
  constructor(layers: Chain, options: PipelineOptions, routes: readonly CompiledRoute[]) {
    this.layers = layers
    this.options = options
    const n = layers.length
    const wrap = options.wrap
    for (const route of routes) {
      if (route.middleware.length === 0) continue
      const where = `path("${route.pattern}")`
      const own = route.middleware.map((m, i) => {
        const layer = toLayer(m, n + i, where)
        return wrap ? wrap(layer) : layer
      })
      this.#routeChains.set(route, [...layers, ...own])
    }
  }

  /** Runs one request through the whole cycle. Never throws; always answers. */
  run(request: CycleRequest): Result {
    return new Trip(this, request, this.layers, 0, null).requestPhase(0)
  }

  /** The layers a request for `route` passes: the global ones, then the route's own. */
  chainFor(route: CompiledRoute): Chain {
    return route.middleware.length === 0 ? this.layers : (this.#routeChains.get(route) as Chain)
  }

  /** Core's problem response for an error (with the debug page's extras in debug mode). */
  errorResponse(request: CycleRequest, error: unknown): CycleResponse {
    const o = this.options
    if (!o.debug) return problemResponse(error, false)
    return problemResponse(error, true, {
      tried: request.route === null ? o.resolver.tried() : undefined,
      middleware: request.trace
        ? request.trace.map((t) => `${t.phase} ${t.name} → ${t.outcome}`)
        : this.layers.map((l) => l.name),
    })
  }

  /** The error handlers for a failed request: the URL tree's (deepest include first), then the app's. */
  handlersFor(request: CycleRequest): readonly ErrorHandler[] {
    const route = request.route as CompiledRoute | null
    let own: readonly ErrorHandler[]
    if (route !== null) own = route.errorHandlers
    else {
      try {
        own = this.options.resolver.errorHandlersFor(request.path)
      } catch {
        own = []
      }
    }
    const app = this.options.errorHandler
    return app === undefined ? own : own.length === 0 ? [app] : [...own, app]
  }
}

/** One request's way through the pipeline. See the module comment for the map. */
class Trip {
  /** The innermost layer whose way in succeeded: the response phase starts there. */
  entered: number
  /** The route, once resolution found it. */
  route: CompiledRoute | null

  constructor(
    readonly p: Pipeline,
    readonly req: CycleRequest,
    /** The global layers, then (once resolved) the route's own. */
    public chain: Chain,
    readonly floor: number,
    route: CompiledRoute | null
  ) {
    this.entered = floor - 1
    this.route = route
  }

  // ── ① request phase: A.request B.request C.request ─────────────────────────────────────────
  /** Request hooks in list order from layer `i`; one that answers short-circuits the rest. */
  requestPhase(i: number): Result {
    const chain = this.chain
    const n = this.p.layers.length
    for (; i < n; i++) {
      const m = chain[i] as Layer
      if (m.onion !== null) return this.around(i)
      const h = m.request
      if (h !== undefined) {
        let r: unknown
        try {
          r = h.call(m.hooks, this.req)
        } catch (e) {
          return this.exceptionPhase(e, i) // failed on the way in: its response hook will not run
        }
        if (r !== undefined) {
          if (isThenable(r)) return this.#requestAwaited(r, i)
          this.entered = i
          return this.answered(r, m, 'request')
        }
      }
      this.entered = i
    }
    return this.resolve()
  }

  #requestAwaited(r: PromiseLike<unknown>, i: number): Promise<CycleResponse> {
    const m = this.chain[i] as Layer
    return Promise.resolve(r).then(
      (v) => {
        this.entered = i
        return v === undefined ? this.requestPhase(i + 1) : this.answered(v, m, 'request')
      },
      (e: unknown) => this.exceptionPhase(e, i)
    )
  }

  // ── ② URL resolution ────────────────────────────────────────────────────────────────────────
  /** Finds the route: 404 (or an APPEND_SLASH redirect), 405 with `Allow`, OPTIONS, or on. */
  resolve(): Result {
    const req = this.req
    const o = this.p.options
    const t0 = o.trace ? performance.now() : 0
    let ep
    try {
      ep = o.resolver.match(req.path, req)
    } catch (e) {
      if (o.trace) record(req, 'resolve', '', t0, 'threw')
      return this.exceptionPhase(e, this.entered) // malformed percent-encoding: a 400
    }
    if (o.trace) record(req, 'resolve', ep?.pattern ?? '', t0, ep === null ? 'miss' : 'match')
    if (ep === null) return this.#miss()
    const method = req.method
    let route = method === 'GET' ? ep.get : ep.byMethod[method]
    if (route === undefined) {
      if (method === 'HEAD') route = ep.byMethod['GET']
      route ??= ep.any
      if (route === undefined) {
        if (method !== 'OPTIONS') return this.exceptionPhase(new MethodNotAllowed(ep.allow), this.entered)
        const res = new CycleResponse(null, { status: 204 })
        res.headers._map['allow'] = ep.allow.join(', ')
        return this.responsePhase(res)
      }
    }
    req.route = route
    this.route = route
    if (route.bodyLimit !== undefined) req.bodyLimit = route.bodyLimit
    this.chain = this.p.chainFor(route)
    return this.viewPhase(0)
  }

  #miss(): Result {
    const req = this.req
    const m = req.method
    // APPEND_SLASH: only safe methods are redirected; a POST body would be lost on redirect.
    if ((m === 'GET' || m === 'HEAD') && this.p.options.resolver.hasTrailingSlashMatch(req.path)) {
      const raw = req.rawPath
      const search = req.search
      // `//host/` would be a protocol-relative URL (an open redirect): escape the second
      // slash like Django's escape_leading_slashes, which names the same resource.
      const path = raw.startsWith('//') ? '/%2F' + raw.slice(2) : raw
      return this.responsePhase(redirect(path + '/' + (search ? `?${search}` : ''), 301))
    }
    return this.exceptionPhase(new NotFound(`No route matches ${req.path}.`), this.entered)
  }

  // ── ③ view phase: A.view B.view C.view ──────────────────────────────────────────────────────
  /** Global view hooks in list order from layer `j`; one that answers skips the view. */
  viewPhase(j: number): Result {
    const chain = this.chain
    const route = this.route as CompiledRoute
    const n = this.p.layers.length
    for (; j < n; j++) {
      const m = chain[j] as Layer
      const h = m.view
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, this.req, route.view, route)
      } catch (e) {
        return this.exceptionPhase(e, this.entered)
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = j
        return Promise.resolve(r).then(
          (v) => (v === undefined ? this.viewPhase(at + 1) : this.answered(v, m, 'view')),
          (e: unknown) => this.exceptionPhase(e, this.entered)
        )
      }
      return this.answered(r, m, 'view')
    }
    return this.routePhase(n)
  }

  // ── ④ route-scoped middleware: its request hook, then its view hook ─────────────────────────
  /** The route's own layers from `k` (include-level first), entered once the route is known. */
  routePhase(k: number): Result {
    const chain = this.chain
    for (; k < chain.length; k++) {
      const m = chain[k] as Layer
      if (m.onion !== null) return this.around(k)
      const h = m.request
      if (h !== undefined) {
        let r: unknown
        try {
          r = h.call(m.hooks, this.req)
        } catch (e) {
          return this.exceptionPhase(e, k)
        }
        if (r !== undefined) {
          const at = k
          if (isThenable(r)) {
            return Promise.resolve(r).then(
              (v) => {
                this.entered = at
                return v === undefined ? this.#routeView(at) : this.answered(v, m, 'request')
              },
              (e: unknown) => this.exceptionPhase(e, at)
            )
          }
          this.entered = k
          return this.answered(r, m, 'request')
        }
      }
      this.entered = k
      if (m.view !== undefined) return this.#routeView(k)
    }
    return this.callView()
  }

  #routeView(k: number): Result {
    const m = this.chain[k] as Layer
    const h = m.view
    if (h === undefined) return this.routePhase(k + 1)
    const route = this.route as CompiledRoute
    let r: unknown
    try {
      r = h.call(m.hooks, this.req, route.view, route)
    } catch (e) {
      return this.exceptionPhase(e, k)
    }
    if (isThenable(r)) {
      return Promise.resolve(r).then(
        (v) => (v === undefined ? this.routePhase(k + 1) : this.answered(v, m, 'view')),
        (e: unknown) => this.exceptionPhase(e, k)
      )
    }
    return r === undefined ? this.routePhase(k + 1) : this.answered(r, m, 'view')
  }

  // ── ⑤ the view, rendered ────────────────────────────────────────────────────────────────────
  /** Calls the view; its result is rendered here, so a failure to render is the view's failure. */
  callView(): Result {
    const route = this.route as CompiledRoute
    const req = this.req
    let r: unknown
    try {
      r = this.p.options.trace
        ? traced('view', route.qualifiedName ?? route.pattern, route.view, VIEW_OUTCOMES)(req)
        : route.view(req)
    } catch (e) {
      return this.exceptionPhase(e, this.entered)
    }
    if (isThenable(r)) {
      return Promise.resolve(r).then(
        (v) => this.#viewDone(v),
        (e: unknown) => this.exceptionPhase(e, this.entered)
      )
    }
    return this.#viewDone(r)
  }

  #viewDone(v: unknown): Result {
    let res: CycleResponse
    try {
      res = this.render(viewResponse(v, this.route as CompiledRoute), this.entered)
    } catch (e) {
      return this.exceptionPhase(e, this.entered)
    }
    return this.responsePhase(res)
  }

  /**
   * The render step, for a pending response: render hooks from layer `from` back to the first,
   * innermost first, until one renders the body; then core renders what is still pending (JSON
   * through the route's response schema, or a problem page). Throws what a hook or a serializer
   * throws; the caller decides whose failure that is.
   */
  render(res: CycleResponse, from: number): CycleResponse {
    if (res.body !== undefined) return res
    const chain = this.chain
    for (let i = from; i >= 0; i--) {
      const m = chain[i] as Layer
      const h = m.render
      if (h === undefined) continue
      const r: unknown = h.call(m.hooks, this.req, res)
      if (r !== undefined) {
        if (isThenable(r)) {
          throw new ImproperlyConfigured(
            'ERR_BAD_MIDDLEWARE',
            `Middleware "${m.name}" (render) returned a promise; render hooks are synchronous. Do async work in the view or a response hook.`
          )
        }
        res = toResponse(r, `Middleware "${m.name}" (render)`)
      }
      if (res.body !== undefined) return res
    }
    renderDefault(this.req, res)
    return res
  }

  /**
   * Renders a response that must go out as it is (an error answer, or one made after the view
   * phase). A failure to render it becomes core's 500, rendered the same way; should that fail
   * too, a bare 500 document.
   */
  settle(res: CycleResponse, from: number): CycleResponse {
    try {
      return this.render(res, from)
    } catch (e) {
      this.p.options.report(this.req, e)
      const fallback = this.p.errorResponse(this.req, e)
      try {
        return this.render(fallback, from)
      } catch (again) {
        this.p.options.report(this.req, again)
        return bareProblem()
      }
    }
  }

  /** A hook answered: its response, rendered, goes out from the innermost entered layer. */
  answered(v: unknown, m: Layer, hook: string): Result {
    let res: CycleResponse
    try {
      res = toResponse(v, `Middleware "${m.name}" (${hook})`)
    } catch (e) {
      return this.responsePhase(this.late(e, this.entered))
    }
    return this.responsePhase(this.settle(res, this.entered))
  }

  // ── ⑥ exception phase: C.exception B.exception A.exception ─────────────────────────────────
  /** Reports `error`, then runs exception hooks from layer `from` back to the first. */
  exceptionPhase(error: unknown, from: number): Result {
    this.p.options.report(this.req, error)
    return this.#exceptionHooks(error, from)
  }

  #exceptionHooks(error: unknown, i: number): Result {
    const chain = this.chain
    for (; i >= 0; i--) {
      const m = chain[i] as Layer
      const h = m.exception
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, this.req, error)
      } catch (e) {
        // The hook failed itself: that error is reported too, and is the one the rest see.
        this.p.options.report(this.req, e)
        error = e
        continue
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = i
        const err = error
        return Promise.resolve(r).then(
          (v) => (v === undefined ? this.#exceptionHooks(err, at - 1) : this.#handled(v, m.name)),
          (e: unknown) => {
            this.p.options.report(this.req, e)
            return this.#exceptionHooks(e, at - 1)
          }
        )
      }
      return this.#handled(r, m.name)
    }
    return this.#errorHandlers(error, this.p.handlersFor(this.req), 0)
  }

  /** No hook answered: the URL tree's error handlers, then the app's, then core's problem. */
  #errorHandlers(error: unknown, handlers: readonly ErrorHandler[], k: number): Result {
    for (; k < handlers.length; k++) {
      let r: unknown
      try {
        r = (handlers[k] as ErrorHandler)(this.req, error, statusOf(error))
      } catch (e) {
        this.p.options.report(this.req, e)
        error = e
        continue
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = k
        const err = error
        return Promise.resolve(r).then(
          (v) => (v === undefined ? this.#errorHandlers(err, handlers, at + 1) : this.#handled(v, null)),
          (e: unknown) => {
            this.p.options.report(this.req, e)
            return this.#errorHandlers(e, handlers, at + 1)
          }
        )
      }
      return this.#handled(r, null)
    }
    return this.responsePhase(this.settle(this.p.errorResponse(this.req, error), this.entered))
  }

  #handled(v: unknown, who: string | null): Result {
    let res: CycleResponse
    try {
      res = toResponse(v, who === null ? 'Error handler' : `Middleware "${who}" (exception)`)
    } catch (e) {
      return this.responsePhase(this.late(e, this.entered))
    }
    return this.responsePhase(this.settle(res, this.entered))
  }

  // ── ⑦ response phase: C.response B.response A.response ─────────────────────────────────────
  /** Response hooks from the innermost entered layer back to `floor`, over every response. */
  responsePhase(res: CycleResponse): Result {
    return this.#responseHooks(res, this.entered)
  }

  #responseHooks(res: CycleResponse, i: number): Result {
    const chain = this.chain
    const floor = this.floor
    for (; i >= floor; i--) {
      const m = chain[i] as Layer
      const h = m.response
      if (h === undefined) continue
      let r: unknown
      try {
        r = h.call(m.hooks, this.req, res)
      } catch (e) {
        // The view phase is over: no exception hooks, a 500 that continues outward.
        res = this.late(e, i - 1)
        continue
      }
      if (r === undefined) continue
      if (isThenable(r)) {
        const at = i
        const kept = res
        return Promise.resolve(r).then(
          (v) => this.#responseHooks(v === undefined ? kept : this.#replaced(v, m, at - 1), at - 1),
          (e: unknown) => this.#responseHooks(this.late(e, at - 1), at - 1)
        )
      }
      res = this.#replaced(r, m, i - 1)
    }
    return res
  }

  #replaced(v: unknown, m: Layer, from: number): CycleResponse {
    let res: CycleResponse
    try {
      res = toResponse(v, `Middleware "${m.name}" (response)`)
    } catch (e) {
      return this.late(e, from)
    }
    return this.settle(res, from)
  }

  /** An error after the view phase: reported, answered with core's 500, rendered from `from`. */
  late(error: unknown, from: number): CycleResponse {
    this.p.options.report(this.req, error)
    return this.settle(this.p.errorResponse(this.req, error), from)
  }

  // ── onion middleware ────────────────────────────────────────────────────────────────────────
  /**
   * An onion middleware at layer `i`: its code runs around a trip through everything after it.
   * `next()` starts that inner trip (its response phase stops just inside the onion) and always
   * resolves to a response; what the onion returns continues outward from the layer before it.
   */
  around(i: number): Result {
    const m = this.chain[i] as Layer
    const inner = new Trip(this.p, this.req, this.chain, i + 1, this.route)
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
      const r = inner.route === null ? inner.requestPhase(i + 1) : inner.routePhase(i + 1)
      return Promise.resolve(r).then((v) => {
        settled = true
        return v
      })
    }
    // Before next() the onion failed on the way in; after it, the inner trip has answered.
    const failed = (e: unknown): Result =>
      called ? this.responsePhase(this.late(e, i - 1)) : this.exceptionPhase(e, i - 1)
    const done = (v: unknown): Result => {
      if (called && !settled) {
        return failed(
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
        return failed(e)
      }
      return this.responsePhase(this.settle(res, i - 1))
    }
    let r: unknown
    try {
      r = (m.onion as NonNullable<Layer['onion']>)(this.req, next)
    } catch (e) {
      return failed(e)
    }
    return isThenable(r) ? Promise.resolve(r).then(done, failed) : done(r)
  }
}

/**
 * A view's return value as a response: plain data becomes a pending JSON response.
 * @throws ImproperlyConfigured `ERR_VIEW_RETURNED_NOTHING` for `undefined`
 */
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
  res.headers._map['content-type'] = JSON_TYPE
  res.data = v
  return res
}

/** The status an error will be answered with. */
export function statusOf(error: unknown): number {
  return HttpError.isHttpError(error) ? error.status : 500
}

/** A 500 problem that cannot fail to render: fixed text, no schema, no hook. */
export function bareProblem(): CycleResponse {
  const res = new CycleResponse(
    '{"type":"about:blank","title":"Internal Server Error","status":500}',
    { status: 500 }
  )
  res.headers._map['content-type'] = 'application/problem+json'
  return res
}

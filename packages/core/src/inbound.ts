/**
 * @module
 * A request's trip through the pipeline, the way in: ① request hooks, ② URL resolution, ③ view
 * hooks, ④ route-scoped middleware, ⑤ the view and the render step, and onion middlewares around
 * them (docs/lifecycle.md). Every step returns the final response; failures and answers turn
 * back through the way out ({@link Outbound}).
 */
import { escapeTarget } from './_location'
import { ImproperlyConfigured } from './codes'
import { BadRequest, MethodNotAllowed, NotFound } from './errors'
import { isThenable, isWebResponse, toResponse, type Layer } from './layer'
import { Outbound, type Chain, type Result } from './outbound'
import type { Pipeline } from './pipeline'
import type { CycleRequest } from './request'
import { CycleResponse, JSON_TYPE, redirect } from './response'
import { record, traced } from './trace'
import { routeFor, type CompiledRoute } from './urls/resolver'

const VIEW_OUTCOMES = ['returned nothing', 'returned'] as const

/** One request's way through the pipeline. */
export class Trip extends Outbound {
  // Written out: the implicit derived constructor spreads its arguments, a slow construct path.
  constructor(p: Pipeline, req: CycleRequest, chain: Chain, floor: number, route: CompiledRoute | null) {
    super(p, req, chain, floor, route)
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
    const route = routeFor(ep, req.method)
    if (route === undefined) {
      if (req.method !== 'OPTIONS')
        return this.exceptionPhase(new MethodNotAllowed(ep.allow), this.entered)
      const res = new CycleResponse(null, { status: 204 })
      res.headers._map['allow'] = ep.allow.join(', ')
      return this.responsePhase(res)
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
    if (req.target === '*') return this.#asterisk()
    // APPEND_SLASH: only safe methods are redirected; a POST body would be lost on redirect.
    if ((m === 'GET' || m === 'HEAD') && this.p.options.resolver.hasTrailingSlashMatch(req.path)) {
      const raw = req.rawPath
      const search = req.search
      // `//host/` would be a protocol-relative URL (an open redirect): escape the second
      // slash like Django's escape_leading_slashes, which names the same resource.
      const path = raw.startsWith('//') ? '/%2F' + raw.slice(2) : raw
      const location = escapeTarget(path + '/' + (search ? `?${search}` : ''))
      return this.responsePhase(redirect(location, 301))
    }
    return this.exceptionPhase(new NotFound(`No route matches ${req.path}.`), this.entered)
  }

  /**
   * The asterisk-form target (`OPTIONS * HTTP/1.1`, RFC 9112 §3.2.4) asks about the server, not a
   * resource: 204 with every method some route answers. Any other method with `*` is a 400.
   */
  #asterisk(): Result {
    if (this.req.method !== 'OPTIONS') {
      const error = new BadRequest('The request target "*" is only for OPTIONS (RFC 9112 §3.2.4).')
      return this.exceptionPhase(error, this.entered)
    }
    const res = new CycleResponse(null, { status: 204 })
    res.headers._map['allow'] = this.p.options.resolver.serverAllow().join(', ')
    return this.responsePhase(res)
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
      // An onion that aborted the request (a deadline) may answer before the inner trip settles:
      // that trip runs on until it does, and its answer is dropped.
      if (called && !settled && !this.req.signal.aborted) {
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
      `The view for "${
        route.qualifiedName ?? route.pattern
      }" didn't return a response. Did you forget to return?`
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

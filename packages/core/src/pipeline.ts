/**
 * @module
 * The cycle engine (Django's `BaseHandler.get_response`). The middleware list is compiled once
 * into layers; each request then takes one {@link Trip} through them. The trip's methods are the
 * steps of the table in docs/lifecycle.md, in the order a request meets them (the way in is
 * `inbound.ts`, the way out `outbound.ts`):
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
import { problemResponse } from './exception-response'
import { Trip } from './inbound'
import { toLayer, type Layer } from './layer'
import type { ErrorHandler } from './middleware'
import type { Chain, Result } from './outbound'
import type { CycleRequest } from './request'
import type { CycleResponse } from './response'
import type { CompiledRoute, Resolver } from './urls/resolver'

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
      // On the route itself: a request finds its chain without a lookup.
      route.chain = [...layers, ...own]
    }
  }

  /** Runs one request through the whole cycle. Never throws; always answers. */
  run(request: CycleRequest): Result {
    return new Trip(this, request, this.layers, 0, null).requestPhase(0)
  }

  /** The layers a request for `route` passes: the global ones, then the route's own. */
  chainFor(route: CompiledRoute): Chain {
    return route.chain ?? this.layers
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

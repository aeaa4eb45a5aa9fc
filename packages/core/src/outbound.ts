/**
 * @module
 * The way out of the cycle, the base of every {@link Trip}: the render step, the exception phase
 * (⑥ in docs/lifecycle.md: exception hooks, then error handlers, then core's problem) and the
 * response phase (⑦: response hooks from the innermost entered middleware back out).
 */
import { ImproperlyConfigured } from './codes'
import { HttpError } from './errors'
import { isThenable, toResponse, type Layer } from './layer'
import type { ErrorHandler } from './middleware'
import type { Pipeline } from './pipeline'
import { bareProblem, renderDefault } from './render'
import type { CycleRequest } from './request'
import type { CycleResponse } from './response'
import type { CompiledRoute } from './urls/resolver'

/** What a step returns: the final response, or a promise of it once something was async. */
export type Result = CycleResponse | Promise<CycleResponse>
/** The layers a trip walks: the global middlewares, then the route's own. */
export type Chain = readonly Layer[]

/** Where a request is on its way through the pipeline, and the steps of its way out. */
export abstract class Outbound {
  // Declared, not class fields: a trip is made per request, and field definitions would store
  // every member twice (once undefined, once in the constructor).
  /** The compiled cycle this trip runs through. */
  declare readonly p: Pipeline
  /** The request. */
  declare readonly req: CycleRequest
  /** The global layers, then (once resolved) the route's own. */
  declare chain: Chain
  /** The outermost layer this trip answers to (0, or just inside an onion). */
  declare readonly floor: number
  /** The innermost layer whose way in succeeded: the response phase starts there. */
  declare entered: number
  /** The route, once resolution found it. */
  declare route: CompiledRoute | null

  constructor(p: Pipeline, req: CycleRequest, chain: Chain, floor: number, route: CompiledRoute | null) {
    this.p = p
    this.req = req
    this.chain = chain
    this.floor = floor
    this.entered = floor - 1
    this.route = route
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
    return this.exceptionHooks(error, from)
  }

  protected exceptionHooks(error: unknown, i: number): Result {
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
          (v) => (v === undefined ? this.exceptionHooks(err, at - 1) : this.handled(v, m.name)),
          (e: unknown) => {
            this.p.options.report(this.req, e)
            return this.exceptionHooks(e, at - 1)
          }
        )
      }
      return this.handled(r, m.name)
    }
    return this.errorHandlers(error, this.p.handlersFor(this.req), 0)
  }

  /** No hook answered: the URL tree's error handlers, then the app's, then core's problem. */
  protected errorHandlers(error: unknown, handlers: readonly ErrorHandler[], k: number): Result {
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
          (v) =>
            v === undefined ? this.errorHandlers(err, handlers, at + 1) : this.handled(v, null),
          (e: unknown) => {
            this.p.options.report(this.req, e)
            return this.errorHandlers(e, handlers, at + 1)
          }
        )
      }
      return this.handled(r, null)
    }
    return this.responsePhase(this.settle(this.p.errorResponse(this.req, error), this.entered))
  }

  protected handled(v: unknown, who: string | null): Result {
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
    return this.responseHooks(res, this.entered)
  }

  protected responseHooks(res: CycleResponse, i: number): Result {
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
          (v) => this.responseHooks(v === undefined ? kept : this.replaced(v, m, at - 1), at - 1),
          (e: unknown) => this.responseHooks(this.late(e, at - 1), at - 1)
        )
      }
      res = this.replaced(r, m, i - 1)
    }
    return res
  }

  protected replaced(v: unknown, m: Layer, from: number): CycleResponse {
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
}

/** The status an error will be answered with. */
export function statusOf(error: unknown): number {
  return HttpError.isHttpError(error) ? error.status : 500
}

/**
 * @module
 * The middleware contract. A middleware is either
 *
 * - an **object of phase hooks** `{ name, request, view, render, exception, response }` (Django's
 *   `process_request`/`process_view`/`process_template_response`/`process_exception`/
 *   `process_response`), or
 * - an **onion function** `(request, next) => response` for work that must surround everything
 *   inside it (timing, async context).
 *
 * Both compile once, at `createApp()`, into one pipeline (see `pipeline.ts`).
 */
import type { CycleRequest, RouteMatch } from './request'
import type { CycleResponse } from './response'
import type { RequestState, Simplify, UnionToIntersection } from './state'

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>

/** What a hook may return to answer: a Cycle response or a WHATWG `Response`. */
export type HookResult = CycleResponse | Response | undefined | void

/** Continues to the rest of the cycle; resolves to the response (never rejects). */
export type Next = () => Promise<CycleResponse>

/** A view function: takes the request, returns a response, a WHATWG `Response`, or plain data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ViewFunction<S extends object = any, P = any> = (request: CycleRequest<S, P>) => unknown

/** The request type middlewares receive: global state plus what the middleware declares. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req<S extends object> = CycleRequest<S & RequestState & Record<string, any>>

/**
 * A middleware written as phase hooks. Every hook is optional.
 * `Adds` declares what it puts on `request.state`, for {@link StateOf}.
 */
export interface HookMiddleware<Adds extends object = object> {
  /** Shown by `app.describe()`, traces and the debug page. */
  name?: string
  /** Runs in list order before resolution. Return a response to short-circuit. */
  request?(request: Req<Adds>): MaybePromise<HookResult>
  /** Runs in list order after resolution, before the view. Return a response to skip the view. */
  view?(request: Req<Adds>, view: ViewFunction, route: RouteMatch): MaybePromise<HookResult>
  /**
   * Renders a response whose body is still pending (`json(data)`, a view's plain data, a problem
   * document) before any response hook sees it (Django's `process_template_response`). Runs in
   * reverse order, innermost first, until one renders the body (`response.render(...)`); core
   * renders whatever is still pending as JSON. Synchronous: a failure here is a failure of the
   * step that produced the response (the view's, for view data).
   */
  render?(request: Req<Adds>, response: CycleResponse): HookResult
  /** Runs in reverse order when something threw. Return a response to handle the error. */
  exception?(request: Req<Adds>, error: unknown): MaybePromise<HookResult>
  /** Runs in reverse order on every response. Return a response to replace it. */
  response?(request: Req<Adds>, response: CycleResponse): MaybePromise<HookResult>
  /** Phantom marker for the state this middleware adds; never set at runtime. */
  readonly '~adds'?: Adds
}

/** A middleware written as an onion function. */
export interface OnionMiddleware<Adds extends object = object> {
  (request: Req<Adds>, next: Next): MaybePromise<CycleResponse | Response>
  /** Phantom marker for the state this middleware adds; never set at runtime. */
  readonly '~adds'?: Adds
}

/** Either middleware shape. */
export type Middleware<Adds extends object = object> = HookMiddleware<Adds> | OnionMiddleware<Adds>

/**
 * Declares a middleware and what it adds to `request.state`, so views can see it typed.
 *
 * @example
 * ```ts
 * const requestId = defineMiddleware<{ requestId: string }>({
 *   name: 'requestId',
 *   request(req) { req.state.requestId = crypto.randomUUID() },
 *   response(req, res) { res.headers.set('x-request-id', req.state.requestId) },
 * })
 * type State = StateOf<[typeof requestId]> // { requestId: string }
 * ```
 */
export function defineMiddleware<Adds extends object = object>(
  middleware: HookMiddleware<Adds> | OnionMiddleware<Adds>
): Middleware<Adds> {
  return middleware
}

/** The state a middleware adds. */
export type AddsOf<M> = M extends { readonly '~adds'?: infer A } ? (unknown extends A ? object : A) : object

/**
 * The request state a list of middlewares produces, as one object type.
 *
 * @example
 * ```ts
 * const middleware = [requestId, auth] as const
 * type State = StateOf<typeof middleware>
 * const me = (req: CycleRequest<State>) => json(req.state.user)
 * ```
 */
export type StateOf<M extends readonly unknown[]> = Simplify<
  UnionToIntersection<{ [K in keyof M]: AddsOf<M[K]> }[number]> & RequestState
>

/** Gives a middleware's display name. */
export function middlewareName(m: Middleware, index: number): string {
  if (typeof m === 'function') return m.name || `middleware#${index}`
  return m.name || `middleware#${index}`
}

/**
 * An error handler given to `createApp({ errorHandler })` or `include(..., { errorHandler })`
 * (Django's `handler404`/`handler500`). The deepest include whose prefix matched the path is asked
 * first, then outward; return a response to answer, or nothing to pass.
 */
export type ErrorHandler = (
  request: CycleRequest,
  error: unknown,
  status: number
) => MaybePromise<HookResult>

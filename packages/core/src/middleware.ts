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

/**
 * What a middleware's hooks see on `request.state`:
 *
 * - `Needs`, what it reads that the middlewares before it add: present, since their request hooks
 *   ran to the end before any hook of this one runs;
 * - `Partial<Adds>`, what it adds itself: possibly not yet, in every one of its hooks (its request
 *   hook may answer or throw before setting it and its response and exception hooks still run;
 *   a route-scoped middleware may add in its view hook);
 * - the global {@link RequestState}.
 *
 * Nothing else: reading or writing an undeclared key is a type error.
 */
export type MiddlewareState<
  Adds extends object = object,
  Needs extends object = object,
> = Needs & Partial<Adds> & RequestState

/** The request a middleware's hooks receive. */
type Req<Adds extends object, Needs extends object> = CycleRequest<MiddlewareState<Adds, Needs>>

/**
 * A middleware written as phase hooks. Every hook is optional.
 *
 * - `Adds` declares what it puts on `request.state`, for the views ({@link StateOf}) and the
 *   middlewares after it. Set it in the request hook, so that those see it set.
 * - `Needs` declares what it reads that earlier middlewares add; `createApp()` reports a
 *   middleware list where no earlier middleware adds it.
 *
 * Inside every hook, `request.state` is typed {@link MiddlewareState}: `Needs & Partial<Adds>`.
 */
export interface HookMiddleware<Adds extends object = object, Needs extends object = object> {
  /** Shown by `app.describe()`, traces and the debug page. */
  name?: string
  /** Runs in list order before resolution. Return a response to short-circuit. */
  request?(request: Req<Adds, Needs>): MaybePromise<HookResult>
  /** Runs in list order after resolution, before the view. Return a response to skip the view. */
  view?(request: Req<Adds, Needs>, view: ViewFunction, route: RouteMatch): MaybePromise<HookResult>
  /**
   * Renders a response whose body is still pending (`json(data)`, a view's plain data, a problem
   * document) before any response hook sees it (Django's `process_template_response`). Runs in
   * reverse order, innermost first, until one renders the body (`response.render(...)`); core
   * renders whatever is still pending as JSON. Synchronous: a failure here is a failure of the
   * step that produced the response (the view's, for view data).
   */
  render?(request: Req<Adds, Needs>, response: CycleResponse): HookResult
  /** Runs in reverse order when something threw. Return a response to handle the error. */
  exception?(request: Req<Adds, Needs>, error: unknown): MaybePromise<HookResult>
  /** Runs in reverse order on every response. Return a response to replace it. */
  response?(request: Req<Adds, Needs>, response: CycleResponse): MaybePromise<HookResult>
  /** Phantom marker for the state this middleware adds; never set at runtime. */
  readonly '~adds'?: Adds
  /** Phantom marker for the state this middleware needs from earlier ones; never set at runtime. */
  readonly '~needs'?: Needs
}

/**
 * The call of an onion middleware, written as a method so that its parameter compares
 * bivariantly like the hooks' do: a middleware that needs state is still a {@link Middleware}.
 */
interface OnionCall<Adds extends object, Needs extends object> {
  call(request: Req<Adds, Needs>, next: Next): MaybePromise<CycleResponse | Response>
}

/**
 * A middleware written as an onion function `(request, next) => response`. `Adds` and `Needs`
 * as for {@link HookMiddleware}; `request.state` is typed {@link MiddlewareState}.
 */
export type OnionMiddleware<
  Adds extends object = object,
  Needs extends object = object,
> = OnionCall<Adds, Needs>['call'] & {
  /** Phantom marker for the state this middleware adds; never set at runtime. */
  readonly '~adds'?: Adds
  /** Phantom marker for the state this middleware needs from earlier ones; never set at runtime. */
  readonly '~needs'?: Needs
}

/** Either middleware shape. */
export type Middleware<Adds extends object = object, Needs extends object = object> =
  | HookMiddleware<Adds, Needs>
  | OnionMiddleware<Adds, Needs>

/**
 * Declares a middleware, what it adds to `request.state` and what it needs there from the
 * middlewares before it, so that its own hooks, the middlewares after it and the views see them
 * typed.
 *
 * @example
 * ```ts
 * const requestId = defineMiddleware<{ requestId: string }>({
 *   name: 'requestId',
 *   request(req) { req.state.requestId = crypto.randomUUID() },
 *   response(req, res) {
 *     // optional in its own hooks: this one may run without the request hook having set it
 *     if (req.state.requestId) res.headers.set('x-request-id', req.state.requestId)
 *   },
 * })
 * const audit = defineMiddleware<{}, { requestId: string }>({
 *   name: 'audit',
 *   request(req) { console.log(req.state.requestId) }, // string: requestId runs first
 * })
 * createApp({ middleware: [requestId, audit], urls }) // [audit, requestId] is a type error
 * type State = StateOf<[typeof requestId, typeof audit]> // { requestId: string }
 * ```
 */
export function defineMiddleware<Adds extends object = object, Needs extends object = object>(
  middleware: HookMiddleware<Adds, Needs> | OnionMiddleware<Adds, Needs>
): Middleware<Adds, Needs> {
  return middleware
}

/** The state a middleware adds. */
export type AddsOf<M> = M extends { readonly '~adds'?: infer A }
  ? unknown extends A
    ? object
    : A
  : object

/** The state a middleware needs from the middlewares before it. */
export type NeedsOf<M> = M extends { readonly '~needs'?: infer N }
  ? unknown extends N
    ? object
    : N
  : object

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

type MissingKeys<Needs, Have> = {
  [K in keyof Needs]-?: {} extends Pick<Needs, K> ? never : K extends keyof Have ? never : K
}[keyof Needs]

type MistypedKeys<Needs, Have> = {
  [K in keyof Needs & keyof Have]-?: Have[K] extends Needs[K] ? never : K
}[keyof Needs & keyof Have]

/** The type error a middleware list gets in place of a middleware whose needs are not met. */
export type UnmetNeed<K extends PropertyKey, Problem extends string> =
  `This middleware needs request.state.${K & string}, ${Problem}.`

type CheckOne<M, Have> = [MissingKeys<NeedsOf<M>, Have>] extends [never]
  ? [MistypedKeys<NeedsOf<M>, Have>] extends [never]
    ? M
    : UnmetNeed<MistypedKeys<NeedsOf<M>, Have>, 'but the middlewares before it add another type'>
  : UnmetNeed<MissingKeys<NeedsOf<M>, Have>, 'which no middleware before it adds'>

/**
 * A middleware list checked for needs: each middleware whose `Needs` are not added by the ones
 * before it (or by the global {@link RequestState}) is replaced by an {@link UnmetNeed} message,
 * which is what TypeScript reports. Lists that are not tuples are left as they are. Written
 * tail-recursively (`Out` accumulates), so long lists stay within TypeScript's depth limit.
 */
export type CheckNeeds<
  M extends readonly unknown[],
  Have = RequestState,
  Out extends readonly unknown[] = [],
> = M extends readonly [infer Head, ...infer Rest]
  ? CheckNeeds<Rest, Have & AddsOf<Head>, [...Out, CheckOne<Head, Have>]>
  : Out extends readonly []
  ? M
  : readonly [...Out, ...M]

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

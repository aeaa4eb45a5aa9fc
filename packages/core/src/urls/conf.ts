/**
 * @module
 * `path()` and `include()` (Django's `django.urls.conf`): the URL conf is a plain list of route
 * definitions, validated as it is built and compiled once by the `Resolver`.
 *
 * Pattern, name and namespace keep their literal types, so parameter types, route names and
 * `reverse()` arguments are checked by TypeScript.
 */
import { ImproperlyConfigured } from '../codes'
import type { ErrorHandler, Middleware, ViewFunction } from '../middleware'
import type { CycleRequest, Params } from '../request'
import type { RequestState } from '../state'
import { badOption, checkCommon, checkName, compileMethodViews, normalizeMethods } from './_options'
import { parsePattern } from './pattern'
import { ResponseSerializers, type ResponseSchemas } from '../serializer'
import type { ParamsOf } from './types'

/**
 * A view function seeing state `S` and parameters `P`. It may return anything a view returns (a
 * `CycleResponse`, a WHATWG `Response`, plain data, or a promise of one).
 *
 * The return type is written `void` on purpose, not `unknown`: TypeScript then accepts any
 * function without computing what it returns while it infers the URL conf, so a view can call
 * `app.reverse()` of the very app it is part of (`const app = createApp({ urls: [path('a/', () =>
 * redirect(app.reverse('b')))] })`) without a circular-type error. With `unknown`, checking the
 * view needed its return type, hence the type of `app`, which was being inferred.
 */
export type TypedView<S extends object = RequestState, P = Params> = (
  request: CycleRequest<S, P>
) => void

/** A view per HTTP method (`{ GET: list, POST: create }`); HEAD falls back to GET. */
export interface MethodViews<S extends object = RequestState, P = Params> {
  readonly GET?: TypedView<S, P>
  readonly POST?: TypedView<S, P>
  readonly PUT?: TypedView<S, P>
  readonly PATCH?: TypedView<S, P>
  readonly DELETE?: TypedView<S, P>
  readonly HEAD?: TypedView<S, P>
  readonly OPTIONS?: TypedView<S, P>
  readonly [method: string]: TypedView<S, P> | undefined
}

/**
 * What `path()` accepts as a view: a function, a method map, or a function carrying a static
 * `methods` list (what class-based views compile to), which then limits the allowed methods.
 */
export type RouteView<S extends object = RequestState, P = Params> =
  | TypedView<S, P>
  | MethodViews<S, P>

/** Options of {@link path}. */
export interface PathOptions<N extends string | undefined = string | undefined> {
  /** Route name for `reverse()` (qualified by the enclosing namespaces). */
  name?: N
  /**
   * Methods this route answers. Default: the view's own (a method map's keys, a class view's
   * methods); for a plain function view, `GET` only (HEAD and OPTIONS follow). `'*'` answers
   * every method. See "Methods" in docs/routing.md for why GET is the default.
   */
  methods?: readonly string[] | '*'
  /** Route-scoped middleware, run in the view phase after the includes' middleware. */
  middleware?: readonly Middleware[]
  /** Body size limit in bytes for this route. */
  bodyLimit?: number
  /**
   * Response schemas by status (`{ 200: schema }`, `'2xx'`, `'default'`): pending `data` with a
   * covered status is written by a serializer compiled from the schema instead of
   * `JSON.stringify`. Only declared properties are written; data of the wrong shape is a 500.
   * See `docs/response-schemas.md`.
   */
  response?: ResponseSchemas
}

/** Options of {@link include}. */
export interface IncludeOptions<NS extends string | undefined = string | undefined> {
  /** Namespace for the names inside (`notes` → `notes:detail`); nests with outer namespaces. */
  namespace?: NS
  /** Middleware for every route inside, outside the routes' own. */
  middleware?: readonly Middleware[]
  /** Error handler for failures under this prefix (404s included), asked before outer ones. */
  errorHandler?: ErrorHandler
  /** Body size limit for every route inside that sets none. */
  bodyLimit?: number
}

/** A route made by {@link path}. */
export interface PathEntry<
  P extends string = string,
  N extends string | undefined = string | undefined
> {
  /** Discriminant. */
  readonly kind: 'path'
  /** The pattern as written, relative to the enclosing includes. */
  readonly pattern: P
  /** The route's own name. */
  readonly name: N
  /** The view, as one function (method maps compiled to a dispatcher). */
  readonly view: ViewFunction
  /** Allowed methods (upper case), or `null` for all. */
  readonly methods: readonly string[] | null
  /** Route-scoped middleware. */
  readonly middleware: readonly Middleware[]
  /** Body size limit, if set. */
  readonly bodyLimit: number | undefined
  /** @internal Compiled response schemas, if any. */
  readonly serializers: ResponseSerializers | undefined
}

/** A nested URL conf made by {@link include}. */
export interface IncludeEntry<
  Pre extends string = string,
  NS extends string | undefined = string | undefined,
  C extends readonly UrlEntry[] = readonly UrlEntry[]
> {
  /** Discriminant. */
  readonly kind: 'include'
  /** Prefix joined in front of every child pattern (may hold parameters). */
  readonly prefix: Pre
  /** Namespace, if any. */
  readonly namespace: NS
  /** The child entries. */
  readonly children: C
  /** Middleware for every route inside. */
  readonly middleware: readonly Middleware[]
  /** Error handler for this prefix. */
  readonly errorHandler: ErrorHandler | undefined
  /** Default body size limit inside. */
  readonly bodyLimit: number | undefined
}

/** One URL conf entry. */
export type UrlEntry = PathEntry | IncludeEntry

/**
 * Defines a route (Django's `path()`). The view's `request.params` is typed from the pattern.
 *
 * @param pattern Django route syntax without a leading slash: `notes/<uuid:id>/`.
 * @param view A view function, a method map `{ GET, POST }`, or a function with static `methods`.
 * @param options Name, methods, route middleware, body limit.
 * @returns The route definition, for a URL conf list or {@link include}.
 * @throws ImproperlyConfigured on a bad pattern, view or option (see `docs/errors.md`).
 * @example
 * ```ts
 * path('notes/<uuid:id>/', (request) => getNote(request.params.id), { name: 'detail' })
 * path('notes/', { GET: listNotes, POST: createNote }, { name: 'list' })
 * ```
 */
export function path<const P extends string, const N extends string | undefined = undefined>(
  pattern: P,
  view: RouteView<RequestState, ParamsOf<P>>,
  options?: PathOptions<N>
): PathEntry<P, NoInfer<N>> {
  // `NoInfer` in the return type: inside an `include([...])` list TypeScript would otherwise infer
  // `N` from the contextual `UrlEntry` (`string | undefined`) instead of defaulting to `undefined`
  // when no name is given, widening every route name to `string`. Same for include's namespace.
  const where = `path("${String(pattern)}")`
  parsePattern(pattern)
  const opts: PathOptions = options ?? {}
  checkName(opts.name, 'name', where)
  checkCommon(opts, where)
  let fn: ViewFunction
  let methods: string[] | null = null
  if (typeof view === 'function') {
    fn = view as ViewFunction
    const own: unknown = (view as { methods?: unknown }).methods
    if (own !== undefined) methods = normalizeMethods(own, `the view of ${where}`)
  } else if (typeof view === 'object' && view !== null) {
    fn = compileMethodViews(view as MethodViews, where)
    methods = (fn as unknown as { methods: string[] }).methods
  } else {
    const got = view === null ? 'null' : typeof view
    throw new ImproperlyConfigured(
      'ERR_BAD_VIEW',
      `The view of ${where} must be a function or a method map like { GET: view }, got ${got}.`
    )
  }
  if (opts.methods === '*') {
    if (methods !== null) {
      throw badOption(`${where} allows every method ('*') but its view only handles ${methods.join(', ')}.`)
    }
  } else if (opts.methods !== undefined) {
    const chosen = normalizeMethods(opts.methods, where)
    if (methods !== null) {
      const missing = chosen.filter(
        (m) =>
          !(methods as string[]).includes(m) &&
          !(m === 'HEAD' && (methods as string[]).includes('GET'))
      )
      if (missing.length > 0) {
        throw badOption(
          `${where} allows ${missing.join(', ')} but its view only handles ${methods.join(', ')}.`
        )
      }
    }
    methods = chosen
  } else if (methods === null) {
    // A function view answers GET unless told otherwise (DRF's @api_view, Hono, Fastify): an
    // unsafe method on a view written for reading is refused with 405 instead of running it.
    methods = ['GET']
  }
  return {
    kind: 'path',
    pattern,
    name: opts.name as N,
    view: fn,
    methods,
    middleware: opts.middleware ?? [],
    bodyLimit: opts.bodyLimit,
    serializers:
      opts.response === undefined ? undefined : new ResponseSerializers(opts.response, where),
  }
}

/**
 * Nests a URL conf under a prefix (Django's `include()`). Prefix parameters are merged into every
 * child route's `request.params`; the namespace qualifies the names inside.
 *
 * @param prefix Joined in front of each child pattern (`api/`, `users/<int:uid>/`, or `''`).
 * @param children The nested entries.
 * @param options Namespace, middleware, error handler, body limit.
 * @returns The include definition.
 * @throws ImproperlyConfigured on a bad prefix, children or option.
 * @example
 * ```ts
 * include('api/', [include('notes/', noteUrls, { namespace: 'notes' })], { namespace: 'api' })
 * // reverse('api:notes:detail', { id })
 * ```
 */
export function include<
  const Pre extends string,
  const C extends readonly UrlEntry[],
  const NS extends string | undefined = undefined
>(prefix: Pre, children: C, options?: IncludeOptions<NS>): IncludeEntry<Pre, NoInfer<NS>, C> {
  const where = `include("${String(prefix)}")`
  parsePattern(prefix, 'include prefix')
  if (!Array.isArray(children)) {
    throw badOption(`The children of ${where} must be an array of path()/include() entries.`)
  }
  children.forEach((child: unknown, i) => {
    const kind = (child as { kind?: unknown } | null)?.kind
    if (kind !== 'path' && kind !== 'include') {
      throw badOption(`Entry ${i} of ${where} is not a path() or include() result.`)
    }
  })
  const opts: IncludeOptions = options ?? {}
  checkName(opts.namespace, 'namespace', where)
  checkCommon(opts, where)
  if (opts.errorHandler !== undefined && typeof opts.errorHandler !== 'function') {
    throw badOption(`The errorHandler of ${where} must be a function.`)
  }
  return {
    kind: 'include',
    prefix,
    namespace: opts.namespace as NS,
    children,
    middleware: opts.middleware ?? [],
    errorHandler: opts.errorHandler,
    bodyLimit: opts.bodyLimit,
  }
}

/** `path` and `include` whose views see typed state `S` (see {@link defineUrls}). */
export interface UrlConf<S extends object, Prefix extends string = ''> {
  /** {@link path} with views typed `CycleRequest<S, ParamsOf<Prefix + P>>`. */
  path<const P extends string, const N extends string | undefined = undefined>(
    pattern: P,
    view: RouteView<S, ParamsOf<`${Prefix}${P}`>>,
    options?: PathOptions<N>
  ): PathEntry<P, NoInfer<N>>
  /** {@link include}, unchanged. */
  include: typeof include
}

/**
 * `path`/`include` typed for an app's request state, inferred from its middleware list.
 * `Prefix` (optional) is the include prefix these routes will sit under, so its parameters are
 * typed in the views too.
 *
 * @example
 * ```ts
 * const { path, include } = defineUrls<StateOf<typeof middleware>>()
 * path('me/', (request) => request.state.user) // typed
 * const user = defineUrls<State, 'users/<int:uid>/'>() // request.params.uid: number
 * ```
 */
export function defineUrls<S extends object = RequestState, Prefix extends string = ''>(): UrlConf<
  S,
  Prefix
> {
  return { path: path as UrlConf<S, Prefix>['path'], include }
}

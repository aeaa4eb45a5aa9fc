/**
 * @module
 * The URL resolver (Django's `URLResolver`), compiled once at startup from the URL conf.
 *
 * - Fully static patterns are grouped by path length and compared directly (a crowded length
 *   falls back to a `Map` keyed by the whole path): no hashing of the request path, no allocation.
 * - Patterns with parameters sit in a segment trie. At each segment **static text always wins**
 *   over parameters (like find-my-way and rou3), then parameters are tried in the order they first
 *   appear in the URL conf, with backtracking; a converter whose `toValue` throws declines.
 *   Django tries whole patterns in declaration order instead, so a route that this order would
 *   make unreachable is reported at startup (`ERR_SHADOWED_ROUTE`) rather than silently dead.
 * - The trie is compiled to JavaScript at startup (`_trie-compile.ts`, like rou3's compiler and
 *   find-my-way's params builder); where code generation is disallowed (Workers) the same trie is
 *   interpreted by `walk()`, with identical results.
 * - Several `path()`s with one pattern and disjoint methods form one {@link Endpoint}.
 * - Duplicate routes and names are startup errors too.
 */
import { ImproperlyConfigured } from '../codes'
import type { Layer } from '../layer'
import { middlewareName, type ErrorHandler, type Middleware } from '../middleware'
import type { CycleRequest, Params, RouteMatch } from '../request'
import type { UrlEntry } from './conf'
import type { ResponseSerializers } from '../serializer'
import { buildEndpoints, describeRoute, type EndpointImpl } from './_endpoints'
import { flatten, type ScopedHandler } from './_flatten'
import { ReverseTable } from './_reverse'
import { shadowOf } from './_shadow'
import { TrieNode } from './_trie'
import { compress, insert } from './_trie-build'
import { compileMatcher, type Matcher } from './_trie-compile'
import type { ReverseArgsOf, ReverseQuery, RouteNames } from './types'

/** Re-exported for `app.ts`, which takes the URL conf as `readonly UrlEntry[]`. */
export type { UrlEntry } from './conf'

/** A route after compilation: what `request.route` holds once resolution picked it. */
export interface CompiledRoute extends RouteMatch {
  /** The view, as one function. */
  readonly view: (request: CycleRequest) => unknown
  /** Route-scoped middleware: include-level ones (outermost first), then the path's own. */
  readonly middleware: readonly Middleware[]
  /** Error handlers of the enclosing includes, deepest first. */
  readonly errorHandlers: readonly ErrorHandler[]
  /** The path's body limit, else the nearest include's. */
  readonly bodyLimit: number | undefined
  /** The path's compiled response schemas, if any. */
  readonly serializers: ResponseSerializers | undefined
  /** For a pattern without parameters, what `resolve()` answers, made once (frozen). */
  readonly resolved: ResolvedRoute | undefined
  /**
   * The layers a request for this route passes (the app's middleware, then the route's own),
   * compiled once by the app's pipeline; `undefined` until then, and for routes without their
   * own middleware (they pass the app's list as it is).
   */
  chain: readonly Layer[] | undefined
}

/** What `app.resolve()` finds (Django's `ResolverMatch`, split in two). */
export interface ResolvedRoute {
  /** The route, as `request.route` would hold it. */
  readonly route: RouteMatch
  /** The converted parameters (`{ id: 7 }`), as `request.params` would hold them. */
  readonly params: Params
}

const NO_PARAMS: Params = Object.freeze({}) as Params
/** `resolve()`'s parameter slot: lookups are synchronous, so one object serves every call. */
const scratch: { params: Params } = { params: NO_PARAMS }

function resolvedOf(route: CompiledRoute, params: Params): ResolvedRoute {
  return { route, params }
}

/** One distinct full pattern and the routes answering it, by method. */
export interface Endpoint {
  /** The full pattern (of the first route declared for it). */
  readonly pattern: string
  /** Routes by upper-case method (null prototype). `HEAD` maps to the GET route unless a route declares HEAD. */
  readonly byMethod: Readonly<Record<string, CompiledRoute>>
  /** The route answering every method, if any (then `byMethod` is empty). */
  readonly any: CompiledRoute | undefined
  /** The route answering GET (`byMethod.GET`, else `any`): the common case without a hash lookup. */
  readonly get: CompiledRoute | undefined
  /** Sorted methods for the `Allow` header: declared ones, HEAD with GET, and OPTIONS. */
  readonly allow: readonly string[]
}

/** One route as listed by `app.describe()`. */
export interface RouteInfo {
  /** Full pattern. */
  readonly pattern: string
  /** Qualified name, if named. */
  readonly name: string | undefined
  /** Declared methods, or `null` for all. */
  readonly methods: readonly string[] | null
  /**
   * The methods the route really answers, as its `Allow` header says: the declared ones, HEAD
   * when it answers GET, OPTIONS (answered by core unless a route of the endpoint declares it);
   * `['*']` for a route that answers every method.
   */
  readonly answers: readonly string[]
  /** Names of the route-scoped middleware, outermost first. */
  readonly middleware: readonly string[]
}

/** Options of {@link Resolver}. */
export interface ResolverOptions {
  /** Django's APPEND_SLASH: whether {@link Resolver.hasTrailingSlashMatch} may say yes. Default `true`. */
  appendSlash?: boolean
}

/** Static routes of one path length, compared one by one. */
interface StaticBucket {
  readonly paths: string[]
  readonly endpoints: EndpointImpl[]
}

/** What a route answering every method stands for in the `Allow` of `OPTIONS *`. */
const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const

/** Above this many static routes of one length, the `Map` is used for that length. */
const BUCKET_MAX = 6

/**
 * Compiles a URL conf and resolves paths against it.
 *
 * @example
 * ```ts
 * const resolver = new Resolver([path('notes/<int:id>/', detail, { name: 'detail' })])
 * const target = { params: {} }
 * resolver.match('/notes/7/', target)?.byMethod.GET // the route; target.params = { id: 7 }
 * resolver.reverse('detail', { id: 7 }) // '/notes/7/'
 * ```
 */
export class Resolver<const Urls extends readonly UrlEntry[] = readonly UrlEntry[]> {
  /** Whether APPEND_SLASH redirects are on. */
  readonly appendSlash: boolean
  /** Fully static paths (`/api/me`) → endpoint. */
  readonly #static = new Map<string, EndpointImpl>()
  /**
   * The same static routes by path length: for lengths with a few routes, the candidates are
   * compared directly, which costs less than hashing the freshly parsed request path for the
   * `Map`; a path of a length no static route has skips both. `null` marks a crowded length,
   * looked up in the `Map`.
   */
  readonly #staticByLength: (StaticBucket | null | undefined)[] = []
  readonly #root = new TrieNode<EndpointImpl>(0, '', [])
  readonly #values: unknown[] = []
  readonly #reverse = new ReverseTable()
  readonly #routes: readonly CompiledRoute[]
  readonly #handlers: readonly ScopedHandler[]
  readonly #answers = new Map<CompiledRoute, readonly string[]>()
  readonly #match: Matcher<EndpointImpl> | null = null
  #serverAllow: readonly string[] | undefined = undefined

  /**
   * @param urlpatterns The root URL conf (`path()`/`include()` entries).
   * @param options `appendSlash` (default `true`).
   * @throws ImproperlyConfigured `ERR_DUPLICATE_ROUTE`, `ERR_SHADOWED_ROUTE`,
   *   `ERR_DUPLICATE_NAME`, `ERR_BAD_PATTERN`, `ERR_UNKNOWN_CONVERTER`, `ERR_BAD_OPTION`.
   */
  constructor(urlpatterns: Urls, options: ResolverOptions = {}) {
    if (!Array.isArray(urlpatterns)) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        'The URL conf must be an array of path()/include() entries.'
      )
    }
    this.appendSlash = options.appendSlash ?? true
    const flat = flatten(urlpatterns)
    this.#routes = flat.routes
    this.#handlers = flat.handlers
    const builds = buildEndpoints(flat, this.#reverse)
    for (const build of builds) {
      const endpoint = build.endpoint
      for (const route of build.routes) this.#answers.set(route, answeredBy(route, endpoint))
      if (build.parsed.params.length === 0) {
        for (const route of build.routes) {
          ;(route as { resolved: ResolvedRoute }).resolved = Object.freeze(resolvedOf(route, NO_PARAMS))
        }
        const path = `/${build.parsed.source}`
        this.#static.set(path, endpoint)
        const byLength = this.#staticByLength
        while (byLength.length <= path.length) byLength.push(undefined)
        const bucket = byLength[path.length]
        if (bucket === undefined) byLength[path.length] = { paths: [path], endpoints: [endpoint] }
        else if (bucket !== null) {
          bucket.paths.push(path)
          bucket.endpoints.push(endpoint)
          if (bucket.paths.length > BUCKET_MAX) byLength[path.length] = null
        }
        continue
      }
      insert(this.#root, build.parsed.segments, build.steps).endpoint = endpoint
      while (this.#values.length < endpoint.names.length) this.#values.push(undefined)
    }
    for (const build of builds) {
      if (build.steps.length === 0) continue
      const by = shadowOf(build.parsed.segments, build.steps)
      if (by !== null) {
        const route = describeRoute(build.routes[0] as CompiledRoute)
        const message = `Route ${route} can never match: "${by.pattern}" catches every path it would first. Static segments are tried before parameters, and parameters in the order they first appear at each position; put the narrower route first or make the patterns differ.`
        throw new ImproperlyConfigured('ERR_SHADOWED_ROUTE', message)
      }
    }
    compress(this.#root)
    if (this.#values.length > 0) this.#match = compileMatcher(this.#root)
  }

  /**
   * Resolves a decoded path (`/notes/7/`). On a hit, sets `target.params` to a fresh object of
   * converted values (left alone for patterns without parameters) and returns the endpoint.
   *
   * @param path The decoded request path, starting with `/`.
   * @param target Receives the parameters (the request itself, usually).
   * @returns The endpoint, or `null` when nothing matches.
   */
  match(path: string, target: { params: Params }): Endpoint | null {
    const n = path.length
    if (n < this.#staticByLength.length) {
      const bucket = this.#staticByLength[n]
      if (bucket === null) {
        const hit = this.#static.get(path)
        if (hit !== undefined) return hit
      } else if (bucket !== undefined) {
        const paths = bucket.paths
        for (let i = 0; i < paths.length; i++) {
          if (paths[i] === path) return bucket.endpoints[i] as EndpointImpl
        }
      }
    }
    const matcher = this.#match
    if (matcher === null || path.charCodeAt(0) !== 47) return null
    const values = this.#values
    const endpoint = matcher(path, values)
    if (endpoint === null) return null
    target.params = endpoint.params(values)
    return endpoint
  }

  /**
   * What a request for `path` with `method` would resolve to (Django's `resolve()`), or `null`.
   * Allocation-free for patterns without parameters (their answer is made once).
   *
   * @param path The decoded request path, starting with `/`.
   * @param method The upper-case method.
   */
  resolve(path: string, method: string): ResolvedRoute | null {
    const endpoint = this.match(path, scratch)
    const params = scratch.params
    scratch.params = NO_PARAMS
    if (endpoint === null) return null
    const route = routeFor(endpoint, method)
    if (route === undefined) return null
    return route.resolved ?? resolvedOf(route, params)
  }

  /**
   * Every method some route answers, sorted (the `Allow` of `OPTIONS *`): declared methods, HEAD
   * with GET, OPTIONS; a route answering every method adds the methods of RFC 9110 §9 and PATCH
   * (CONNECT and TRACE left out: no Cycle app answers them on purpose).
   */
  serverAllow(): readonly string[] {
    if (this.#serverAllow !== undefined) return this.#serverAllow
    const out = new Set(['OPTIONS'])
    for (const answers of this.#answers.values()) {
      for (const m of answers[0] === '*' ? ANY_METHODS : answers) out.add(m)
    }
    if (out.has('GET')) out.add('HEAD')
    return (this.#serverAllow = [...out].sort())
  }

  /** Whether `path + '/'` would match (for APPEND_SLASH); always `false` when it is off. */
  hasTrailingSlashMatch(path: string): boolean {
    return (
      this.appendSlash && !path.endsWith('/') && this.match(`${path}/`, { params: {} }) !== null
    )
  }

  /**
   * Builds the path of a named route: `/api/notes/7/`, plus `?query` when given. Name and
   * parameters are type-checked against the URL conf when it has literal types.
   *
   * @throws ImproperlyConfigured `ERR_NO_REVERSE_MATCH` for an unknown name (with suggestions),
   *   missing or extra parameters, or a value its converter refuses.
   */
  reverse<N extends RouteNames<Urls>>(
    name: N,
    ...args: ReverseArgsOf<Urls, N>
  ): string {
    const [params, query] = args as [Record<string, unknown> | undefined, ReverseQuery | undefined]
    return this.#reverse.reverse(name, params, query)
  }

  /** Every full pattern in declaration order (for the debug 404 page). */
  tried(): readonly string[] {
    return [...new Set(this.#routes.map((r) => r.pattern))]
  }

  /** Every route with its qualified name, methods and route-scoped middleware names. */
  routes(): readonly RouteInfo[] {
    return this.#routes.map((r) => ({
      pattern: r.pattern,
      name: r.qualifiedName,
      methods: r.methods,
      answers: this.#answers.get(r) as readonly string[],
      middleware: r.middleware.map((m, i) => middlewareName(m, i)),
    }))
  }

  /** Every compiled route, in declaration order (the pipeline compiles their middleware). */
  compiledRoutes(): readonly CompiledRoute[] {
    return this.#routes
  }

  /**
   * For a path no route matched: the error handlers of the includes whose prefix matches its
   * start, deepest first (slow path).
   */
  errorHandlersFor(path: string): readonly ErrorHandler[] {
    const rel = path.startsWith('/') ? path.slice(1) : path
    const hits = this.#handlers.filter((h) => h.prefix.test(rel)).sort((a, b) => b.depth - a.depth)
    return [...new Set(hits.map((h) => h.handler))]
  }
}

/**
 * The route of `endpoint` that answers `method`: its own, HEAD falling back to GET, then a route
 * answering every method. `undefined` means 405 (or core's OPTIONS answer).
 */
export function routeFor(endpoint: Endpoint, method: string): CompiledRoute | undefined {
  let route = method === 'GET' ? endpoint.get : endpoint.byMethod[method]
  if (route === undefined) {
    if (method === 'HEAD') route = endpoint.byMethod['GET']
    route ??= endpoint.any
  }
  return route
}

/** The methods `route` answers within `endpoint` (see {@link RouteInfo.answers}). */
function answeredBy(route: CompiledRoute, endpoint: Endpoint): readonly string[] {
  if (route.methods === null) return ['*']
  const out = new Set(route.methods)
  if (endpoint.byMethod['HEAD'] === route) out.add('HEAD')
  if (endpoint.byMethod['OPTIONS'] === undefined) out.add('OPTIONS')
  return [...out].sort()
}

/**
 * @module
 * The `cors()` middleware: a request hook that answers preflights before URL resolution (so a
 * preflight never meets routing's 405 or an authentication 401), and a response hook that adds
 * the CORS headers to every answer an allowed origin gets, error answers included.
 */
import { CycleResponse, type CycleRequest, type HeaderMap, type HookMiddleware } from '@cycle/core'
import { resolveOptions, type CorsOptions, type OriginMatcher } from './options'
import { isOriginSyntax } from './origin'

/**
 * Per-request decision, kept on `request.state` under a symbol (one slot, no object allocated):
 * the `Access-Control-Allow-Origin` value for an allowed origin, {@link REFUSED}, or
 * {@link ANSWERED} for a preflight this middleware answered itself.
 */
const kCors: unique symbol = Symbol('cycle.cors')
const REFUSED: unique symbol = Symbol('cycle.cors.refused')
const ANSWERED: unique symbol = Symbol('cycle.cors.answered')
type Decision = string | typeof REFUSED | typeof ANSWERED
type Slot = { [kCors]?: Decision }

/** An `Access-Control-Request-Headers` value worth echoing: a comma list of field names. */
const HEADER_LIST = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*,[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/**
 * The value to send in `Access-Control-Allow-Origin` for a request from `origin` under a list
 * matcher, or `null` when the origin is not allowed. Strings compare exactly on the canonical
 * form (scheme and host case-insensitive); `null` matches only a listed `'null'`; patterns see
 * only well-formed origins, never `null`.
 */
function fromList(
  exact: Map<string, string>,
  patterns: readonly RegExp[],
  origin: string
): string | null {
  const hit = exact.get(origin)
  if (hit !== undefined) return hit
  if (origin === 'null' || !isOriginSyntax(origin)) return null
  // Browsers send the canonical (lower-case) form: the fold is for the rare other client.
  const folded = exact.get(origin.toLowerCase())
  if (folded !== undefined) return folded
  for (let i = 0; i < patterns.length; i++) {
    if ((patterns[i] as RegExp).test(origin)) return origin
  }
  return null
}

/**
 * The CORS middleware. Put it **first** in the app's `middleware` list (at least before
 * authentication and anything else that may answer or throw): its request hook answers
 * preflights before anyone can refuse them, and its response hook then sees every answer,
 * including core's 404/405/500 and other middlewares' 401/403.
 *
 * - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
 *   origin for an allowed method is answered at once: 204 with `Access-Control-Allow-Origin`,
 *   `-Allow-Methods`, `-Allow-Headers`, `-Max-Age` (and `-Allow-Credentials`,
 *   `-Allow-Private-Network` when configured and asked for), for any path;
 * - a preflight from a refused origin or for a refused method is not answered here: it goes on
 *   to routing like any `OPTIONS` (204 with `Allow` for a route, 404 for none) and gets no CORS
 *   header, so the browser blocks the actual request;
 * - every other answer to an allowed origin gets `Access-Control-Allow-Origin` (the origin
 *   itself, or `*` with `origin: '*'`), `-Allow-Credentials` and `-Expose-Headers` as configured;
 * - `Vary: Origin` on every answer unless `origin` is `'*'` (the answer then does not depend on
 *   the origin), refusals and requests without `Origin` included.
 *
 * @param options see {@link CorsOptions}; `origin` is required
 * @returns a hook middleware named `cors`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` on an invalid option, at once; among them
 *   `origin: '*'` with `credentials: true`
 *
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { cors } from '@cycle/middleware-cors'
 *
 * const app = createApp({
 *   middleware: [cors({ origin: ['https://app.example.com'], credentials: true })],
 *   urls: [path('notes/', () => [{ id: 1 }])],
 * })
 * const res = await app.fetch(
 *   new Request('http://localhost/notes/', { headers: { origin: 'https://app.example.com' } })
 * )
 * console.log(res.headers.get('access-control-allow-origin')) // https://app.example.com
 * ```
 */
export function cors(options: CorsOptions): HookMiddleware {
  const o = resolveOptions(options)
  const matcher: OriginMatcher = o.origin
  const any = matcher.kind === 'any'
  const methods = o.methods
  const credentials = o.credentials
  const expose = o.exposeHeaders
  const reflect = o.allowHeaders === null
  const privateNetwork = o.privateNetwork

  // The fixed part of every preflight answer, copied into each one in one pass.
  const preflightBase = new CycleResponse(null).headers
  preflightBase.set('access-control-allow-methods', o.allowMethods)
  if (o.allowHeaders !== null && o.allowHeaders !== '') {
    preflightBase.set('access-control-allow-headers', o.allowHeaders)
  }
  preflightBase.set('access-control-max-age', o.maxAge)
  if (credentials) preflightBase.set('access-control-allow-credentials', 'true')
  if (!any) preflightBase.vary('Origin')
  if (reflect) preflightBase.vary('Access-Control-Request-Headers')
  const preflightInit = { status: 204, headers: preflightBase }

  /** The preflight answer for an allowed origin and method. */
  const preflight = (request: CycleRequest, allowOrigin: string): CycleResponse => {
    ;(request.state as Slot)[kCors] = ANSWERED
    const res = new CycleResponse(null, preflightInit)
    const h = res.headers
    h.set('access-control-allow-origin', allowOrigin)
    if (reflect) {
      const asked = request.header('access-control-request-headers')
      if (asked !== null && HEADER_LIST.test(asked)) h.set('access-control-allow-headers', asked)
    }
    if (privateNetwork && request.header('access-control-request-private-network') === 'true') {
      h.set('access-control-allow-private-network', 'true')
    }
    return res
  }

  /**
   * Records the decision for `request`; answers when it is a preflight (`asked` is its
   * `Access-Control-Request-Method`) that may go ahead.
   */
  const settle = (
    request: CycleRequest,
    allowOrigin: string | null,
    asked: string | null
  ): CycleResponse | undefined => {
    if (allowOrigin === null || (asked !== null && !methods.has(asked))) {
      ;(request.state as Slot)[kCors] = REFUSED
      return undefined
    }
    if (asked !== null) return preflight(request, allowOrigin)
    ;(request.state as Slot)[kCors] = allowOrigin
    return undefined
  }

  const settleLater = async (
    request: CycleRequest,
    pending: Promise<boolean>,
    origin: string,
    asked: string | null
  ): Promise<CycleResponse | undefined> =>
    settle(request, (await pending) === true ? origin : null, asked)

  /** Adds the headers of an allowed answer. */
  const allow = (h: HeaderMap, allowOrigin: string): void => {
    h.set('access-control-allow-origin', allowOrigin)
    if (credentials) h.set('access-control-allow-credentials', 'true')
    if (expose !== '') h.set('access-control-expose-headers', expose)
  }

  if (any) {
    // `origin: '*'`: the answer does not depend on the origin, so every answer carries the same
    // headers and no `Vary: Origin`; only a preflight needs a decision (its method).
    return {
      name: 'cors',
      request(request) {
        if (request.method !== 'OPTIONS' || request.header('origin') === null) return
        const asked = request.header('access-control-request-method')
        if (asked === null) return
        return settle(request, '*', asked)
      },
      response(request, response) {
        if (request.method === 'OPTIONS' && request.header('origin') !== null) {
          const d = (request.state as Slot)[kCors]
          // Answered here (headers already set), or a refused preflight (none at all).
          if (d === ANSWERED || d === REFUSED) return
        }
        allow(response.headers, '*')
      },
    }
  }

  const decide = (request: CycleRequest, origin: string): string | null | Promise<boolean> => {
    if (matcher.kind === 'list') return fromList(matcher.exact, matcher.patterns, origin)
    if (matcher.kind === 'function') {
      if (!isOriginSyntax(origin)) return null
      const verdict = matcher.decide(origin, request)
      if (isPromise(verdict)) return verdict
      return verdict === true ? origin : null
    }
    return null
  }

  return {
    name: 'cors',
    request(request) {
      const origin = request.header('origin')
      if (origin === null) return
      const asked =
        request.method === 'OPTIONS' ? request.header('access-control-request-method') : null
      if (asked !== null && !methods.has(asked)) return settle(request, null, asked)
      const verdict = decide(request, origin)
      if (verdict !== null && typeof verdict !== 'string') {
        return settleLater(request, verdict, origin, asked)
      }
      return settle(request, verdict, asked)
    },
    response(request, response) {
      const h = response.headers
      // The answer depends on Origin whatever it says: allowed, refused, or no Origin at all.
      if (request.header('origin') === null) {
        h.vary('Origin')
        return
      }
      const d = (request.state as Slot)[kCors]
      if (d === ANSWERED) return // a preflight answered here, headers and Vary already set
      h.vary('Origin')
      if (typeof d === 'string') allow(h, d)
    },
  }
}

/**
 * @module
 * `toFetchHandler(app)`: the WHATWG `fetch(Request) → Response` gateway (Cycle's WSGI for
 * Workers, Deno, Bun and Node fetch servers). A thin conversion: wrap the request, run the
 * cycle, convert the response. Runtime-neutral: no `node:*` import anywhere.
 */
import {
  DEFAULT_BODY_LIMIT,
  ImproperlyConfigured,
  PROBLEM_TYPE,
  type CycleRequest,
  type CycleResponse,
  type WebRequestInit,
} from '@cycle/core'
import { FetchRequest } from './request'

/** Anything with core's `app.handle()`: a Cycle `App`. */
export interface FetchApp {
  handle(request: CycleRequest): CycleResponse | Promise<CycleResponse>
}

/** The execution context Workers pass as the third `fetch` argument. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

/** Options of {@link toFetchHandler}. */
export interface FetchHandlerOptions<Env = unknown> {
  /**
   * Default body size limit in bytes (the app's `bodyLimit` and a route's override win).
   * Enforced on the byte stream, so a chunked body without `Content-Length` gets its 413 too.
   * Default 1 MiB.
   */
  bodyLimit?: number
  /** Server shutdown: when it aborts, every in-flight `request.signal` aborts too. */
  signal?: AbortSignal
  /**
   * Believe `Forwarded` (RFC 7239) and `X-Forwarded-Proto/-For/-Host` for `request.protocol`,
   * `request.remoteAddress` and `request.host`. Only behind a proxy that overwrites them.
   * Default false.
   */
  trustProxy?: boolean
  /** Client address from the platform: Bun's `server.requestIP(req)`, Deno's `info.remoteAddr`. */
  getRemoteAddress?: (
    request: Request,
    env: Env,
    ctx: ExecutionContext | undefined
  ) => string | undefined
  /** Told about failures outside the cycle (which still get a 500 problem response). */
  onError?: (error: unknown, request: Request) => void
}

/**
 * A fetch handler: `export default { fetch }` on Workers, `Deno.serve(fetch)`, `Bun.serve({ fetch })`.
 * It answers synchronously when the app did (every hook and the view synchronous), else with a
 * promise, which every runtime accepts; `await` works on both.
 */
export type FetchHandler<Env = unknown> = (
  request: Request,
  env?: Env,
  ctx?: ExecutionContext
) => Response | Promise<Response>

const INTERNAL_ERROR = JSON.stringify({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
})

function checkOptions(app: FetchApp, options: FetchHandlerOptions<never>): void {
  if (typeof app?.handle !== 'function') bad('needs a Cycle app (an object with handle(request)).')
  const { bodyLimit, signal, trustProxy, getRemoteAddress, onError } = options
  if (bodyLimit !== undefined && !(typeof bodyLimit === 'number' && bodyLimit >= 0)) {
    bad(`bodyLimit must be a number of bytes ≥ 0, got ${String(bodyLimit)}.`)
  }
  if (signal !== undefined && typeof (signal as { aborted?: unknown })?.aborted !== 'boolean') {
    bad('signal must be an AbortSignal.')
  }
  if (trustProxy !== undefined && typeof trustProxy !== 'boolean') {
    bad(`trustProxy must be true or false, got ${String(trustProxy)}.`)
  }
  if (getRemoteAddress !== undefined && typeof getRemoteAddress !== 'function') {
    bad('getRemoteAddress must be a function (request, env, ctx) => string | undefined.')
  }
  if (onError !== undefined && typeof onError !== 'function') bad('onError must be a function.')
}

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `toFetchHandler(): ${message}`)
}

/**
 * Turns a Cycle app into a fetch handler. It never throws and its promise never rejects: every
 * failure is an `application/problem+json` response (the app's own, or a bare 500 if something
 * outside the cycle breaks). A synchronous app answer comes back synchronously, as Hono's
 * `app.fetch` does. HEAD responses carry no body.
 *
 * @param app the app from `createApp()`
 * @param options body limit, shutdown signal, proxy trust, remote address, error hook
 * @returns `(request, env?, ctx?) => Response | Promise<Response>`
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) on a bad app or option, at once
 * @example
 * ```ts
 * // Cloudflare Workers: env → request.env, ctx.waitUntil → request.waitUntil
 * export default { fetch: toFetchHandler(app) }
 * // Deno: the second argument is `info`
 * const handler = toFetchHandler(app, { getRemoteAddress: (_req, info) => info.remoteAddr.hostname })
 * Deno.serve((req, info) => handler(req, info))
 * ```
 */
export function toFetchHandler<Env = unknown>(
  app: FetchApp,
  options: FetchHandlerOptions<Env> = {}
): FetchHandler<Env> {
  checkOptions(app, options as FetchHandlerOptions<never>)
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const trustProxy = options.trustProxy === true
  const shutdown = options.signal
  const getRemoteAddress = options.getRemoteAddress
  const onError = options.onError

  const failed = (error: unknown, request: Request): Response => {
    if (onError !== undefined) {
      try {
        onError(error, request)
      } catch {
        // A broken error hook must not turn a 500 into a rejected promise.
      }
    }
    return new Response(request.method === 'HEAD' ? null : INTERNAL_ERROR, {
      status: 500,
      headers: { 'content-type': PROBLEM_TYPE },
    })
  }

  const platformInit = (request: Request, env?: Env, ctx?: ExecutionContext): WebRequestInit => {
    const init: WebRequestInit = { env, signal: shutdown }
    // Workers' waitUntil throws "Illegal invocation" when called detached from ctx.
    if (ctx !== undefined && typeof ctx.waitUntil === 'function') {
      init.waitUntil = ctx.waitUntil.bind(ctx)
    }
    if (getRemoteAddress !== undefined) {
      init.remoteAddress = getRemoteAddress(request, env as Env, ctx)
    }
    return init
  }

  return function fetchHandler(request: Request, env?: Env, ctx?: ExecutionContext) {
    try {
      // No platform extras (a bare in-process call): no init object to allocate.
      const plain = env === undefined && ctx === undefined && shutdown === undefined
      const req = new FetchRequest(
        request,
        plain && getRemoteAddress === undefined ? undefined : platformInit(request, env, ctx),
        trustProxy
      )
      if (bodyLimit !== DEFAULT_BODY_LIMIT) req.bodyLimit = bodyLimit
      const out = app.handle(req)
      const head = req.method === 'HEAD'
      // A synchronous answer is returned as is: no promise, no microtask hops.
      if (typeof (out as Partial<PromiseLike<unknown>>).then !== 'function') {
        return (out as CycleResponse).toResponse(head)
      }
      return Promise.resolve(out)
        .then((response) => response.toResponse(head))
        .catch((error: unknown) => failed(error, request))
    } catch (error) {
      return failed(error, request)
    }
  }
}

/**
 * @module
 * `toFetchHandler(app)`: the WHATWG `fetch(Request) → Response` gateway (Cycle's WSGI for
 * Workers, Deno, Bun and Node fetch servers). A thin conversion: wrap the request, run the
 * cycle, convert the response. Runtime-neutral: no `node:*` import anywhere. The options, the
 * forwarding rules and the error-reporting path are core's gateway contract
 * (`@cycle/core/gateway`), shared with gateway-node.
 */
import {
  BadRequest,
  ImproperlyConfigured,
  PROBLEM_TYPE,
  ServiceUnavailable,
  type CycleRequest,
  type CycleResponse,
} from '@cycle/core'
import {
  DEFAULT_BODY_LIMIT,
  responseForError,
  type WebRequestInit,
  assertGatewayApp,
  compileGatewayOptions,
  type GatewayApp,
} from '@cycle/core/gateway'
import type { ExecutionContext, FetchHandler, FetchHandlerOptions } from './options'
import { FetchRequest, type FetchContext } from './request'
import { toWebResponse } from './response'

const INTERNAL_ERROR = JSON.stringify({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
})

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `gateway-fetch: ${message}`)
}

/**
 * Turns a Cycle app into a fetch handler. It never throws and its promise never rejects: every
 * failure is an `application/problem+json` response (the app's own, or a bare 500 if something
 * outside the cycle breaks, which is reported to the app's `requestException` listeners and then
 * `onError`). A synchronous app answer comes back synchronously, as Hono's `app.fetch` does.
 * HEAD responses carry the GET's `Content-Length` and no body.
 *
 * @param app the app from `createApp()`
 * @param options body limit, proxy trust, error handler, shutdown signal, client address
 * @returns `(request, env?, ctx?) => Response | Promise<Response>`
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) on a bad app or option, at once
 * @example
 * ```ts
 * import { createApp, path, text } from '@cycle/core'
 * import { toFetchHandler } from '@cycle/gateway-fetch'
 *
 * const app = createApp({ urls: [path('', () => text('hi'))] })
 * // Cloudflare Workers: env → request.env, ctx.waitUntil → request.waitUntil
 * export default { fetch: toFetchHandler(app) }
 * ```
 */
export function toFetchHandler<Env = unknown>(
  app: GatewayApp,
  options: FetchHandlerOptions<Env> = {}
): FetchHandler<Env> {
  assertGatewayApp(app, 'toFetchHandler(app)')
  const config = compileGatewayOptions(app, options, 'gateway-fetch')
  const { getRemoteAddress } = options
  if (getRemoteAddress !== undefined && typeof getRemoteAddress !== 'function') {
    bad('getRemoteAddress must be a function (request, env, ctx) => string | undefined.')
  }
  const list = Array.isArray(options.trustProxy) && options.trustProxy.length > 0
  if ((list || typeof options.trustProxy === 'function') && getRemoteAddress === undefined) {
    // Silently trusting nobody would look like a proxy bug; say so now instead.
    bad(
      'trustProxy as a list or a function judges the peer by its address, so it needs ' +
        'getRemoteAddress (Bun: server.requestIP(request)?.address, Deno: ' +
        'info.remoteAddr.hostname). Workers have no peer address: use a hop count or true.'
    )
  }
  const { bodyLimit, report, signal: shutdown } = config
  const context: FetchContext = {
    trust: config.trust,
    getRemoteAddress: getRemoteAddress as FetchContext['getRemoteAddress'],
  }
  let closing = shutdown?.aborted === true
  shutdown?.addEventListener('abort', () => (closing = true), { once: true })

  const failed = (error: unknown, raw: Request, request: CycleRequest | null): Response => {
    report(error, request)
    return new Response(raw.method === 'HEAD' ? null : INTERNAL_ERROR, {
      status: 500,
      headers: { 'content-type': PROBLEM_TYPE },
    })
  }

  const platformInit = (env?: Env, ctx?: ExecutionContext): WebRequestInit => {
    // The shutdown signal joins the request's own: in-flight `request.signal`s abort with it.
    const init: WebRequestInit = { env, signal: shutdown }
    // Workers' waitUntil throws "Illegal invocation" when called detached from ctx.
    if (ctx !== undefined && typeof ctx.waitUntil === 'function') {
      init.waitUntil = ctx.waitUntil.bind(ctx)
    }
    return init
  }

  return function fetchHandler(request: Request, env?: Env, ctx?: ExecutionContext) {
    let req: FetchRequest | null = null
    try {
      // No platform extras (a bare in-process call): no init object to allocate.
      const plain = env === undefined && ctx === undefined && shutdown === undefined
      req = new FetchRequest(request, plain ? undefined : platformInit(env, ctx), context, ctx)
      if (bodyLimit !== DEFAULT_BODY_LIMIT) req.bodyLimit = bodyLimit
      if (closing) {
        // As gateway-node answers while closing: the app is not run, the client may retry.
        const refusal = new ServiceUnavailable('The server is shutting down; retry the request.')
        return toWebResponse(responseForError(req, refusal, false), req, report)
      }
      // What the runtime joined or rewrote: a repeated Host, Authorization or Content-Type.
      const problem = req.fieldsProblem()
      if (problem !== null) {
        return toWebResponse(responseForError(req, new BadRequest(problem), false), req, report)
      }
      const out = app.handle(req)
      // A synchronous answer is returned as is: no promise, no microtask hops.
      if (typeof (out as Partial<PromiseLike<unknown>>).then !== 'function') {
        return toWebResponse(out as CycleResponse, req, report)
      }
      const bound = req
      return Promise.resolve(out)
        .then((response) => toWebResponse(response, bound, report))
        .catch((error: unknown) => failed(error, request, bound))
    } catch (error) {
      return failed(error, request, req)
    }
  }
}

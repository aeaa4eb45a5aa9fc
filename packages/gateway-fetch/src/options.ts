/**
 * @module
 * Types of {@link toFetchHandler}'s options and result.
 */
import type { GatewayOptions } from '@cycle/core/gateway'

/** The execution context Workers pass as the third `fetch` argument. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * Options of `toFetchHandler()`: the options every gateway shares (`bodyLimit`, `trustProxy`,
 * `onError`, `signal`; see `GatewayOptions` in `@cycle/core/gateway`), plus the platform's
 * client address.
 */
export interface FetchHandlerOptions<Env = unknown> extends GatewayOptions {
  /**
   * The client address from the platform, asked for when something first reads
   * `request.remoteAddress` (or when `trustProxy` needs the peer): Bun's
   * `server.requestIP(request)?.address`, Deno's `info.remoteAddr.hostname`. Workers have no
   * socket address. Required with `trustProxy` as a list or a function, which judge the peer by it.
   */
  getRemoteAddress?: (
    request: Request,
    env: Env,
    ctx: ExecutionContext | undefined
  ) => string | null | undefined
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

/**
 * @module
 * `@cycle/gateway-fetch`: serve a Cycle app from any WHATWG fetch server: Cloudflare Workers,
 * Deno, Bun, or Node.
 *
 * @example
 * ```ts
 * import { createApp, path, text } from '@cycle/core'
 * import { toFetchHandler } from '@cycle/gateway-fetch'
 *
 * const app = createApp({ urls: [path('', () => text('hi'))] })
 * export default { fetch: toFetchHandler(app) }
 * ```
 */
export { toFetchHandler } from './handler'
export type { ExecutionContext, FetchHandler, FetchHandlerOptions } from './options'
// The shared contract's types, re-exported for convenience (they live in `@cycle/core/gateway`).
export type { GatewayApp, GatewayErrorHandler, TrustProxy } from '@cycle/core/gateway'

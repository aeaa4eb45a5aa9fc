/**
 * @module
 * `@cycle/gateway-fetch`: serve a Cycle app from any WHATWG fetch server: Cloudflare Workers,
 * Deno, Bun, or Node.
 *
 * @example
 * ```ts
 * import { toFetchHandler } from '@cycle/gateway-fetch'
 * export default { fetch: toFetchHandler(app) }
 * ```
 */
export { toFetchHandler } from './handler'
export type { ExecutionContext, FetchApp, FetchHandler, FetchHandlerOptions } from './handler'

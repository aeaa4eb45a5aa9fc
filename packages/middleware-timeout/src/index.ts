/**
 * @module
 * `@cycle/middleware-timeout`: a per-route deadline. It aborts `request.signal` and answers a 503
 * or 504 problem once, on time, even if the view answers later. No runtime dependencies.
 */
export { timeout } from './timeout'
export type { TimeoutOptions } from './timeout'

/**
 * @module
 * `@cycle/middleware-cors`: Cross-Origin Resource Sharing for Cycle. Preflights answered before
 * routing, origins as a list, a pattern or a function, credentials that can never meet a
 * wildcard, `Vary: Origin` on every answer that depends on it, CORS headers on error answers,
 * and Private Network Access preflights. No runtime dependencies besides `@cycle/core`.
 */
export { cors } from './cors'
export type { CorsOptions, OriginOption, OriginFunction } from './options'

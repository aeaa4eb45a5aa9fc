/**
 * @module
 * `@cycle/gateway-node`: runs a Cycle app on `node:http` (and `node:https`, `node:http2`).
 *
 * - {@link toNodeHandler}: a `(req, res)` listener for any existing node server;
 * - {@link serve}: starts a server with sane timeouts and graceful shutdown;
 * - {@link serveCluster}: one server per CPU core through `node:cluster`.
 */
export { toNodeHandler } from './handler'
export type { NodeHandler } from './handler'
export { serve } from './serve'
export { serveCluster } from './cluster'
export type { ClusterOptions, ClusterHandle } from './cluster'
export { NodeRequest } from './request'
export { onClientError } from './client-error'
export type { ParserError } from './client-error'
export { DEFAULTS } from './options'
export type { HandlerOptions, ServeOptions, ServerHandle, CloseOptions, Timeouts } from './options'
// The shared contract's types, re-exported for convenience (they live in `@cycle/core/gateway`).
export type { GatewayApp, GatewayErrorHandler, TrustProxy } from '@cycle/core/gateway'

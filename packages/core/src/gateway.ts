/**
 * @module
 * `@cycle/core/gateway`: what only a gateway author needs (Hono's `hono/adapter`). The contract
 * both `@cycle/gateway-node` and `@cycle/gateway-fetch` meet, decided once, runtime-neutral:
 *
 * - {@link GatewayApp}, {@link GatewayOptions} and {@link compileGatewayOptions}: the app a
 *   gateway accepts, the options every gateway takes (`bodyLimit`, `trustProxy`, `onError`,
 *   `signal`) and their validation;
 * - the error-reporting path: {@link GatewayConfig.report} tells the app's `requestException`
 *   listeners, then `onError`;
 * - {@link compileTrust} and {@link resolveForwarded}: `trustProxy` and the `Forwarded` /
 *   `X-Forwarded-*` walk from the server's peer outwards;
 * - the request side: {@link CycleRequest} to subclass (or {@link WebRequest} over a WHATWG
 *   `Request`), with the body limit the readers enforce;
 * - the response side: {@link headerFields} and {@link headerCookies} to write the headers in one
 *   call, {@link responseForError} for what a gateway answers itself (a bad Host, a server
 *   shutting down), {@link iterableToStream} for async-iterable bodies.
 *
 * @example
 * ```ts
 * import { compileGatewayOptions, resolveForwarded } from '@cycle/core/gateway'
 *
 * const config = compileGatewayOptions(app, { trustProxy: ['10.0.0.0/8'] }, 'my-gateway')
 * // per request, only when config.trust !== null and something reads the client:
 * const client = resolveForwarded(request, socketAddress, 'http', config.trust)
 * ```
 */
export { assertGatewayApp, compileGatewayOptions } from './gateway-app'
export type { GatewayApp, GatewayConfig, GatewayErrorHandler, GatewayOptions } from './gateway-app'
export { compileTrust, isIp } from './trust'
export type { CompiledTrust, TrustProxy } from './trust'
export { nodeAddress, parseForwarded, resolveForwarded } from './forwarded'
export type { ForwardedElement, ForwardedInfo, HeaderSource } from './forwarded'
export { normalizeHost } from './hosts'
export { CycleRequest, DEFAULT_BODY_LIMIT } from './request'
export type { RawBody } from './request'
export { WebRequest } from './web-request'
export type { WebRequestInit } from './web-request'
export { headerFields, headerCookies } from './headers'
export { responseForError } from './exception-response'
export type { DebugInfo } from './exception-response'
export { iterableToStream } from './response'

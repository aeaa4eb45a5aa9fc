/**
 * State shared by every request of one handler (and its server, when `serve()` made it):
 * options compiled once (by core's gateway contract), the shutdown flag, and what graceful
 * shutdown has to wait for or abort.
 */
import type { CycleRequest } from '@cycle/core'
import {
  compileGatewayOptions,
  type CompiledTrust,
  type GatewayApp,
  type GatewayConfig,
} from '@cycle/core/gateway'
import type { HandlerOptions } from './options'

/** Per-socket count of requests the app has not finished answering (HTTP/1 only). */
export const kInflight: unique symbol = Symbol('cycle.inflight')

/** A socket as the gateway sees it. */
export interface TrackedSocket {
  [kInflight]?: number
}

/** Internal, per-handler state. */
export interface GatewayContext {
  /** Set by `close()` (or the handler's `signal`): new requests get a 503, responses close. */
  closing: boolean
  /** Default body limit for requests. */
  readonly bodyLimit: number
  /** Compiled `trustProxy`, or `null` to ignore forwarding headers. */
  readonly trust: CompiledTrust | null
  /** Core's reporting path: the app's `requestException` listeners, then `onError`. */
  readonly report: GatewayConfig['report']
  /** Abort controllers of requests whose `signal` was read and which are still running. */
  readonly live: Set<AbortController>
  /** `waitUntil()` promises still running. */
  readonly pending: Set<Promise<unknown>>
  /** During shutdown: called when a response finished, to close the connection if idle. */
  sweep: (() => void) | null
  /**
   * Largest HTTP/1 header section in bytes, counted as RFC 9112 §5 does (`serve()`'s
   * `maxHeaderSize`); `Infinity` for a bare handler, whose server keeps node's own count.
   */
  maxHeaderSize: number
}

/** Validates the handler options and builds the shared context. */
export function createContext(
  app: GatewayApp | undefined,
  options: HandlerOptions = {}
): GatewayContext {
  const config = compileGatewayOptions(app, options, 'gateway-node')
  return {
    closing: false,
    bodyLimit: config.bodyLimit,
    trust: config.trust,
    report: config.report,
    live: new Set(),
    pending: new Set(),
    sweep: null,
    maxHeaderSize: Infinity,
  }
}

/** Reports an error outside the cycle (once to the app, then `onError`); never throws. */
export function report(ctx: GatewayContext, error: unknown, request: CycleRequest | null): void {
  ctx.report(error, request)
}

/** The reason in-flight `request.signal`s abort with when the server shuts down. */
export function shuttingDown(): DOMException {
  return new DOMException('The server is shutting down.', 'AbortError')
}

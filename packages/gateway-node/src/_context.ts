/**
 * State shared by every request of one handler (and its server, when `serve()` made it):
 * options compiled once, the shutdown flag, and what graceful shutdown has to wait for or abort.
 */
import { DEFAULT_BODY_LIMIT, ImproperlyConfigured, type CycleRequest } from '@cycle/core'
import { compileTrust, type TrustFn } from './_forwarded'
import type { GatewayErrorHandler, HandlerOptions } from './options'

/** Per-socket count of requests the app has not finished answering (HTTP/1 only). */
export const kInflight: unique symbol = Symbol('cycle.inflight')

/** A socket as the gateway sees it. */
export interface TrackedSocket {
  [kInflight]?: number
}

/** Internal, per-handler state. */
export interface GatewayContext {
  /** Set by `close()`: new requests get a 503 and responses carry `Connection: close`. */
  closing: boolean
  /** Default body limit for requests. */
  readonly bodyLimit: number
  /** Compiled `trustProxy`, or `null` to ignore forwarding headers. */
  readonly trust: TrustFn | null
  /** Where unanswerable errors go. */
  readonly onError: GatewayErrorHandler
  /** Abort controllers of requests whose `signal` was read and which are still running. */
  readonly live: Set<AbortController>
  /** `waitUntil()` promises still running. */
  readonly pending: Set<Promise<unknown>>
  /** During shutdown: called when a response finished, to close the connection if idle. */
  sweep: (() => void) | null
}

function defaultOnError(error: unknown, request: CycleRequest | null): void {
  const where = request === null ? '' : ` (${request.method} ${request.target})`
  console.error(`[cycle/gateway-node] unhandled error${where}:`, error)
}

/** Validates the handler options and builds the shared context. */
export function createContext(options: HandlerOptions = {}): GatewayContext {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  if (typeof limit !== 'number' || !(limit >= 0)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `bodyLimit must be a number of bytes ≥ 0, got ${String(limit)}.`
    )
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', 'onError must be a function.')
  }
  return {
    closing: false,
    bodyLimit: limit,
    trust: compileTrust(options.trustProxy),
    onError: options.onError ?? defaultOnError,
    live: new Set(),
    pending: new Set(),
    sweep: null,
  }
}

/** Reports an error without ever throwing. */
export function report(ctx: GatewayContext, error: unknown, request: CycleRequest | null): void {
  try {
    ctx.onError(error, request)
  } catch {
    // A failing error reporter must not take the process down.
  }
}

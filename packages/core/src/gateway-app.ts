/**
 * @module
 * The contract every gateway meets, decided once: the app it accepts, the options both gateways
 * share (`bodyLimit`, `trustProxy`, `onError`, `signal`), their validation, and the one path by
 * which an error outside the cycle is reported.
 */
import { ImproperlyConfigured } from './codes'
import { DEFAULT_BODY_LIMIT, type CycleRequest } from './request'
import type { CycleResponse } from './response'
import { compileTrust, type CompiledTrust, type TrustProxy } from './trust'

/**
 * What a gateway needs from an app. `createApp()`'s `App` fits; so does any object with a
 * `handle()` that never rejects.
 */
export interface GatewayApp {
  /** Runs one request through the cycle. */
  handle(request: CycleRequest): CycleResponse | Promise<CycleResponse>
  /**
   * Tells the app's `requestException` listeners about an error outside the cycle (a response
   * stream that broke, a failed write). Gateways call it once per such error, before `onError`.
   */
  reportException?(request: CycleRequest, error: unknown): void
  /** Runs the shutdown hooks (`app.onClose()`); called once by a server's `close()`. */
  close?(): Promise<void>
}

/**
 * Told about errors a gateway cannot turn into a response: a stream failing mid-way, a failed
 * write, an app that throws. `request` is `null` for server-level errors (accept failures).
 */
export type GatewayErrorHandler = (error: unknown, request: CycleRequest | null) => void

/** The options every gateway takes, with the same names and meanings. */
export interface GatewayOptions {
  /** Default request body limit in bytes (the app's and a route's override it). Default 1 MiB. */
  bodyLimit?: number
  /** Which proxies to believe about the client (see {@link TrustProxy}). Default `false`. */
  trustProxy?: TrustProxy
  /**
   * Where errors outside the cycle go, after the app's `requestException` listeners.
   * Default: `console.error`.
   */
  onError?: GatewayErrorHandler
  /**
   * The server is shutting down. From then on, new requests are answered 503 without running the
   * app, and in-flight requests' `request.signal` aborts (gateway-node's `serve()` first lets them
   * finish within `shutdownTimeout`).
   */
  signal?: AbortSignal
}

/** {@link GatewayOptions} validated and compiled once. */
export interface GatewayConfig {
  /** The default body limit. */
  readonly bodyLimit: number
  /** The compiled `trustProxy`; `null` means no forwarding field is ever read. */
  readonly trust: CompiledTrust | null
  /** Reports an error outside the cycle: the app's listeners once, then `onError`. Never throws. */
  readonly report: (error: unknown, request: CycleRequest | null) => void
  /** The shutdown signal, if any. */
  readonly signal: AbortSignal | undefined
}

/**
 * Checks that `app` is something a gateway can serve.
 *
 * @param app what the user passed
 * @param caller the function name for the message, e.g. `'toNodeHandler(app)'`
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) when `app` has no `handle(request)` method
 */
export function assertGatewayApp(app: unknown, caller: string): asserts app is GatewayApp {
  if (typeof (app as Partial<GatewayApp> | null)?.handle !== 'function') {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `${caller} needs an app with a handle(request) method (the result of createApp()), ` +
        `got ${app === null ? 'null' : typeof app}.`
    )
  }
}

function bad(gateway: string, message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `${gateway}: ${message}`)
}

/**
 * Validates the shared options and compiles them.
 *
 * @param app the app errors are reported to (`undefined`: `onError` only)
 * @param options the user's options
 * @param gateway the gateway's name, for messages and the default error log
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) naming the option and what to fix
 */
export function compileGatewayOptions(
  app: GatewayApp | undefined,
  options: GatewayOptions,
  gateway: string
): GatewayConfig {
  const { bodyLimit = DEFAULT_BODY_LIMIT, onError, signal } = options
  if (typeof bodyLimit !== 'number' || !(bodyLimit >= 0)) {
    bad(gateway, `bodyLimit must be a number of bytes ≥ 0, got ${String(bodyLimit)}.`)
  }
  if (onError !== undefined && typeof onError !== 'function') {
    bad(gateway, 'onError must be a function (error, request) => void.')
  }
  if (
    signal !== undefined &&
    (typeof (signal as Partial<AbortSignal> | null)?.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function')
  ) {
    bad(gateway, 'signal must be an AbortSignal.')
  }
  return {
    bodyLimit,
    trust: compileTrust(options.trustProxy),
    report: createReporter(app, onError ?? logTo(gateway)),
    signal,
  }
}

function logTo(gateway: string): GatewayErrorHandler {
  return (error, request) => {
    const where = request === null ? '' : ` (${request.method} ${request.target})`
    console.error(`[cycle/${gateway}] unhandled error${where}:`, error)
  }
}

/**
 * The one reporting path for errors outside the cycle: the app's `requestException` listeners
 * (through `app.reportException()`, for request-bound errors), then `onError`. A throwing
 * listener or handler is swallowed: reporting must never take the server down.
 */
function createReporter(
  app: GatewayApp | undefined,
  onError: GatewayErrorHandler
): (error: unknown, request: CycleRequest | null) => void {
  return function report(error, request) {
    if (request !== null && typeof app?.reportException === 'function') {
      try {
        app.reportException(request, error)
      } catch {
        // The app's own reporting failed; onError still hears about the error.
      }
    }
    try {
      onError(error, request)
    } catch {
      // A failing error handler must not turn one error into a crash.
    }
  }
}

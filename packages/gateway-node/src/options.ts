/**
 * @module
 * Options of {@link toNodeHandler} and `serve()`, and their defaults.
 */
import type { GatewayOptions } from '@cycle/core/gateway'
import type { SecureServerOptions } from 'node:http2'
import type { ServerOptions as HttpsServerOptions } from 'node:https'
import type { Server } from 'node:net'

/**
 * Options of {@link toNodeHandler}: the options every gateway shares (see `GatewayOptions` in
 * `@cycle/core/gateway`). `signal` here means "the server is shutting down": new requests get a
 * 503 with `Connection: close`, and in-flight requests' `request.signal` aborts.
 */
export type HandlerOptions = GatewayOptions

/** Server timeouts in milliseconds (`0` disables one). */
export interface Timeouts {
  /** Time to receive the whole header section (`server.headersTimeout`). Default 60 000. */
  headers?: number
  /** Time to receive the whole request (`server.requestTimeout`). Default 300 000. */
  request?: number
  /** How long an idle keep-alive connection stays open (`server.keepAliveTimeout`). Default 5 000. */
  keepAlive?: number
  /**
   * How long a client may take no byte of a response before the connection is cut (nginx's
   * `send_timeout`): a client that stops reading cannot hold the connection and its buffered
   * response. Checked every quarter of it, so the cut comes within 1.5 × this. Default 60 000.
   */
  send?: number
}

/** What `serve()` hands to `onListen` and returns. */
export interface ServerHandle {
  /** `http://127.0.0.1:3000` (or `https://…`). */
  readonly url: string
  /** The address the server is bound to. */
  readonly address: string
  /** The bound port (the real one when `port: 0`). */
  readonly port: number
  /** The underlying `node:http`, `node:https` or `node:http2` server. */
  readonly server: Server
  /**
   * Graceful shutdown: stops accepting, lets in-flight requests finish within `timeout`
   * (default `shutdownTimeout`), then aborts and destroys the rest and runs `app.close()`.
   */
  close(options?: CloseOptions): Promise<void>
}

/** Options of `handle.close()`. */
export interface CloseOptions {
  /** Milliseconds in-flight requests get before they are aborted. */
  timeout?: number
}

/** Options of `serve()`. */
export interface ServeOptions extends HandlerOptions {
  /**
   * The server is shutting down: aborting it runs the graceful `close()` (in-flight requests get
   * `shutdownTimeout` to finish, new ones a 503), as `handle.close()` does.
   */
  signal?: AbortSignal
  /** Port to listen on. `0` picks a free one. Default 3000. */
  port?: number
  /** Address to bind. Default `'127.0.0.1'` (use `'0.0.0.0'` or `'::'` to accept from outside). */
  hostname?: string
  /** TLS options (`key`, `cert`, …): serve over `node:https`. */
  https?: HttpsServerOptions
  /** Serve HTTP/2 (`node:http2` secure server, HTTP/1.1 still accepted). Needs `https` (or TLS options here). */
  http2?: boolean | SecureServerOptions
  /** Server timeouts; see {@link Timeouts} for the defaults. */
  timeouts?: Timeouts
  /** Largest accepted request header section in bytes; larger gets a 431. Default 16 384. */
  maxHeaderSize?: number
  /** Close gracefully on SIGTERM and SIGINT (a second signal forces it). Default false. */
  handleSignals?: boolean
  /** Default deadline of `close()` in milliseconds. Default 10 000. */
  shutdownTimeout?: number
  /** Called once the server listens. */
  onListen?: (handle: ServerHandle) => void
}

/** Default values, exported for documentation and tests. */
export const DEFAULTS: {
  readonly port: 3000
  readonly hostname: '127.0.0.1'
  readonly headersTimeout: 60_000
  readonly requestTimeout: 300_000
  readonly keepAliveTimeout: 5_000
  readonly sendTimeout: 60_000
  readonly maxHeaderSize: 16_384
  readonly shutdownTimeout: 10_000
} = Object.freeze({
  port: 3000,
  hostname: '127.0.0.1',
  headersTimeout: 60_000,
  requestTimeout: 300_000,
  keepAliveTimeout: 5_000,
  sendTimeout: 60_000,
  maxHeaderSize: 16_384,
  shutdownTimeout: 10_000,
} as const)

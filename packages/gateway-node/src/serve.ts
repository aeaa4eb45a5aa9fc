/**
 * @module
 * `serve(app, options)`: starts a node server for the app and returns a handle with its address
 * and a graceful `close()`.
 */
import type { AddressInfo, Server } from 'node:net'
import { ImproperlyConfigured } from '@cycle/core'
import { assertGatewayApp, type GatewayApp } from '@cycle/core/gateway'
import { createContext, report } from './_context'
import { createNodeServer, resolveTimeouts } from './_server'
import { watchSends } from './_send-timeout'
import { trackShutdown } from './_shutdown'
import { onClientError } from './client-error'
import { createListener } from './handler'
import { DEFAULTS, type CloseOptions, type ServeOptions, type ServerHandle } from './options'

/**
 * Starts a server. Resolves once it listens; rejects if it cannot (port in use, bad options).
 *
 * @param app the app (`createApp()`)
 * @param options port, hostname, TLS/HTTP2, limits, timeouts, shutdown behaviour
 * @returns the server handle: `url`, `address`, `port`, `server`, `close()`
 * @example
 * ```ts
 * const server = await serve(app, { port: 3000, handleSignals: true })
 * console.log(`listening on ${server.url}`)
 * // later
 * await server.close({ timeout: 5_000 })
 * ```
 */
export async function serve(app: GatewayApp, options: ServeOptions = {}): Promise<ServerHandle> {
  assertGatewayApp(app, 'serve(app)')
  const port = options.port ?? DEFAULTS.port
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `port must be an integer from 0 to 65535, got ${String(port)}.`
    )
  }
  const hostname = options.hostname ?? DEFAULTS.hostname
  const shutdownTimeout = options.shutdownTimeout ?? DEFAULTS.shutdownTimeout
  if (!(shutdownTimeout >= 0)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `shutdownTimeout must be a number of milliseconds ≥ 0, got ${String(shutdownTimeout)}.`
    )
  }
  const ctx = createContext(app, options)
  const timeouts = resolveTimeouts(options)
  const created = createNodeServer(options, createListener(app, ctx), timeouts)
  ctx.maxHeaderSize = options.maxHeaderSize ?? DEFAULTS.maxHeaderSize
  const server = created.server
  server.on('clientError', onClientError)
  const shutdown = trackShutdown(server, ctx, app, created.http2)
  await listen(server, port, hostname)
  const stopSends = watchSends(shutdown.sockets, timeouts.send)
  // After listening, a server error (accept failures, EMFILE) is reported, never fatal.
  server.on('error', (error) => report(ctx, error, null))

  const address = server.address() as AddressInfo
  const cleanups: ((done: Promise<void>) => void)[] = []
  const close = (closeOptions?: CloseOptions): Promise<void> => {
    const done = shutdown.close(closeOptions?.timeout ?? shutdownTimeout)
    for (const cleanup of cleanups.splice(0)) cleanup(done)
    done.then(stopSends, stopSends)
    return done
  }
  const handle: ServerHandle = {
    url: `${created.secure ? 'https' : 'http'}://${urlHost(address.address)}:${address.port}`,
    address: address.address,
    port: address.port,
    server,
    close,
  }
  const background = (): void => {
    close().catch((error: unknown) => report(ctx, error, null))
  }
  if (options.signal !== undefined) {
    const signal = options.signal
    if (signal.aborted) background()
    else {
      signal.addEventListener('abort', background, { once: true })
      cleanups.push(() => signal.removeEventListener('abort', background))
    }
  }
  if (options.handleSignals === true) {
    let received = 0
    const onSignal = (): void => {
      // First signal: graceful. Second: skip to the deadline.
      if (++received === 1) background()
      else shutdown.force()
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
    cleanups.push((done) => {
      // Keep listening until the shutdown ends, so a second signal can still force it.
      const off = (): void => {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
      done.then(off, off)
    })
  }
  options.onListen?.(handle)
  return handle
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen({ port, host }, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return 'localhost'
  return address.includes(':') ? `[${address}]` : address
}

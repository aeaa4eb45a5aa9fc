/**
 * Graceful shutdown. From `close()` on:
 *
 * 1. the listening socket closes (no new connections);
 * 2. idle keep-alive connections close at once, and each connection closes as soon as its last
 *    in-flight response is out (those responses carry `Connection: close`); a request that still
 *    arrives on an open connection gets a 503 with `Connection: close`; HTTP/2 sessions get a
 *    GOAWAY and finish their open streams;
 * 3. at the deadline, request signals abort and every remaining connection is destroyed;
 * 4. `waitUntil()` work is awaited (within the same deadline), then the app's shutdown hooks run.
 */
import { Server as NetServer, type Server, type Socket } from 'node:net'
import type { Http2Session } from 'node:http2'
import type { TLSSocket } from 'node:tls'
import type { GatewayApp } from '@cycle/core/gateway'
import { kInflight, shuttingDown, type GatewayContext, type TrackedSocket } from './_context'

/** Drives one server's shutdown. */
export interface Shutdown {
  /** Starts (or joins) the graceful shutdown. */
  close(timeout: number): Promise<void>
  /** Skips to the deadline now (a second SIGTERM). */
  force(): void
  /** The server's open connections (raw TCP sockets, TLS ones included). */
  readonly sockets: ReadonlySet<Socket>
}

/** Starts tracking connections of `server`; call before it listens. */
export function trackShutdown(
  server: Server,
  ctx: GatewayContext,
  app: GatewayApp,
  isHttp2: boolean
): Shutdown {
  const sockets = new Set<Socket>()
  const tlsSockets = new Set<TLSSocket>()
  const sessions = new Set<Http2Session>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  if (isHttp2) {
    server.on('secureConnection', (socket: TLSSocket) => {
      tlsSockets.add(socket)
      socket.once('close', () => tlsSockets.delete(socket))
    })
    server.on('session', (session: Http2Session) => {
      sessions.add(session)
      session.once('close', () => sessions.delete(session))
      // A session opened after close() started still has to go away.
      if (ctx.closing) session.close()
    })
  }

  const closeIdleNow = (): void => {
    const s = server as Server & { closeIdleConnections?: () => void }
    if (typeof s.closeIdleConnections === 'function') s.closeIdleConnections()
    // HTTP/1.1 on the HTTP/2 server: node does not track those connections, so we do.
    for (const socket of tlsSockets) {
      if (socket.alpnProtocol !== 'h2' && !((socket as TrackedSocket)[kInflight] ?? 0))
        socket.destroy()
    }
  }

  // Not at once: a request a client already wrote to an idle keep-alive connection sits in the
  // kernel's receive buffer, unseen by node. Destroying the socket then resets the connection
  // (the client gets ECONNRESET, not an answer). Node reads and parses it in the next poll
  // phase; two turns of the loop guarantee one full poll phase after this call, whatever phase
  // it runs in. By then the request is in flight (it gets the 503 + Connection: close every
  // request arriving during shutdown gets) and its connection is no longer idle.
  let queued = false
  const closeIdle = (): void => {
    if (queued) return
    queued = true
    setImmediate(() =>
      setImmediate(() => {
        queued = false
        closeIdleNow()
      })
    )
  }

  let running: Promise<void> | undefined
  let expire: (() => void) | undefined

  async function run(timeout: number): Promise<void> {
    ctx.closing = true
    ctx.sweep = closeIdle
    const closed = new Promise<void>((resolve) => {
      // net.Server's close (stop accepting), not http's: since node 19 http's also destroys the
      // idle connections at once, which resets a request already written to one. closeIdle()
      // closes them two turns later, when node has read what they hold.
      NetServer.prototype.close.call(server, () => resolve())
    })
    closeIdle()
    for (const session of sessions) session.close()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<'deadline'>((resolve) => {
      expire = () => resolve('deadline')
      timer = setTimeout(expire, Math.max(0, timeout))
    })
    const outcome = await Promise.race([Promise.all([closed, settlePending(ctx)]), deadline])
    clearTimeout(timer)
    if (outcome === 'deadline') {
      const reason = shuttingDown()
      for (const controller of ctx.live) controller.abort(reason)
      for (const session of sessions) session.destroy()
      for (const socket of sockets) socket.destroy()
      for (const socket of tlsSockets) socket.destroy()
      await closed
    }
    stopChecking(server)
    await app.close?.()
  }

  return {
    close(timeout) {
      return (running ??= run(timeout))
    },
    force() {
      expire?.()
    },
    sockets,
  }
}

/** Waits for `waitUntil()` promises, including ones registered while waiting. */
async function settlePending(ctx: GatewayContext): Promise<void> {
  while (ctx.pending.size > 0) await Promise.allSettled([...ctx.pending])
}

/**
 * Stops node's per-server timer that checks the headers and request timeouts, which http's own
 * `close()` stops and net's does not. It is unref'd, so it never holds the process; stopping it
 * lets the server be collected. Found by its description: if node renames it, nothing breaks.
 */
function stopChecking(server: Server): void {
  for (const symbol of Object.getOwnPropertySymbols(server)) {
    if (symbol.description !== 'http.server.connectionsCheckingInterval') continue
    clearInterval((server as unknown as Record<symbol, NodeJS.Timeout>)[symbol])
  }
}

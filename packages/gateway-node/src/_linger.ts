/**
 * Lingering close (RFC 9112 §9.6) for HTTP/1 connections closed while the request body is still
 * arriving (an early 413, an unread chunked body, a large declared body).
 *
 * After a `Connection: close` response node calls `socket.destroySoon()`: the response is
 * flushed, then the socket is destroyed. If request bytes are still unread or still in flight,
 * the kernel answers them with a reset, and the client often gets `ECONNRESET`/`EPIPE` instead
 * of the response it was sent. So for such a connection `destroySoon` is replaced: the write
 * side is half-closed after the response (FIN), the rest of the body is read and dropped, and
 * the socket goes once the body ends or the client closes, and at the latest after
 * {@link LINGER_MS} or {@link LINGER_BYTES}: a huge declared body is never read in full.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/** Longest time a closing connection keeps reading the rest of an unread request body. */
export const LINGER_MS = 2_000
/** Most bytes of an unread request body read and dropped before the connection is cut. */
export const LINGER_BYTES: number = 4 * 1024 * 1024

const kState: unique symbol = Symbol('cycle.linger')

/** What a socket remembers about the body it may have to linger over. */
interface LingerState {
  /** The last request whose response went out before its body was read to the end. */
  req: IncomingMessage | undefined
  /** Set once the lingering close started: requests still arriving get no answer. */
  lingering: boolean
  /** Body bytes of `req` dropped so far, once counting started. */
  dropped: number
  /** Ends the lingering close now (set while it runs). */
  finish: (() => void) | undefined
}

type LingerSocket = Socket & { [kState]?: LingerState }

/**
 * Arms `socket` for `req`, whose body is not (fully) read: if node closes the connection after
 * this response, it lingers instead of resetting. Harmless when the connection stays open (node
 * does not call `destroySoon` then) or when the body has ended by the time it closes.
 *
 * @param discardNow - the connection will close: start dropping the body already (this also
 *   keeps node from "dumping" it unseen, which would leave nothing to count against the cap)
 */
export function lingerOnClose(req: IncomingMessage, socket: Socket, discardNow: boolean): void {
  const s = socket as LingerSocket
  let state = s[kState]
  if (state === undefined) {
    const own: LingerState = { req: undefined, lingering: false, dropped: 0, finish: undefined }
    state = s[kState] = own
    const destroySoon = socket.destroySoon
    socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
      const unread = own.req
      own.req = undefined
      if (unread === undefined || unread.complete || unread.destroyed || own.lingering) {
        destroySoon.call(this)
        return
      }
      linger(s, own, unread)
    }
  }
  if (state.req !== req) {
    state.req = req
    state.dropped = 0
    if (discardNow) discard(req, state)
  }
}

/** Whether `socket` is in its lingering close (a request arriving on it gets no answer). */
export function isLingering(socket: Socket | null): boolean {
  return socket !== null && (socket as LingerSocket)[kState]?.lingering === true
}

const kCounting: unique symbol = Symbol('cycle.counting')

/** Reads and drops the rest of `req`'s body, counting it against {@link LINGER_BYTES}. */
function discard(req: IncomingMessage & { [kCounting]?: true }, state: LingerState): void {
  if (req[kCounting]) return
  req[kCounting] = true
  req.on('data', (chunk: Buffer) => {
    if (state.req !== req && !state.lingering) return
    state.dropped += chunk.byteLength
    if (state.dropped <= LINGER_BYTES) return
    // Over the cap: stop now while lingering; before that (the response is still going out),
    // stop reading, so the client waits instead of the server reading on.
    if (state.finish !== undefined) state.finish()
    else req.pause()
  })
  req.resume()
}

function linger(socket: LingerSocket, state: LingerState, req: IncomingMessage): void {
  state.lingering = true
  let done = false
  const finish = (): void => {
    if (done) return
    done = true
    clearTimeout(timer)
    req.off('end', finish)
    // Like node's own destroySoon: whatever of the response is still queued goes out first.
    if (socket.writableFinished) socket.destroy()
    else socket.once('finish', () => socket.destroy())
  }
  state.finish = finish
  const timer = setTimeout(finish, LINGER_MS)
  timer.unref()
  socket.once('close', () => {
    done = true
    clearTimeout(timer)
    req.off('end', finish)
  })
  // Half-close: the client reads the response and our FIN, then closes its side, which ends
  // the socket (node destroys a socket once both sides are done).
  if (socket.writable) socket.end()
  if (state.dropped > LINGER_BYTES) return finish()
  // The body's end means nothing more is in flight: closing then cannot cause a reset.
  req.on('end', finish)
  discard(req, state)
  req.resume()
}

/**
 * The send timeout (`timeouts.send`, nginx's `send_timeout`): a connection whose client has
 * stopped reading the response is cut once no byte of it has been taken for that long.
 *
 * Without it, a client that sends a request and never reads holds the connection, the response
 * bytes node buffered for it and, for a streamed body, the app's source, for as long as the TCP
 * connection lives (hours, with keep-alive probes answered by the kernel).
 *
 * Nothing is done per request: one timer per server sweeps the open connections every quarter
 * of the timeout and looks at what libuv still has queued for each (`writeQueueSize`, the bytes
 * the kernel has not taken yet). A connection with bytes queued whose queue and written count
 * have not moved since the sweep that first saw them, `timeout` milliseconds ago or more, is
 * reset (RST, so the kernel frees the bytes it held for it): a streamed body is cancelled and
 * the request's `signal` aborts (a string or byte body was already handed to node in full, so
 * its response counts as sent). A client that reads
 * slowly moves the queue and is never cut. The cut comes between `timeout` and 1.5 × `timeout`
 * after the client stopped reading (two sweep intervals of slack).
 */
import type { Socket } from 'node:net'

const kSend: unique symbol = Symbol('cycle.send')

/** What the last sweep saw of a connection with bytes queued. */
interface Seen {
  queued: number
  written: number
  since: number
}

type WatchedSocket = Socket & {
  [kSend]?: Seen | undefined
  _handle?: { writeQueueSize?: number } | null
}

/** The smallest sweep interval, so a tiny test timeout does not spin. */
const MIN_SWEEP_MS = 10

/**
 * Starts sweeping `sockets` (the server's raw connections, TLS ones included: their TCP handle
 * queues the encrypted bytes). Returns the function that stops it.
 */
export function watchSends(sockets: ReadonlySet<Socket>, timeout: number): () => void {
  if (timeout <= 0) return () => {}
  const every = Math.max(MIN_SWEEP_MS, Math.floor(timeout / 4))
  const timer = setInterval(() => sweep(sockets, timeout, Date.now()), every)
  timer.unref()
  return () => clearInterval(timer)
}

/** One sweep: forget connections with nothing queued, cut the ones stalled for `timeout`. */
export function sweep(sockets: ReadonlySet<Socket>, timeout: number, now: number): void {
  for (const s of sockets) {
    const socket = s as WatchedSocket
    const queued = socket.destroyed ? 0 : (socket._handle?.writeQueueSize ?? 0)
    if (queued === 0) {
      if (socket[kSend] !== undefined) socket[kSend] = undefined
      continue
    }
    const written = socket.bytesWritten
    const seen = socket[kSend]
    if (seen === undefined || seen.queued !== queued || seen.written !== written) {
      socket[kSend] = { queued, written, since: now }
    } else if (now - seen.since >= timeout) {
      socket[kSend] = undefined
      // A reset, not a FIN: the kernel drops what it still holds for this client at once,
      // rather than keeping it queued for a reader that is not reading.
      socket.resetAndDestroy()
    }
  }
}

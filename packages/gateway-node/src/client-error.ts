/**
 * @module
 * Answers what node's HTTP parser rejects before there is a request object ('clientError'): an
 * oversized header section (431), a timeout (408), anything malformed (400). The answer is a real
 * problem+json response written to the socket, then the connection is closed.
 */
import { Buffer } from 'node:buffer'
import type { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import { STATUS_TEXT } from '@cycle/core'
import { kInflight, type TrackedSocket } from './_context'

const kAnswered: unique symbol = Symbol('cycle.client-error')
/** How long a rejected connection may keep sending before it is cut (lingering close). */
const LINGER_MS = 1000

/** The error node's HTTP parser emits with `'clientError'` (`HPE_*` or `ECONNRESET` codes). */
export interface ParserError extends Error {
  /** `HPE_HEADER_OVERFLOW`, `HPE_INVALID_METHOD`, `ECONNRESET`, … */
  code?: string
}

/** The response node has attached to the connection (the oldest one not finished). */
type Attached = EventEmitter & {
  headersSent?: boolean
  writableFinished?: boolean
  req?: { complete?: boolean }
}

type ClientSocket = Duplex &
  TrackedSocket & {
    [kAnswered]?: true
    _httpMessage?: Attached | null
  }

function classify(code: string | undefined): [number, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'The request header section is larger than the server accepts.']
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'The chunk extensions of the request body are too large.']
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADER_TIMEOUT':
      return [408, 'The request was not received in time.']
    default:
      return [400, 'The request is not valid HTTP.']
  }
}

/** The raw HTTP/1.1 bytes of a problem response that closes the connection. */
export function problemResponse(status: number, detail: string): string {
  const title = STATUS_TEXT[status] ?? 'Bad Request'
  const body = JSON.stringify({ type: 'about:blank', title, status, detail })
  return (
    `HTTP/1.1 ${status} ${title}\r\n` +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  )
}

/**
 * A `'clientError'` listener. Never throws; closes the connection in every case. Requests the
 * parser accepted before the bad bytes (a good request, then garbage in the same packet) are
 * answered first, in order (RFC 9112 §9.3.2): the problem response waits until their responses
 * are out, so neither the accepted request nor the 400 is lost, and nothing is written into a
 * response that is still going out.
 *
 * @example
 * ```ts
 * server.on('clientError', onClientError)
 * ```
 */
export function onClientError(error: ParserError, socket: Duplex): void {
  const s = socket as ClientSocket
  try {
    if (s[kAnswered]) return
    s[kAnswered] = true
    if (error.code === 'ECONNRESET' || !s.writable) {
      s.destroy()
      return
    }
    const [status, detail] = classify(error.code)
    afterInFlight(s, () => answer(s, status, detail))
  } catch {
    s.destroy()
  }
}

/** Runs `then` once no response is in flight on the connection (now, if none is). */
function afterInFlight(s: ClientSocket, then: () => void): void {
  const attached = s._httpMessage
  const busy = (s[kInflight] ?? 0) > 0 || (attached != null && attached.writableFinished !== true)
  if (!busy || attached == null) return then()
  if (attached.req?.complete === false) {
    // The bad bytes are this request's own body: the problem is its answer, unless its response
    // has started (writing into it would corrupt it), and then the connection can only go.
    if (attached.headersSent === true) s.destroy()
    else then()
    return
  }
  const next = (): void => {
    attached.off('finish', next)
    attached.off('close', next)
    // Node attaches the next pipelined response, if any, once this one has finished.
    setImmediate(() => (s.destroyed ? undefined : afterInFlight(s, then)))
  }
  attached.once('finish', next)
  attached.once('close', next)
}

function answer(s: ClientSocket, status: number, detail: string): void {
  try {
    if (!s.writable) {
      s.destroy()
      return
    }
    s.end(problemResponse(status, detail))
    // Let the peer read the answer before the socket goes: destroying with unread input
    // would make the kernel send a reset that can discard the response client-side.
    const timer = setTimeout(() => s.destroy(), LINGER_MS)
    timer.unref()
    s.once('close', () => clearTimeout(timer))
  } catch {
    s.destroy()
  }
}

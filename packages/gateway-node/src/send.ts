/**
 * @module
 * Writes a `CycleResponse` to a node `ServerResponse`: one `writeHead()` with the header map as
 * is (repeated `Set-Cookie` kept apart), then `end(body)`. Strings and bytes get a
 * `Content-Length`; HEAD, 204 and 304 get no body. Streams go through `pipeStream()` with
 * backpressure. A synchronous response is written synchronously: nothing is awaited.
 */
// Imported, not the global: node's global `Buffer` is a lazy accessor, a getter call per use.
import { Buffer } from 'node:buffer'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { CycleResponse, HttpError, type BodyInit, type CycleRequest } from '@cycle/core'
import { headerCookies, headerFields, responseForError } from '@cycle/core/gateway'
import { kInflight, report, type GatewayContext, type TrackedSocket } from './_context'
import { lingerOnClose } from './_linger'
import { cancelBody, pipeStream } from './_stream'

/** An unread request body up to this size is read and dropped to keep the connection alive. */
const DRAIN_MAX = 64 * 1024

/** What to do with a request body still on the wire once the response is out. */
export type Leftover = 0 | 1 | 2
/** Nothing left (or someone is still reading it). */
const NONE = 0
/** A little is left: read and drop it so the connection can be reused. */
const DRAIN = 1
/** Too much (or unknown) is left: close the connection instead of reading it. */
const CLOSE = 2

/**
 * Writes `response` for `request`. Never throws; returns a promise only for streamed bodies
 * (and that promise never rejects).
 */
export function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  response: CycleResponse,
  ctx: GatewayContext
): void | Promise<void> {
  try {
    return write(req, res, request, response, ctx)
  } catch (error) {
    report(ctx, error, request)
    fail(req, res, request, ctx)
  }
}

function write(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  response: CycleResponse,
  ctx: GatewayContext
): void | Promise<void> {
  let body: BodyInit | undefined = response.body
  if (res.headersSent || isGone(res)) {
    // The app wrote to `res` itself, or the client is gone: nothing left to send.
    cancelBody(body)
    return release(req, res, ctx, NONE)
  }
  if (body === undefined) body = response.render()
  const status = response.status
  const map = headerFields(response.headers)
  const bodiless = status === 204 || status === 304 || status < 200
  const head = request.method === 'HEAD'
  if (typeof body === 'string') {
    if (!bodiless) map['content-length'] = '' + Buffer.byteLength(body)
  } else if (body === null) {
    // A HEAD answer may state the GET's length itself; anything else without a body is 0 long.
    if (!bodiless && !(head && map['content-length'] !== undefined)) map['content-length'] = '0'
  } else if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    if (body instanceof ArrayBuffer) body = new Uint8Array(body)
    if (!bodiless) map['content-length'] = '' + body.byteLength
  } else {
    if (head || bodiless) cancelBody(body)
    else return pipeStream(req, res, request, response, body, ctx)
  }
  const leftover = writeHead(req, res, request, response, ctx, false)
  if (head || bodiless || body === null) res.end()
  else res.end(body)
  release(req, res, ctx, leftover)
}

/**
 * Sends the status line and headers. Adds `Connection: close` when the connection must not be
 * reused (shutdown, or a request body too large to drain). Returns what to do with the body.
 */
export function writeHead(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  response: CycleResponse,
  ctx: GatewayContext,
  streaming: boolean
): Leftover {
  const status = response.status
  const headers = response.headers
  const fields = headerFields(headers)
  let out: OutgoingHttpHeaders = fields
  let leftover: Leftover = NONE
  if (req.httpVersionMajor !== 2) {
    leftover = streaming && request.bodyUsed ? NONE : unreadBody(req, request)
    // During shutdown the last response in flight on a connection closes it; a 503 (a request
    // that arrived too late) always does, whatever is still queued before it.
    if (leftover === CLOSE || (ctx.closing && (status === 503 || lastInFlight(req)))) {
      fields['connection'] = 'close'
    }
  } else {
    out = withoutHopByHop(out)
  }
  const cookies = headerCookies(headers)
  // Object.assign, not a spread: a spread plus a member makes a new hidden class per response.
  if (cookies !== undefined) out = Object.assign({}, out, { 'set-cookie': cookies })
  res.writeHead(status, out)
  return leftover
}

function lastInFlight(req: IncomingMessage): boolean {
  return ((req.socket as TrackedSocket | null)?.[kInflight] ?? 1) <= 1
}

/** Whether the request declares a body at all (RFC 9112 §6.3: Transfer-Encoding or a length > 0). */
function hasBody(req: IncomingMessage): boolean {
  const h = req.headers
  const length = h['content-length']
  return h['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** Whether the request body is still (partly) on the wire, and whether it is cheap to drop. */
function unreadBody(req: IncomingMessage, request: CycleRequest): Leftover {
  if (req.complete) return NONE
  const h = req.headers
  const length = h['content-length']
  if (length === undefined) return h['transfer-encoding'] === undefined ? NONE : CLOSE
  const n = Number(length)
  if (n === 0) return NONE
  return n > DRAIN_MAX || n > request.bodyLimit ? CLOSE : DRAIN
}

/**
 * Whether the response can no longer be sent (the client left). `Http2ServerResponse` has no
 * `destroyed` of its own; its stream does.
 */
export function isGone(res: ServerResponse): boolean {
  const destroyed = res.destroyed as boolean | undefined
  if (destroyed !== undefined) return destroyed
  return (res as unknown as { stream?: { destroyed?: boolean } }).stream?.destroyed === true
}

/**
 * Whether the response went out completely. On HTTP/2, `writableFinished` is also true after the
 * client reset the stream, so the reset code decides.
 */
export function isComplete(res: ServerResponse): boolean {
  if (res.destroyed !== undefined) return res.writableFinished
  const rst = (res as unknown as { stream?: { rstCode?: number } }).stream?.rstCode
  return res.writableEnded && (rst === undefined || rst === 0) && res.writableFinished
}

/** Bookkeeping once the app's response is fully handed to node. */
export function release(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: GatewayContext,
  leftover: Leftover
): void {
  // A partly read body would stall the connection; drop the rest (it is small, see DRAIN_MAX).
  if (leftover === DRAIN) req.resume()
  if (req.httpVersionMajor === 2) return
  const socket = req.socket as (Socket & TrackedSocket) | null
  if (socket === null) return
  // Body bytes still to come: if this response closes the connection, linger rather than reset.
  // A request without a body (most GETs) has nothing to linger over; checking the framing
  // headers first keeps the common path from touching the socket at all.
  if (!req.complete && hasBody(req)) lingerOnClose(req, socket, leftover === CLOSE)
  if (!ctx.closing) {
    settle(socket)
    return
  }
  // During shutdown a response only counts as done once it is out (a pipelined one may still
  // wait behind another); then the connection closes if nothing else is in flight on it.
  res.once('close', () => {
    settle(socket)
    ctx.sweep?.()
  })
}

function settle(socket: TrackedSocket): void {
  const n = socket[kInflight]
  if (n !== undefined && n > 0) socket[kInflight] = n - 1
}

/** Answers with a problem document for `error` (or a 500 if the response cannot be built). */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  error: HttpError,
  ctx: GatewayContext
): void {
  writeResponse(req, res, request, responseForError(request, error, false), ctx)
}

/** Last resort after a failed write: a bare 500 if nothing went out yet, else a reset. */
export function fail(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  ctx: GatewayContext
): void {
  try {
    if (!res.headersSent && !isGone(res)) {
      const body = '{"type":"about:blank","title":"Internal Server Error","status":500}'
      res.writeHead(500, {
        'content-type': 'application/problem+json',
        'content-length': String(body.length),
        ...(req.httpVersionMajor === 2 ? {} : { connection: 'close' }),
      })
      res.end(body)
    } else {
      res.destroy()
    }
  } catch (error) {
    report(ctx, error, request)
    res.destroy()
  }
  release(req, res, ctx, NONE)
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']

/** HTTP/2 forbids connection-specific fields (RFC 9113 §8.2.2); node throws on them. */
function withoutHopByHop(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  let out = headers
  for (const name of HOP_BY_HOP) {
    if (out[name] === undefined) continue
    if (out === headers) out = { ...headers }
    delete out[name]
  }
  return out
}

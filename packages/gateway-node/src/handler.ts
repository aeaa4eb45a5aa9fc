/**
 * @module
 * `toNodeHandler(app)`: the `(req, res)` listener (Django's `WSGIHandler.__call__`). It wraps the
 * node request lazily, checks what node lets through (duplicate or missing `Host`), runs the
 * app and writes the response. A synchronous app answer is written in the same tick.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2'
import type { Socket } from 'node:net'
import {
  BadRequest,
  CycleResponse,
  InternalServerError,
  RequestHeaderFieldsTooLarge,
  ServiceUnavailable,
  type HttpError,
} from '@cycle/core'
import { responseForError, assertGatewayApp, type GatewayApp } from '@cycle/core/gateway'
import {
  createContext,
  kInflight,
  report,
  shuttingDown,
  type GatewayContext,
  type TrackedSocket,
} from './_context'
import { isLingering } from './_linger'
import { NodeRequest } from './request'
import { fail, sendError, writeResponse } from './send'
import type { HandlerOptions } from './options'

/** A `node:http` / `node:https` / `node:http2` (compat) request listener. */
export type NodeHandler = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse
) => void

/**
 * Turns an app into a request listener for any existing node server.
 *
 * @param app the app (`createApp()`), or anything with a `handle(request)` that never rejects
 * @param options body limit, trust proxy, error reporter, shutdown signal (see `GatewayOptions`)
 * @returns a `(req, res) => void` listener
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) on a bad app or option, at once
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createApp, path, text } from '@cycle/core'
 * import { toNodeHandler } from '@cycle/gateway-node'
 *
 * const app = createApp({ urls: [path('', () => text('hi'))] })
 * createServer(toNodeHandler(app)).listen(3000)
 * ```
 */
export function toNodeHandler(app: GatewayApp, options?: HandlerOptions): NodeHandler {
  assertGatewayApp(app, 'toNodeHandler(app)')
  const ctx = createContext(app, options)
  const signal = options?.signal
  if (signal !== undefined) {
    // No server to close here: refuse new requests (503) and tell in-flight ones to stop.
    const stop = (): void => {
      ctx.closing = true
      const reason = shuttingDown()
      for (const controller of ctx.live) controller.abort(reason)
    }
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
  }
  return createListener(app, ctx)
}

/** The listener over a shared context (`serve()` passes its own, to drive shutdown). */
export function createListener(app: GatewayApp, ctx: GatewayContext): NodeHandler {
  return function cycleHandler(rawReq, rawRes): void {
    const req = rawReq as IncomingMessage
    const res = rawRes as ServerResponse
    const socket = req.socket as (Socket & TrackedSocket) | null
    // The connection is closing (the client was told so): drop what it still sends, no answer.
    if (isLingering(socket)) {
      req.resume()
      return
    }
    if (socket !== null && req.httpVersionMajor !== 2)
      socket[kInflight] = (socket[kInflight] ?? 0) + 1
    const request = new NodeRequest(req, res, ctx)
    if (ctx.closing) {
      return sendError(
        req,
        res,
        request,
        new ServiceUnavailable('The server is shutting down; retry on a new connection.'),
        ctx
      )
    }
    const problem = req.httpVersionMajor === 1 ? checkFields(req, ctx.maxHeaderSize) : null
    if (problem !== null) return sendError(req, res, request, problem, ctx)
    let out: CycleResponse | Promise<CycleResponse>
    try {
      out = app.handle(request)
    } catch (error) {
      // `App.handle()` never throws; a hand-rolled app might.
      report(ctx, error, request)
      out = responseForError(request, new InternalServerError(undefined, { cause: error }), false)
    }
    if (out instanceof CycleResponse || CycleResponse.isCycleResponse(out)) {
      void writeResponse(req, res, request, out, ctx)
      return
    }
    Promise.resolve(out).then(
      (response) => {
        if (CycleResponse.isCycleResponse(response))
          return writeResponse(req, res, request, response, ctx)
        report(
          ctx,
          new TypeError('app.handle() resolved to something that is not a CycleResponse.'),
          request
        )
        fail(req, res, request, ctx)
      },
      (error: unknown) => {
        report(ctx, error, request)
        fail(req, res, request, ctx)
      }
    )
  }
}

/**
 * What node lets through and the gateway refuses, in one pass over the raw fields (it runs on
 * every HTTP/1 request, so it allocates nothing and only reads string lengths):
 *
 * - a header section over `max` bytes, counted as RFC 9112 §5 writes it: each field line is its
 *   name, `: `, its value and CRLF, and an empty line ends the section. Node's own limit counts
 *   only the request target, names and values, so 900 fields of 21 bytes (18.9 KB) passed a
 *   16 KiB limit; they are a 431 here;
 * - several `Host` fields, or none in HTTP/1.1: node keeps the first, and lets a missing one
 *   through when asked to answer itself; RFC 9112 §3.2 wants a 400 for both (a second Host is
 *   how cache poisoning and routing confusion start).
 */
function checkFields(req: IncomingMessage, max: number): HttpError | null {
  const raw = req.rawHeaders
  let count = 0
  let size = 2
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    size += name.length + (raw[i + 1] as string).length + 4
    if (name.length === 4 && (name === 'Host' || name === 'host' || name.toLowerCase() === 'host'))
      count++
  }
  if (size > max) {
    return new RequestHeaderFieldsTooLarge(
      `The request header section is ${size} bytes; this server accepts at most ${max}.`
    )
  }
  if (count === 1) return null
  if (count > 1) return new BadRequest('The request has more than one Host header.')
  return req.httpVersionMinor >= 1
    ? new BadRequest('The request has no Host header (required in HTTP/1.1).')
    : null
}

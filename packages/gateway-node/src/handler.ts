/**
 * @module
 * `toNodeHandler(app)`: the `(req, res)` listener (Django's `WSGIHandler.__call__`). It wraps the
 * node request lazily, checks what node lets through (a duplicate or missing `Host`, a duplicate
 * `Authorization` or `Content-Type`, a target that is not one), runs the app and writes the
 * response. A synchronous app answer is written in the same tick.
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
import { fieldsProblem } from './_fields'
import { NodeRequest, targetProblem } from './request'
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
    // What node lets through: a repeated Host, Authorization or Content-Type, a bad target.
    const problem = fieldsProblem(req, ctx.maxHeaderSize)
    if (problem !== null) return sendError(req, res, request, problem, ctx)
    const target = targetProblem(request)
    if (target !== null) return sendError(req, res, request, new BadRequest(target), ctx)
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

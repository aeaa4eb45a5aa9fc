/**
 * @module
 * `observe()`: request id, trace context, `Server-Timing` and the access log in one hook
 * middleware: one request hook and one response hook instead of four of each.
 */
import { defineMiddleware, ImproperlyConfigured, type HookMiddleware } from '@cycle/core'
import {
  accessLogPart,
  noteException,
  startLog,
  writeLog,
  type AccessLogOptions,
  type ObservableApp,
} from './access-log'
import {
  pickRequestId,
  requestIdPart,
  type RequestIdOptions,
  type RequestIdState,
} from './request-id'
import {
  serverTimingPart,
  startTiming,
  writeServerTiming,
  type ServerTimingOptions,
} from './server-timing'
import {
  startTrace,
  traceContextPart,
  writeTraceHeaders,
  type TraceContextOptions,
  type TraceContextState,
} from './trace-context'

/** Options of {@link observe}: each part's own options, or `false` to leave a part out. */
export interface ObserveOptions {
  /** {@link RequestIdOptions}. Always on. */
  requestId?: RequestIdOptions
  /** {@link TraceContextOptions}. Always on. */
  traceContext?: TraceContextOptions
  /** {@link ServerTimingOptions}, or `false` for no `Server-Timing` header. Default on. */
  serverTiming?: ServerTimingOptions | false
  /** {@link AccessLogOptions}, or `false` for no access log. Default on (JSON lines to stdout). */
  accessLog?: AccessLogOptions | false
}

/** What {@link observe} adds to `request.state`. */
export type ObserveState = RequestIdState & TraceContextState

/** {@link observe}'s middleware, with `attach(app)` for the access log's error field. */
export interface ObserveMiddleware extends HookMiddleware<ObserveState> {
  /**
   * Subscribes the access log to the app's `requestException` event (a no-op subscription when
   * the log is off). Returns the unsubscribe function.
   */
  attach(app: ObservableApp): () => void
}

const KEYS = new Set(['requestId', 'traceContext', 'serverTiming', 'accessLog'])

/**
 * Everything this package does, as one middleware to put first in the list: a request id and a
 * trace context on `request.state`, the id (and, if asked, `traceparent`) on the response, a
 * `Server-Timing` header and one access-log record per request.
 *
 * @param options per part; `serverTiming: false` or `accessLog: false` leaves one out
 * @returns a hook middleware named `observe`, with `attach(app)`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid or unknown option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { observe, traceHeaders } from '@cycle/middleware-observe'
 *
 * const obs = observe({ serverTiming: { allow: (req) => req.header('x-debug') === 'on' } })
 * const app = createApp({
 *   middleware: [obs] as const,
 *   urls: [path('', (req) => ({ id: req.state.requestId, upstream: traceHeaders(req) }))],
 * })
 * obs.attach(app)
 * ```
 */
export function observe(options: ObserveOptions = {}): ObserveMiddleware {
  if (typeof options !== 'object' || options === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', 'observe(): options must be an object.')
  }
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key))
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `observe(): unknown option "${key}".`)
  }
  const id = requestIdPart(options.requestId ?? {}, 'observe({ requestId })')
  const trace = traceContextPart(options.traceContext ?? {}, 'observe({ traceContext })')
  const timing =
    options.serverTiming === false
      ? null
      : serverTimingPart(options.serverTiming ?? {}, 'observe({ serverTiming })')
  const log =
    options.accessLog === false
      ? null
      : accessLogPart(options.accessLog ?? {}, 'observe({ accessLog })')
  const header = id.header
  const middleware = defineMiddleware<ObserveState>({
    name: 'observe',
    request(request) {
      const state = request.state
      state.requestId = pickRequestId(id, request)
      state.traceContext = startTrace(trace, request)
      if (timing !== null) startTiming(request)
      if (log !== null) startLog(log, request)
    },
    response(request, response) {
      const state = request.state
      if (state.requestId !== undefined) response.headers.set(header, state.requestId)
      if (trace.responseHeader) writeTraceHeaders(state.traceContext, response.headers)
      if (timing !== null) writeServerTiming(timing, request, response)
      if (log !== null) writeLog(log, request, response)
    },
  }) as HookMiddleware<ObserveState>
  return Object.assign(middleware, {
    attach(app: ObservableApp): () => void {
      if (log === null) return () => {}
      return app.on('requestException', (request, error) => noteException(log, request, error))
    },
  })
}

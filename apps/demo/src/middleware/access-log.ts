/**
 * @module
 * `accessLog()`: one line per request, written with all three hooks a logger needs:
 *
 * - `request` notes the start time;
 * - `exception` remembers what was thrown (it returns nothing, so it never handles the error and
 *   the next exception hook, then core, still answer);
 * - `response` writes `GET /api/notes → 200 1.2 ms id=…` once the inner middlewares are done.
 *
 * Per-request data lives in a `WeakMap` keyed by the request rather than on `request.state`, so
 * it stays private to this middleware and is freed with the request.
 */
import { defineMiddleware, HttpError, ImproperlyConfigured, type Middleware } from '@cycle/core'

/** One finished request, as the log function receives it. */
export interface AccessLogEntry {
  method: string
  target: string
  status: number
  /** Milliseconds from this middleware's request hook to its response hook. */
  durationMs: number
  /** `request.state.requestId`, when a request-id middleware ran before this one. */
  requestId: string | undefined
  /** Name and message of what was thrown on the way, if anything. */
  error: string | undefined
}

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /** Where lines go. Default `console.log` of {@link formatAccessLog}. */
  log?: (entry: AccessLogEntry) => void
  /** Requests not to log (the inspector's own traffic, health probes). */
  skip?: (method: string, path: string) => boolean
}

/** The default line: `GET /api/notes → 200 1.2 ms id=… (Error: boom)`. */
export function formatAccessLog(e: AccessLogEntry): string {
  const id = e.requestId === undefined ? '' : ` id=${e.requestId}`
  const error = e.error === undefined ? '' : ` (${e.error})`
  return `${e.method} ${e.target} → ${e.status} ${e.durationMs.toFixed(1)} ms${id}${error}`
}

/**
 * What {@link accessLog} reads on `request.state`: the request id, when a request-id middleware
 * ran before it (optional: the log works without one).
 */
export interface AccessLogNeeds {
  requestId?: string
}

interface Pending {
  start: number
  error: string | undefined
}

/**
 * Creates the access-log middleware.
 *
 * @param options where to log, what to skip
 * @returns a hook middleware named `accessLog`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` when `log` or `skip` is not a function
 * @example
 * ```ts
 * createApp({ middleware: [requestId(), accessLog()], urls })
 * // GET /api/me → 401 0.4 ms id=0f5c…
 * ```
 */
export function accessLog(
  options: AccessLogOptions = {}
): Middleware<object, AccessLogNeeds> {
  const log = options.log ?? ((e: AccessLogEntry) => console.log(formatAccessLog(e)))
  const skip = options.skip
  if (typeof log !== 'function' || (skip !== undefined && typeof skip !== 'function')) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', 'accessLog(): log and skip must be functions.')
  }
  const pending = new WeakMap<object, Pending>()
  return defineMiddleware<object, AccessLogNeeds>({
    name: 'accessLog',
    request(request) {
      if (skip?.(request.method, request.path) === true) return
      pending.set(request, { start: performance.now(), error: undefined })
    },
    exception(request, error) {
      const p = pending.get(request)
      if (p === undefined) return
      p.error = HttpError.isHttpError(error)
        ? `${error.status} ${error.message}`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error)
    },
    response(request, response) {
      const p = pending.get(request)
      if (p === undefined) return
      pending.delete(request)
      log({
        method: request.method,
        target: request.target,
        status: response.status,
        durationMs: performance.now() - p.start,
        requestId: request.state.requestId,
        error: p.error,
      })
    },
  })
}

/**
 * @module
 * `accessLog()`: one structured record per request, written when the response is ready, to a
 * pluggable sink. The default sink writes JSON lines to stdout; a pino logger is a sink
 * (`sink: (record) => logger.info(record)`). Errors are learnt from the app's
 * `requestException` event (`.attach(app)`), never by wrapping hooks.
 */
import {
  defineMiddleware,
  HttpError,
  ImproperlyConfigured,
  type App,
  type CycleRequest,
  type CycleResponse,
  type HookMiddleware,
} from '@cycle/core'
import { observation, peekObservation } from './_record'
import type { RequestIdState } from './request-id'
import type { TraceContextState } from './trace-context'

/** What was thrown during a request, as the access log records it. */
export interface AccessLogError {
  /** The error's `name` (`TypeError`, `NotFound`…), or its type for a thrown non-error. */
  name: string
  /** The error's message (or `String(value)` for a thrown non-error). */
  message: string
  /** The HTTP status an `HttpError` carries. */
  status?: number
  /** The stack, when the error has one and `stack` is on. */
  stack?: string
}

/** One access-log record: what the sink receives. Absent facts are left out, never `null`. */
export interface AccessLogRecord {
  /** When the response was ready, ISO 8601 in UTC. */
  time: string
  /** Upper-case method. */
  method: string
  /** The raw request path as sent, without the query string (which may carry secrets). */
  path: string
  /** The matched route's qualified name (`api:notes:detail`) or pattern, when one matched. */
  route?: string
  /** Final status. */
  status: number
  /** Milliseconds from this middleware's request hook to its response hook, µs precision. */
  durationMs: number
  /** `request.state.requestId`, when `requestId()` or `observe()` ran. */
  requestId?: string
  /** The W3C trace id, when `traceContext()` or `observe()` ran. */
  traceId?: string
  /** This request's span id, with `traceId`. */
  spanId?: string
  /**
   * Response body size in bytes, when known (Content-Length, a string or byte body; 0 for HEAD,
   * 204 and 304). A stream's size is not known when the record is written.
   */
  bytes?: number
  /** The client address as the gateway saw it (after `trustProxy`). */
  remoteAddress?: string
  /** The `User-Agent` request header. */
  userAgent?: string
  /** The first error reported for this request (needs `.attach(app)`). */
  error?: AccessLogError
  /**
   * `true` on a second record for an error reported after the response was logged (a stream
   * that broke, a write that failed): same request, same status, and its `error`.
   */
  late?: true
}

/** Where records go. Called synchronously; what it throws is swallowed. */
export type AccessLogSink = (record: AccessLogRecord) => void

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /**
   * Where records go. Default {@link jsonLinesSink}: one JSON line per record on stdout
   * (`process.stdout` where there is one, `console.log` elsewhere).
   */
  sink?: AccessLogSink
  /** Requests not to log (health probes, static files). Called in the request hook. */
  skip?: (request: CycleRequest<object, unknown>) => boolean
  /** Include the error's stack in `error.stack`. Default `true`. */
  stack?: boolean
}

/** What the access log reads when present: the id and trace of the same request. */
export type AccessLogNeeds = Partial<RequestIdState> & Partial<TraceContextState>

/** The shape of an app the log can listen to (any `App`). */
export type ObservableApp = Pick<App, 'on'>

/** {@link accessLog}'s middleware: a hook middleware with {@link AccessLogMiddleware.attach}. */
export interface AccessLogMiddleware extends HookMiddleware<object, AccessLogNeeds> {
  /**
   * Subscribes to the app's `requestException` event, so that the record of a request that
   * failed carries its first error. Returns the unsubscribe function.
   */
  attach(app: ObservableApp): () => void
}

/**
 * The default sink: a JSON line per record on stdout. Uses `process.stdout.write` when the
 * runtime has it (Node, Bun, Deno's Node compatibility) and `console.log` elsewhere (workerd).
 */
export function jsonLinesSink(record: AccessLogRecord): void {
  const line = JSON.stringify(record)
  const stdout = (globalThis as { process?: { stdout?: { write?: (s: string) => unknown } } })
    .process?.stdout
  if (stdout !== undefined && typeof stdout.write === 'function') stdout.write(line + '\n')
  else console.log(line)
}

// `new Date().toISOString()` costs about 1 µs; the second's prefix changes once a second.
let isoSecond = -1
let isoPrefix = ''

/** The current time in ISO 8601 UTC with milliseconds, the date part cached per second. */
function isoNow(): string {
  const now = Date.now()
  const second = Math.floor(now / 1000)
  if (second !== isoSecond) {
    isoSecond = second
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20) // 2026-12-08T00:00:00.
  }
  return `${isoPrefix}${String(1000 + now - second * 1000).slice(1)}Z`
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2 // 4 bytes for 2 code units
        i++
      } else n += 2
    } else n += 2
  }
  return n
}

/** The body size when it is known without reading anything. */
export function bodyBytes(response: CycleResponse): number | undefined {
  const length = response.headers.get('content-length')
  if (length !== null) {
    const n = Number(length)
    if (Number.isSafeInteger(n) && n >= 0) return n
  }
  const body = response.body
  if (body === null) return 0
  if (typeof body === 'string') return utf8Length(body)
  if (body instanceof Uint8Array) return body.byteLength
  if (body instanceof ArrayBuffer) return body.byteLength
  return undefined
}

/** An error as a record field. */
export function describeError(error: unknown, stack = true): AccessLogError {
  if (error instanceof Error) {
    const out: AccessLogError = { name: error.name, message: error.message }
    if (HttpError.isHttpError(error)) out.status = error.status
    if (stack && typeof error.stack === 'string') out.stack = error.stack
    return out
  }
  return { name: typeof error, message: String(error) }
}

/** Resolved options, shared by {@link accessLog} and `observe()`. @internal */
export interface AccessLogPart {
  readonly sink: AccessLogSink
  readonly skip: ((request: CycleRequest<object, unknown>) => boolean) | undefined
  readonly stack: boolean
}

const LOG_KEYS = new Set(['sink', 'skip', 'stack'])

/** Validates the options once, at startup. @internal */
export function accessLogPart(options: AccessLogOptions, who: string): AccessLogPart {
  if (typeof options !== 'object' || options === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: options must be an object.`)
  }
  for (const key of Object.keys(options)) {
    if (!LOG_KEYS.has(key))
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: unknown option "${key}".`)
  }
  const sink = options.sink ?? jsonLinesSink
  if (typeof sink !== 'function')
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: sink must be a function.`)
  if (options.skip !== undefined && typeof options.skip !== 'function') {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: skip must be a function.`)
  }
  return { sink, skip: options.skip, stack: options.stack ?? true }
}

/** The request half: starts the clock unless skipped. @internal */
export function startLog(part: AccessLogPart, request: CycleRequest<object, unknown>): void {
  if (part.skip !== undefined && part.skip(request)) return
  observation(request).log = true
}

function emit(sink: AccessLogSink, record: AccessLogRecord): void {
  try {
    sink(record)
  } catch {
    // A failing sink must never fail the request (the same rule as core's event listeners).
  }
}

/** The response half: writes the record. @internal */
export function writeLog(
  part: AccessLogPart,
  request: CycleRequest<object, unknown>,
  response: CycleResponse
): void {
  const obs = peekObservation(request)
  // Not to log: skipped, or an earlier middleware answered before this one's request hook ran.
  if (obs === undefined || !obs.log || obs.logged) return
  obs.logged = true
  obs.status = response.status
  const now = performance.now()
  const target = request.target
  const q = target.indexOf('?')
  const record: AccessLogRecord = {
    time: isoNow(),
    method: request.method,
    path: q === -1 ? target : target.slice(0, q),
    status: response.status,
    durationMs: Math.round((now - obs.start) * 1000) / 1000,
  }
  const route = request.route
  if (route !== null) record.route = route.qualifiedName ?? route.pattern
  const state = request.state as AccessLogNeeds
  if (state.requestId !== undefined) record.requestId = state.requestId
  const trace = state.traceContext
  if (trace !== undefined) {
    record.traceId = trace.traceId
    record.spanId = trace.spanId
  }
  // No body goes out for HEAD, 204 and 304, whatever Content-Length says (RFC 9110 §9.3.2).
  const status = response.status
  const bytes =
    request.method === 'HEAD' || status === 204 || status === 304 ? 0 : bodyBytes(response)
  if (bytes !== undefined) record.bytes = bytes
  const remote = request.remoteAddress
  if (remote !== undefined) record.remoteAddress = remote
  const ua = request.header('user-agent')
  if (ua !== null) record.userAgent = ua
  if (obs.failed) record.error = describeError(obs.error, part.stack)
  emit(part.sink, record)
}

/** The `requestException` listener: the first error per request. @internal */
export function noteException(part: AccessLogPart, request: CycleRequest, error: unknown): void {
  const obs = peekObservation(request)
  if (obs === undefined || !obs.log) return
  if (!obs.logged) {
    if (!obs.failed) {
      obs.failed = true
      obs.error = error
    }
    return
  }
  // After the line was written (the gateway reports a broken stream or a failed write): one
  // more record, so the error is not lost.
  const state = request.state as AccessLogNeeds
  const record: AccessLogRecord = {
    time: isoNow(),
    method: request.method,
    path: request.target.split('?', 1)[0] as string,
    status: obs.status,
    durationMs: Math.round((performance.now() - obs.start) * 1000) / 1000,
    error: describeError(error, part.stack),
    late: true,
  }
  if (state.requestId !== undefined) record.requestId = state.requestId
  if (state.traceContext !== undefined) record.traceId = state.traceContext.traceId
  emit(part.sink, record)
}

/**
 * The access-log middleware: one {@link AccessLogRecord} per request, when its response is ready
 * (in this middleware's response hook: list it first so that it sees the final status). Call
 * `.attach(app)` once the app exists to record errors.
 *
 * @param options sink, requests to skip, stacks
 * @returns a hook middleware named `accessLog`, with `attach(app)`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid or unknown option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { accessLog, requestId } from '@cycle/middleware-observe'
 *
 * const log = accessLog({ skip: (req) => req.target === '/health' })
 * const app = createApp({ middleware: [requestId(), log], urls: [path('', () => ({ ok: true }))] })
 * log.attach(app)
 * // {"time":"…","method":"GET","path":"/","route":"","status":200,"durationMs":0.21,"requestId":"…",…}
 * ```
 */
export function accessLog(options: AccessLogOptions = {}): AccessLogMiddleware {
  const part = accessLogPart(options, 'accessLog()')
  const middleware = defineMiddleware<object, AccessLogNeeds>({
    name: 'accessLog',
    request(request) {
      startLog(part, request)
    },
    response(request, response) {
      writeLog(part, request, response)
    },
  }) as HookMiddleware<object, AccessLogNeeds>
  return Object.assign(middleware, {
    attach(app: ObservableApp): () => void {
      return app.on('requestException', (request, error) => noteException(part, request, error))
    },
  })
}

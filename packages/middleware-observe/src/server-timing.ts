/**
 * @module
 * `serverTiming()`: a `Server-Timing` header (W3C Server Timing) with the total time the cycle
 * took inside this middleware and, when the app traces (`createApp({ trace: true })`), one
 * metric per hook and view from core's phase trace (`request.trace`).
 */
import {
  defineMiddleware,
  ImproperlyConfigured,
  type CycleRequest,
  type CycleResponse,
  type Middleware,
  type TraceEntry,
  isToken,
} from '@cycle/core'
import { observation, peekObservation } from './_record'

/** Options of {@link serverTiming}. */
export interface ServerTimingOptions {
  /**
   * Which requests get the header. Default: every request. Timings tell a client how long your
   * hooks took (an authentication check, a database lookup) and, with `phases`, the names of
   * your middlewares: restrict it on a public app, e.g. to a header your staff sends or to
   * internal addresses.
   */
  allow?: (request: CycleRequest<object, unknown>) => boolean
  /**
   * Add one metric per traced hook and view when the app traces. Default `true` (tracing is a
   * debug setting already; without it there is only `total`).
   */
  phases?: boolean
  /** The total's metric name. Default `total`. */
  totalName?: string
}

// RFC 9110 §5.6.2 token characters: what a metric name may contain.
const NOT_TOKEN = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g

/** A metric name from any text: characters a token may not hold become `_`. */
function toToken(name: string): string {
  const token = name.replace(NOT_TOKEN, '_')
  return token === '' ? '_' : token
}

/** A `desc` parameter: a token as is, anything else as a quoted-string (RFC 9110 §5.6.4). */
function toParam(value: string): string {
  if (isToken(value)) return value
  // Only printable ASCII and tabs in a quoted-string; backslash and quote escaped.
  return `"${value.replace(/[^\t\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`
}

function ms(value: number): string {
  return String(Math.round(value * 1000) / 1000)
}

/**
 * One `Server-Timing` metric: `name;dur=1.5;desc="…"`, its name made a token, its description
 * quoted when needed, so user text can never break the header.
 *
 * @param name metric name (characters outside a token become `_`)
 * @param duration milliseconds (rounded to µs), or `undefined` for none
 * @param description optional `desc`
 * @example
 * ```ts
 * formatMetric('db', 12.3456, 'notes query') // 'db;dur=12.346;desc="notes query"'
 * ```
 */
export function formatMetric(name: string, duration?: number, description?: string): string {
  let out = toToken(name)
  if (duration !== undefined && Number.isFinite(duration)) out += `;dur=${ms(duration)}`
  if (description !== undefined) out += `;desc=${toParam(description)}`
  return out
}

/**
 * Adds a metric to a response's `Server-Timing` header (appending to what is there). For views
 * and middlewares that measure their own work; {@link serverTiming} keeps what they added.
 *
 * @example
 * ```ts
 * path('notes/', async () => {
 *   const t0 = performance.now()
 *   const notes = await db.all()
 *   return addTiming(json(notes), 'db', performance.now() - t0, 'notes query')
 * })
 * ```
 */
export function addTiming(
  response: CycleResponse,
  name: string,
  duration?: number,
  description?: string
): CycleResponse {
  const metric = formatMetric(name, duration, description)
  const existing = response.headers.get('server-timing')
  response.headers.set(
    'server-timing',
    existing === null || existing === '' ? metric : `${existing}, ${metric}`
  )
  return response
}

/** The phase metrics of a trace: `<n>-<phase>-<name>;dur=…;desc=<outcome>`, in trace order. */
export function traceMetrics(trace: readonly TraceEntry[]): string {
  let out = ''
  for (let i = 0; i < trace.length; i++) {
    const t = trace[i] as TraceEntry
    if (i !== 0) out += ', '
    out += formatMetric(`${i}-${t.phase}-${t.name}`, t.duration, t.outcome)
  }
  return out
}

/** Resolved options, shared by {@link serverTiming} and `observe()`. @internal */
export interface ServerTimingPart {
  readonly allow: ((request: CycleRequest<object, unknown>) => boolean) | undefined
  readonly phases: boolean
  readonly total: string
}

const TIMING_KEYS = new Set(['allow', 'phases', 'totalName'])

/** Validates the options once, at startup. @internal */
export function serverTimingPart(options: ServerTimingOptions, who: string): ServerTimingPart {
  if (typeof options !== 'object' || options === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: options must be an object.`)
  }
  for (const key of Object.keys(options)) {
    if (!TIMING_KEYS.has(key))
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: unknown option "${key}".`)
  }
  if (options.allow !== undefined && typeof options.allow !== 'function') {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: allow must be a function.`)
  }
  const total = options.totalName ?? 'total'
  if (typeof total !== 'string' || !isToken(total)) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: totalName must be a header token.`)
  }
  return { allow: options.allow, phases: options.phases ?? true, total }
}

/** The response half: writes the header. @internal */
export function writeServerTiming(
  part: ServerTimingPart,
  request: CycleRequest<object, unknown>,
  response: CycleResponse
): void {
  if (part.allow !== undefined && !part.allow(request)) return
  const trace = request.trace
  // Tracing on: core's clock started when the request entered the app, so the total covers
  // every hook before this one too.
  const start = trace !== undefined ? request.traceStart : peekObservation(request)?.start
  if (start === undefined) return
  let value = `${part.total};dur=${ms(performance.now() - start)}`
  if (part.phases && trace !== undefined && trace.length !== 0) value += `, ${traceMetrics(trace)}`
  const existing = response.headers.get('server-timing')
  response.headers.set(
    'server-timing',
    existing === null || existing === '' ? value : `${existing}, ${value}`
  )
}

/** The request half: notes the start when core does not trace. @internal */
export function startTiming(request: CycleRequest<object, unknown>): void {
  if (request.trace === undefined) observation(request)
}

/**
 * The `Server-Timing` middleware. Put it first in the list: its response hook runs last, so the
 * total covers everything after it. Metrics that views added with {@link addTiming} are kept.
 * Do not also set `createApp({ serverTiming: true })`: core would overwrite this header.
 *
 * @param options which requests, phase metrics, the total's name
 * @returns a hook middleware named `serverTiming`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid or unknown option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { serverTiming } from '@cycle/middleware-observe'
 *
 * const app = createApp({
 *   trace: true, // optional: adds one metric per hook and view
 *   middleware: [serverTiming({ allow: (req) => req.header('x-debug') === 'on' })],
 *   urls: [path('', () => ({ ok: true }))],
 * })
 * ```
 */
export function serverTiming(options: ServerTimingOptions = {}): Middleware {
  const part = serverTimingPart(options, 'serverTiming()')
  return defineMiddleware({
    name: 'serverTiming',
    request(request) {
      startTiming(request)
    },
    response(request, response) {
      writeServerTiming(part, request, response)
    },
  })
}

/**
 * @module
 * `traceContext()`: W3C Trace Context (https://www.w3.org/TR/trace-context/) without the
 * OpenTelemetry SDK. A valid incoming `traceparent` is continued (same trace id, its span as the
 * parent); anything else starts a new trace, as §4.3 of the spec requires. Each request gets a
 * new span id, on `request.state.traceContext`; {@link traceHeaders} propagates it to outgoing
 * calls, and the same ids let an OpenTelemetry exporter or a log pipeline join the pieces.
 */
import {
  defineMiddleware,
  ImproperlyConfigured,
  type CycleRequest,
  type Middleware,
} from '@cycle/core'

/** This request's place in a distributed trace. */
export interface TraceContext {
  /** 32 lowercase hex digits, never all zeros: the incoming trace's, or a new one. */
  readonly traceId: string
  /** 16 lowercase hex digits: the span this server opened for the request. */
  readonly spanId: string
  /** The caller's span id (16 hex digits), or `undefined` when this request started the trace. */
  readonly parentId: string | undefined
  /** The `sampled` trace flag (bit 0 of trace-flags). */
  readonly sampled: boolean
  /** The trace flags as two hex digits, as sent on outgoing calls (`01` or `00`). */
  readonly flags: string
  /** The incoming `tracestate`, passed through when it was valid and the parent was kept. */
  readonly tracestate: string | undefined
}

/** What {@link traceContext} adds to `request.state`. */
export interface TraceContextState {
  /** This request's trace context. */
  traceContext: TraceContext
}

/** Options of {@link traceContext}. */
export interface TraceContextOptions {
  /**
   * Continue a valid incoming `traceparent`. Default `true`. With `false` every request starts a
   * new trace (the incoming one is ignored, as the spec allows at a trust boundary).
   */
  trustIncoming?: boolean
  /**
   * The share of new traces (those this server starts) marked sampled, from 0 to 1. Default 1.
   * A continued trace keeps the caller's decision (OpenTelemetry's `ParentBased` sampler).
   */
  sampleRate?: number
  /** Write this request's `traceparent` (and `tracestate`) on the response too. Default `false`. */
  responseHeader?: boolean
}

// §3.2.2: version 2 hex, trace-id 32, parent-id 16, flags 2, all lowercase hex. Version 00 is
// exactly 55 characters; a later version may add fields after a `-` (§4.3 "future versions").
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
const ZERO_TRACE = '00000000000000000000000000000000'
const ZERO_SPAN = '0000000000000000'
// §3.3.1.3: key is `[a-z][a-z0-9_\-*/]{0,255}` or `tenant@system`; value is printable ASCII
// without `,` and `=`, at most 256 characters, not ending in a space.
const TRACESTATE_MEMBER =
  /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/

/** An incoming `traceparent` that may be continued. */
export interface ParsedTraceparent {
  readonly traceId: string
  readonly parentId: string
  readonly flags: string
  readonly sampled: boolean
}

/**
 * Parses a `traceparent` header by W3C Trace Context §3.2 and §4.3: `null` (start a new trace)
 * for anything invalid: version `ff`, a version 00 value that is not exactly 55 characters,
 * uppercase or non-hex digits, an all-zero trace id or parent id, a wrong field length.
 *
 * @example
 * ```ts
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
 * // { traceId: '4bf9…', parentId: '00f0…', flags: '01', sampled: true }
 * ```
 */
export function parseTraceparent(value: string | null | undefined): ParsedTraceparent | null {
  if (typeof value !== 'string' || value.length < 55 || value.length > 512) return null
  const m = TRACEPARENT.exec(value)
  if (m === null) return null
  const [, version, traceId, parentId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined
  ]
  if (version === 'ff') return null
  // Version 00 has exactly four fields; only a later version may carry more.
  if (version === '00' && rest !== undefined) return null
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return null
  return { traceId, parentId, flags, sampled: (parseInt(flags, 16) & 1) === 1 }
}

/**
 * Checks a `tracestate` header (§3.3): at most 32 comma-separated `key=value` members of the
 * spec's grammar, empty members allowed, no key twice. Returns the value trimmed, or `undefined`
 * when it is invalid (the spec lets a receiver drop what it cannot parse) or empty.
 */
export function parseTracestate(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string' || value.length > 8192) return undefined
  const members = value.split(',')
  const seen = new Set<string>()
  const kept: string[] = []
  for (const raw of members) {
    const member = raw.trim()
    if (member === '') continue
    if (!TRACESTATE_MEMBER.test(member)) return undefined
    const key = member.slice(0, member.indexOf('='))
    if (seen.has(key)) return undefined
    seen.add(key)
    kept.push(member)
  }
  if (kept.length === 0 || kept.length > 32) return undefined
  return kept.join(',')
}

// Random ids come from crypto.randomUUID() (Web Crypto, every runtime): measured on Node 20,
// slicing a UUID (about 290 ns) beats filling a byte pool with getRandomValues() and hex-encoding
// it with a table (about 770 ns for 8 bytes: the string concatenation dominates). A v4 UUID has
// 122 random bits: all but the version nibble (index 14) and the variant nibble (index 19).
/** A new span id: 16 random lowercase hex digits (64 random bits), never all zeros. */
export function newSpanId(): string {
  for (;;) {
    const u = globalThis.crypto.randomUUID()
    // 12 + 4 hex digits, all random: 64 random bits.
    const id = u.slice(24) + u.slice(0, 4)
    if (id !== ZERO_SPAN) return id
  }
}

/** A new trace id: 32 lowercase hex digits (122 random bits, from a v4 UUID), never all zeros. */
export function newTraceId(): string {
  for (;;) {
    const u = globalThis.crypto.randomUUID()
    // The UUID without its dashes: 122 random bits, and the rightmost 7 bytes all random (what
    // Trace Context level 2's "random" flag asks of a trace id).
    const id = u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24)
    if (id !== ZERO_TRACE) return id
  }
}

/** Resolved options, shared by {@link traceContext} and `observe()`. @internal */
export interface TraceContextPart {
  readonly trust: boolean
  readonly sampleRate: number
  readonly responseHeader: boolean
}

const TRACE_KEYS = new Set(['trustIncoming', 'sampleRate', 'responseHeader'])

/** Validates the options once, at startup. @internal */
export function traceContextPart(options: TraceContextOptions, who: string): TraceContextPart {
  if (typeof options !== 'object' || options === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: options must be an object.`)
  }
  for (const key of Object.keys(options)) {
    if (!TRACE_KEYS.has(key))
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: unknown option "${key}".`)
  }
  const sampleRate = options.sampleRate ?? 1
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `${who}: sampleRate must be a number from 0 to 1.`
    )
  }
  return {
    trust: options.trustIncoming ?? true,
    sampleRate,
    responseHeader: options.responseHeader === true,
  }
}

class Context implements TraceContext {
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentId: string | undefined,
    readonly sampled: boolean,
    readonly flags: string,
    readonly tracestate: string | undefined
  ) {}
}

/** The request half: this request's context. @internal */
export function startTrace(
  part: TraceContextPart,
  request: CycleRequest<object, unknown>
): TraceContext {
  if (part.trust) {
    const header = request.header('traceparent')
    if (header !== null) {
      const parent = parseTraceparent(header)
      if (parent !== null) {
        // §3.3: tracestate is only read with a valid traceparent; it travels with the trace.
        const state = request.header('tracestate')
        // Flags we do not know are not propagated (§3.2.2.5: only `sampled` is defined).
        const flags = parent.sampled ? '01' : '00'
        return new Context(
          parent.traceId,
          newSpanId(),
          parent.parentId,
          parent.sampled,
          flags,
          state === null ? undefined : parseTracestate(state)
        )
      }
    }
  }
  const sampled = part.sampleRate === 1 || (part.sampleRate > 0 && Math.random() < part.sampleRate)
  return new Context(
    newTraceId(),
    newSpanId(),
    undefined,
    sampled,
    sampled ? '01' : '00',
    undefined
  )
}

/** `00-<trace id>-<span id>-<flags>` for a context. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`
}

/**
 * Headers to send on an outgoing call so that it continues this request's trace: `traceparent`,
 * and `tracestate` when one came in. A plain record, so it is a `HeadersInit` for `fetch()` and
 * can be spread into other headers.
 */
export type TraceHeaders = Record<string, string>

/**
 * The headers that carry this request's trace to an outgoing call: `traceparent` naming this
 * request's span as the parent, and `tracestate` when one came in. An empty object when
 * {@link traceContext} (or `observe()`) did not run for the request.
 *
 * @example
 * ```ts
 * path('weather/', async (req) => {
 *   const res = await fetch('https://api.example.com/weather', { headers: traceHeaders(req) })
 *   return res.json()
 * })
 * ```
 */
export function traceHeaders(request: CycleRequest<object, unknown>): TraceHeaders {
  const context = (request.state as Partial<TraceContextState>).traceContext
  if (context === undefined) return {}
  if (context.tracestate === undefined) return { traceparent: formatTraceparent(context) }
  return { traceparent: formatTraceparent(context), tracestate: context.tracestate }
}

/**
 * The trace-context middleware: continues or starts a W3C trace for every request, puts it on
 * `request.state.traceContext`, and with `responseHeader: true` writes `traceparent` on the
 * response. Place it first (next to `requestId()`), so that every log line carries the ids.
 *
 * @param options trust in the incoming trace, sampling of new traces, response header
 * @returns a hook middleware named `traceContext`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid or unknown option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { traceContext, traceHeaders } from '@cycle/middleware-observe'
 *
 * const app = createApp({
 *   middleware: [traceContext()] as const,
 *   urls: [path('', (req) => ({ trace: req.state.traceContext.traceId, out: traceHeaders(req) }))],
 * })
 * ```
 */
export function traceContext(options: TraceContextOptions = {}): Middleware<TraceContextState> {
  const part = traceContextPart(options, 'traceContext()')
  return defineMiddleware<TraceContextState>({
    name: 'traceContext',
    request(request) {
      request.state.traceContext = startTrace(part, request)
    },
    response(request, response) {
      if (part.responseHeader) writeTraceHeaders(request.state.traceContext, response.headers)
    },
  })
}

/** Writes `traceparent`/`tracestate` for a context on response headers. @internal */
export function writeTraceHeaders(
  context: TraceContext | undefined,
  headers: { set(name: string, value: string): unknown }
): void {
  if (context === undefined) return
  headers.set('traceparent', formatTraceparent(context))
  if (context.tracestate !== undefined) headers.set('tracestate', context.tracestate)
}

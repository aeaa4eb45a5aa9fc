/**
 * @module
 * `@cycle/middleware-observe`: request id, structured access logs (JSON lines, pino-ready),
 * `Server-Timing` from the cycle's phase trace, and W3C Trace Context (`traceparent` in and out)
 * without the OpenTelemetry SDK. Each is a middleware of its own; `observe()` is all four in one.
 * No runtime dependencies besides `@cycle/core`.
 */
export { requestId, isValidRequestId, REQUEST_ID_PATTERN } from './request-id'
export type { RequestIdOptions, RequestIdState } from './request-id'
export {
  traceContext,
  traceHeaders,
  parseTraceparent,
  parseTracestate,
  formatTraceparent,
  newTraceId,
  newSpanId,
} from './trace-context'
export type {
  TraceContext,
  TraceContextOptions,
  TraceContextState,
  TraceHeaders,
  ParsedTraceparent,
} from './trace-context'
export { serverTiming, addTiming, formatMetric, traceMetrics } from './server-timing'
export type { ServerTimingOptions } from './server-timing'
export { accessLog, jsonLinesSink, bodyBytes, describeError } from './access-log'
export type {
  AccessLogOptions,
  AccessLogRecord,
  AccessLogError,
  AccessLogSink,
  AccessLogNeeds,
  AccessLogMiddleware,
  ObservableApp,
} from './access-log'
export { observe } from './observe'
export type { ObserveOptions, ObserveState, ObserveMiddleware } from './observe'

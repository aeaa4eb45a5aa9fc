/**
 * @module
 * The one per-request record this package keeps, under a symbol on `request.state` (see
 * docs/writing-middleware.md, "Keep it as cheap as a hand-written hook"): the start time that
 * `serverTiming()` and `accessLog()` share, and what the access log learns about errors.
 * Internal: never exported from the package entry.
 */
import type { CycleRequest } from '@cycle/core'

/** The state slot. A module symbol, so no other package (or user key) can collide with it. */
export const kObserve: unique symbol = Symbol('cycle.observe')

/** What this package notes about one request. One object, one hidden class. */
export class Observation {
  /** `performance.now()` when the first of this package's request hooks ran. */
  start: number
  /** The first error reported for this request (see `accessLog().attach(app)`). */
  error: unknown = undefined
  /** Whether {@link Observation.error} was set (an error may be `undefined`). */
  failed = false
  /** Whether the access log is to write a record for this request (it was not skipped). */
  log = false
  /** Whether the access-log record was written. */
  logged = false
  /** The status the record was written with (for a late error's record). */
  status = 0
  constructor(start: number) {
    this.start = start
  }
}

type Slot = { [kObserve]?: Observation }

/** The request's record, made on first use. */
export function observation(request: CycleRequest<object, unknown>): Observation {
  const state = request.state as Slot
  return (state[kObserve] ??= new Observation(performance.now()))
}

/** The request's record, if one of this package's request hooks ran. */
export function peekObservation(request: CycleRequest<object, unknown>): Observation | undefined {
  return (request.state as Slot)[kObserve]
}

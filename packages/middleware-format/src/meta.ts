/**
 * @module
 * Envelope metadata. Views attach it to their data with {@link withMeta}; middlewares (pagination,
 * request ids) add to a request's metadata with {@link addMeta}. The format middleware merges both
 * into the envelope's `meta` member.
 */
import type { CycleRequest } from '@cycle/core'

/** Metadata members: anything JSON-serializable. */
export type Meta = Record<string, unknown>

const kMeta: unique symbol = Symbol.for('cycle.format.meta') as never
const kRequestMeta: unique symbol = Symbol.for('cycle.format.request-meta') as never

/**
 * Data with metadata, as returned by {@link withMeta}. Its enumerable members are `data` and
 * `meta`, so even without the format middleware it serializes to `{ "data": …, "meta": … }`.
 */
export interface WithMeta<T = unknown> {
  /** The payload. */
  readonly data: T
  /** The metadata. */
  readonly meta: Meta
}

/**
 * Returns view data together with envelope metadata.
 *
 * @example
 * ```ts
 * path('notes/', () => withMeta(notes, { page: 1, total: 42 }))
 * // → { "data": [...], "meta": { "page": 1, "total": 42 } }
 * ```
 */
export function withMeta<T>(data: T, meta: Meta): WithMeta<T> {
  const out = { data, meta }
  // A non-enumerable brand: it tells the formatter to unwrap and stays out of serialized output.
  Object.defineProperty(out, kMeta, { value: true })
  return out
}

/** Whether a value was made by {@link withMeta} (works across duplicated package copies). */
export function isWithMeta(value: unknown): value is WithMeta {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[kMeta] === true
  )
}

/**
 * Adds metadata for the current request's envelope (merged over earlier calls).
 *
 * @example
 * ```ts
 * const requestIdMeta = { name: 'requestIdMeta', request(req) { addMeta(req, { requestId: crypto.randomUUID() }) } }
 * ```
 */
export function addMeta(request: CycleRequest, meta: Meta): void {
  // Kept under a symbol on `request.state`: it never clashes with typed state, and the request
  // object keeps its hidden class (a property defined on it per request would cost a map
  // transition and make every later read of it megamorphic). The first object is kept as it
  // is, never written to: a later call merges into a new object.
  const state = request.state as { [kRequestMeta]?: Meta }
  const prev = state[kRequestMeta]
  state[kRequestMeta] = prev === undefined ? meta : Object.assign({}, prev, meta)
}

/** The metadata added with {@link addMeta} for this request (an empty object when none). */
export function metaOf(request: CycleRequest): Meta {
  return addedMeta(request) ?? {}
}

/** The metadata added with {@link addMeta}, or `undefined` when none was (no object made). */
export function addedMeta(request: CycleRequest): Meta | undefined {
  return (request.state as { [kRequestMeta]?: Meta })[kRequestMeta]
}

/**
 * @module
 * Opting out of the standard format: a route-scoped `raw()` marker middleware, or a flag on one
 * response. Raw responses keep their body, status and headers exactly as the view made them.
 */
import type { CycleRequest, CycleResponse, HookMiddleware } from '@cycle/core'

const kRaw: unique symbol = Symbol.for('cycle.format.raw') as never
const kRawMarker: unique symbol = Symbol.for('cycle.format.raw-marker') as never

/**
 * Marks a request or a response as raw: the format middleware leaves the response alone.
 * Returns its argument, so `return markRaw(json(data))` works.
 *
 * @example
 * ```ts
 * path('legacy/', () => markRaw(json({ ok: true }))) // sent as plain JSON, no envelope
 * ```
 */
export function markRaw<T extends CycleRequest | CycleResponse>(target: T): T {
  Object.defineProperty(target, kRaw, { value: true, configurable: true })
  return target
}

/** Whether a request or response was marked with {@link markRaw} or {@link raw}. */
export function isRaw(target: object): boolean {
  return (target as Record<symbol, unknown>)[kRaw] === true
}

/**
 * A route-scoped marker middleware: responses of the routes it is given to are not formatted,
 * and strict negotiation does not refuse their requests.
 *
 * @example
 * ```ts
 * path('export.csv', exportCsv, { middleware: [raw()] })
 * include('legacy/', legacyUrls, { middleware: [raw()] })
 * ```
 */
export function raw(): HookMiddleware {
  const marker: HookMiddleware = {
    name: 'raw',
    request(request) {
      markRaw(request)
    },
  }
  Object.defineProperty(marker, kRawMarker, { value: true })
  return marker
}

/**
 * Whether a resolved route carries a {@link raw} marker. Route-scoped middleware runs after the
 * global view hooks, so the format middleware looks at the route's middleware list instead of
 * waiting for the marker's own hook.
 */
export function routeIsRaw(route: unknown): boolean {
  const list = (route as { middleware?: unknown } | null)?.middleware
  if (!Array.isArray(list)) return false
  for (const m of list) {
    if (
      typeof m === 'object' &&
      m !== null &&
      (m as Record<symbol, unknown>)[kRawMarker] === true
    ) {
      return true
    }
  }
  return false
}

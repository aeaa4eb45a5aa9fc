/**
 * @module
 * Sync-or-async plumbing: backends may answer synchronously, and then the request stays on the
 * sync fast path (no promise, no microtask).
 */
import type { MaybePromise } from '@cycle/core'

/** Whether a value is a promise or thenable (works across realms). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/**
 * @module
 * Per-request auth bookkeeping that is not part of the typed state: the challenges of the
 * configured backends (for `requireAuth()`'s 401) and how the request was authenticated.
 * A WeakMap keeps it off the request object, so nothing leaks when the request is dropped.
 */
import type { CycleRequest } from '@cycle/core'
import type { AuthInfo } from '../types'

/** What `authenticate()` leaves behind for the guards. */
export interface AuthContext {
  /** The combined challenge of every configured backend, or `undefined`. */
  challenge: string | undefined
  /** The challenge of the backend that accepted the request, if it has one. */
  backendChallenge: string | undefined
  /** How the request was authenticated; `null` for the anonymous user. */
  info: AuthInfo | null
}

const contexts = new WeakMap<CycleRequest, AuthContext>()

/** The auth context of a request, or `undefined` when `authenticate()` did not run. */
export function contextOf(request: CycleRequest): AuthContext | undefined {
  return contexts.get(request)
}

/** Stores the auth context of a request. */
export function setContext(request: CycleRequest, context: AuthContext): void {
  contexts.set(request, context)
}

/**
 * @module
 * Per-request auth bookkeeping that is not part of the typed state: which `authenticate()` ran
 * (its combined challenge, for `requireAuth()`'s 401) and which backend accepted the request with
 * what result (for `getAuth()` and `requireScope()`).
 *
 * It lives on `request.state` under a symbol key: not in the typed state, not in `JSON.stringify`
 * or `Object.keys`, gone with the request: one small record per request. (A `WeakMap` keyed by
 * the request costs an ephemeron entry per request that every GC must process: measured as the
 * largest single cost of authentication on a request.)
 */
import type { CycleRequest } from '@cycle/core'
import type { AuthBackend, AuthInfo, AuthSuccess } from '../types'

const kAuth: unique symbol = Symbol('cycle.auth')

/** One request's record: one object, in one slot (more slots would outgrow the state's own). */
interface Record_ {
  readonly config: AuthConfig
  readonly backend: AuthBackend<object> | undefined
  readonly result: AuthSuccess<object> | undefined
  info: AuthInfo | undefined
}

/** What one `authenticate()` shares with every request it sees. */
export class AuthConfig {
  /** The record of every anonymous request: shared, so an anonymous request allocates none. */
  readonly anonymous: Record_

  /** @param challenge the combined challenge of every configured backend, or `undefined` */
  constructor(readonly challenge: string | undefined) {
    this.anonymous = { config: this, backend: undefined, result: undefined, info: undefined }
  }
}

const NO_SCOPES: readonly string[] = Object.freeze([])

function recordOf(request: CycleRequest): Record_ | undefined {
  return (request.state as { [kAuth]?: Record_ })[kAuth]
}

/** Records that `authenticate()` (with `config`) found no credentials it accepts. */
export function anonymous(request: CycleRequest, config: AuthConfig): void {
  ;(request.state as { [kAuth]?: Record_ })[kAuth] = config.anonymous
}

/** Records that `backend` of `authenticate()` (with `config`) accepted the request. */
export function accepted(
  request: CycleRequest,
  config: AuthConfig,
  backend: AuthBackend<object>,
  result: AuthSuccess<object>
): void {
  const record: Record_ = { config, backend, result, info: undefined }
  ;(request.state as { [kAuth]?: Record_ })[kAuth] = record
}

/** The config of the `authenticate()` that ran on the request, or `undefined` when none did. */
export function configOf(request: CycleRequest): AuthConfig | undefined {
  return recordOf(request)?.config
}

/** The challenge of the backend that accepted the request, if any. */
export function backendChallengeOf(request: CycleRequest): string | undefined {
  return recordOf(request)?.backend?.challenge
}

/** How the request was authenticated (made on first ask), or `null` for the anonymous user. */
export function infoOf(request: CycleRequest): AuthInfo | null {
  const record = recordOf(request)
  if (record === undefined) return null
  if (record.info !== undefined) return record.info
  const { backend, result } = record
  if (backend === undefined || result === undefined) return null
  record.info = { backend: backend.name, scopes: result.scopes ?? NO_SCOPES, claims: result.claims }
  return record.info
}

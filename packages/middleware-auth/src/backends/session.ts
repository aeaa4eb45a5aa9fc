/**
 * @module
 * `sessionBackend()`: users identified by a signed session cookie (see `session/cookie.ts`).
 */
import { Unauthorized, type CycleRequest } from '@cycle/core'
import { checkFunction, checkParam } from '../_internal/options'
import {
  SessionSigner,
  appendCookie,
  type CookieTarget,
  type SessionCookieOptions,
  type SessionFailure,
} from '../session/cookie'
import type { AuthBackend, AuthSuccess, UserLoader } from '../types'

/** Options of {@link sessionBackend}: the cookie's options plus how to load the user. */
export interface SessionBackendOptions<U extends object, D = unknown> extends SessionCookieOptions {
  /**
   * Loads the user from the verified session data (`{ userId }` → the user row); `null` when the
   * user is gone, which refuses the session.
   */
  load: UserLoader<D, U>
  /** A `WWW-Authenticate` challenge for `requireAuth()`'s 401. Default: none (sessions have no HTTP scheme). */
  challenge?: string
}

/** A session backend, with helpers bound to its cookie options. */
export interface SessionBackend<U extends object, D = unknown> extends AuthBackend<U> {
  /** Signs `data` into the session cookie on `response` (login). */
  issue<R extends CookieTarget>(response: R, data: D): Promise<R>
  /** Deletes the session cookie (logout). */
  clear<R extends CookieTarget>(response: R): R
}

const MESSAGES: Record<SessionFailure | 'unknown', string> = {
  malformed: 'The session cookie is malformed.',
  signature: 'The session cookie signature is invalid.',
  expired: 'The session has expired.',
  unknown: 'The session does not belong to a known user.',
}

/**
 * A backend for signed session cookies. A cookie that is tampered with, signed with an unknown
 * secret, expired, or whose user is gone is refused with a 401 that also deletes the cookie, so
 * the browser's next request is simply anonymous. (With `authenticate({ onInvalid: 'anonymous' })`
 * the request goes on as anonymous at once; the cookie stays until the next login or logout.)
 *
 * @param options secret(s), cookie name and attributes, lifetime, and the user loader
 * @returns a backend for `authenticate({ backends })`, with `issue()` and `clear()` helpers
 * @example
 * ```ts
 * const sessions = sessionBackend({
 *   secret: [env.SESSION_SECRET, env.OLD_SESSION_SECRET],
 *   load: (data: { userId: string }) => users.get(data.userId) ?? null,
 * })
 * // login view: return sessions.issue(redirect('/', 303), { userId: user.id })
 * ```
 */
export function sessionBackend<U extends object, D = unknown>(
  options: SessionBackendOptions<U, D>
): SessionBackend<U, D> {
  const name = 'sessionBackend'
  const signer = new SessionSigner(name, options)
  checkFunction(name, 'load', options.load, true)
  const challenge =
    options.challenge === undefined ? undefined : checkParam(name, 'challenge', options.challenge)
  const load = options.load
  const clearing = signer.clearing()
  const refuse = (reason: SessionFailure | 'unknown'): Unauthorized =>
    new Unauthorized(MESSAGES[reason], {
      ...(challenge === undefined ? {} : { challenge }),
      // Deleting the refused cookie keeps one bad cookie from failing every later request.
      headers: { 'set-cookie': clearing },
    })

  return {
    name: 'session',
    challenge,
    async authenticate(request: CycleRequest): Promise<AuthSuccess<U> | null> {
      const value = request.cookies[signer.name]
      if (value === undefined || value === '') return null
      const result = await signer.verify(value)
      if ('failure' in result) throw refuse(result.failure)
      const user = await load(result.data as D, request)
      if (user === null || user === undefined) throw refuse('unknown')
      const data = result.data
      const claims =
        typeof data === 'object' && data !== null && !Array.isArray(data)
          ? (data as Record<string, unknown>)
          : undefined
      return { user, claims }
    },
    issue: (response, data) => signer.issue(response, data),
    clear: (response) => appendCookie(response, clearing),
  }
}

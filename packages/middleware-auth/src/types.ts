/**
 * @module
 * The shapes every backend and guard shares: users, the anonymous user, backend results.
 */
import type { CycleRequest, MaybePromise } from '@cycle/core'

/**
 * A user as views see it after {@link authenticate}: whatever the backend returned, marked
 * `isAuthenticated: true` so `if (request.state.user.isAuthenticated)` narrows it.
 */
export type Authenticated<U> = U & { readonly isAuthenticated: true }

/** The user of a request no backend recognised (Django's `AnonymousUser`). */
export interface AnonymousUser {
  readonly isAuthenticated: false
}

/** The one anonymous user, frozen so no request can change it for the others. */
export const anonymousUser: AnonymousUser = Object.freeze({ isAuthenticated: false as const })

/** The request state {@link authenticate} adds. */
export interface AuthState<U extends object> {
  /** The authenticated user, or {@link AnonymousUser}. */
  user: Authenticated<U> | AnonymousUser
}

/** What a backend answers when it recognised and accepted the request's credentials. */
export interface AuthSuccess<U extends object> {
  /** The user (any object; `isAuthenticated: true` is added when missing). */
  user: U
  /** OAuth scopes the credentials grant (a JWT's `scope`/`scp`), read by `requireScope()`. */
  scopes?: readonly string[]
  /** Verified claims: a JWT's payload, a session's data. */
  claims?: Readonly<Record<string, unknown>>
}

/**
 * An authentication backend (Django's `AUTHENTICATION_BACKENDS` entry). Write your own by
 * implementing this interface.
 *
 * `authenticate()` returns:
 * - `null` when the request carries no credentials of this kind: the next backend is asked;
 * - an {@link AuthSuccess} when it recognised and accepted them: the request is authenticated;
 * - or throws an `Unauthorized` (or a 400 `HttpError`) when it found credentials and rejected them.
 *
 * @example
 * ```ts
 * const headerBackend: AuthBackend<{ id: string }> = {
 *   name: 'trusted-header',
 *   challenge: undefined,
 *   authenticate(request) {
 *     const id = request.header('x-user-id')
 *     return id === null ? null : { user: { id } }
 *   },
 * }
 * ```
 */
export interface AuthBackend<U extends object = object> {
  /** Shown in errors and stored on the request's auth info (`jwt`, `basic`, …). */
  readonly name: string
  /**
   * The `WWW-Authenticate` challenge this backend advertises (RFC 9110 §11.6.1), sent by
   * `requireAuth()` when nobody is logged in; `undefined` for backends without an HTTP scheme.
   */
  readonly challenge: string | undefined
  /** Looks at the request's credentials; see the interface docs for the three outcomes. */
  authenticate(request: CycleRequest): MaybePromise<AuthSuccess<U> | null>
}

/** The user type a backend produces. */
export type UserOf<B> = B extends AuthBackend<infer U> ? U : never

/** How a request was authenticated, from {@link getAuth}. */
export interface AuthInfo {
  /** The name of the backend that accepted the credentials. */
  readonly backend: string
  /** Scopes the credentials grant (empty when the backend has none). */
  readonly scopes: readonly string[]
  /** Verified claims (JWT payload, session data), when the backend has them. */
  readonly claims: Readonly<Record<string, unknown>> | undefined
}

/** A user that can answer permission checks, read by `requirePermission()`. */
export interface PermissionHolder {
  /** Django's `has_perm`: wins over `permissions` when present. */
  hasPermission?(permission: string): boolean
  /** The user's permissions (`'notes.change'`). */
  permissions?: Iterable<string>
}

/** A user that can answer role checks, read by `requireRole()`. */
export interface RoleHolder {
  /** Wins over `roles` when present. */
  hasRole?(role: string): boolean
  /** The user's roles (`'admin'`). */
  roles?: Iterable<string>
}

/** The user as the guards read it: logged in or not, and what they check. */
export type GuardUser = { readonly isAuthenticated: boolean } & PermissionHolder &
  RoleHolder & { readonly scopes?: unknown }

/**
 * What the guards need on `request.state`: the `user` {@link AuthState} gives. In an app's
 * middleware list, `createApp()` reports a guard with no `authenticate()` before it (or a user
 * type the guards cannot read) as a type error.
 */
export interface GuardNeeds {
  /** The user `authenticate()` set. */
  user: GuardUser
}

/** A function a backend calls to turn verified credentials into a user; `null` refuses them. */
export type UserLoader<In, U extends object> = (
  input: In,
  request: CycleRequest
) => MaybePromise<U | null | undefined>

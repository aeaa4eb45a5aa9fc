/**
 * @module
 * Guards: view-phase middlewares that refuse a request before the view runs. Use them route-scoped
 * (`path('x/', view, { middleware: [requireAuth()] })`, `include('admin/', urls, { middleware })`)
 * or globally. They read what `authenticate()` left on the request:
 *
 * - nobody logged in → 401 with the challenges of the configured backends;
 * - logged in without the permission, role or scope → 403.
 *
 * Every refusal is an `HttpError`, rendered by core as a problem+json document.
 */
import {
  Forbidden,
  ImproperlyConfigured,
  Unauthorized,
  redirect,
  type CycleRequest,
  type HookMiddleware,
  type HookResult,
} from '@cycle/core'
import { challenge as buildChallenge, extendChallenge } from './_internal/challenge'
import { backendChallengeOf, configOf, infoOf, type AuthConfig } from './_internal/context'
import { badOption } from './_internal/options'
import type { GuardNeeds, GuardUser } from './types'

/** Options of {@link requireAuth}. */
export interface RequireAuthOptions {
  /**
   * For browser sessions: redirect anonymous GET/HEAD requests here (with `?next=` set to the
   * requested path, like Django's `login_required`) instead of answering 401.
   */
  loginUrl?: string
  /** The problem `detail` of the 401. */
  message?: string
}

function context(request: CycleRequest, guard: string): AuthConfig {
  const ctx = configOf(request)
  if (ctx === undefined) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `${guard}() ran but authenticate() did not: add authenticate({ backends }) to the app's (or the include's) middleware, before the guard.`
    )
  }
  return ctx
}

function unauthorized(ctx: AuthConfig, message: string): Unauthorized {
  return new Unauthorized(message, ctx.challenge === undefined ? {} : { challenge: ctx.challenge })
}

/** Throws 401 when nobody is logged in; returns the user otherwise. */
function authenticated(request: CycleRequest<GuardNeeds>, guard: string): GuardUser {
  const ctx = context(request, guard)
  const user = request.state.user
  if (user.isAuthenticated !== true)
    throw unauthorized(ctx, 'Authentication credentials were not provided.')
  return user
}

function checkNames(guard: string, what: string, names: readonly unknown[]): readonly string[] {
  if (names.length === 0) throw badOption(guard, `give at least one ${what}.`)
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0) {
      throw badOption(guard, `every ${what} must be a non-empty string, got ${JSON.stringify(n)}.`)
    }
  }
  return names as readonly string[]
}

function has(list: Iterable<string> | undefined, name: string): boolean {
  if (list === undefined || list === null) return false
  if (list instanceof Set) return list.has(name)
  for (const item of list) if (item === name) return true
  return false
}

/**
 * Refuses anonymous requests: 401 with a `WWW-Authenticate` challenge for each configured backend
 * (`Bearer realm="api", Basic realm="admin", charset="UTF-8"`).
 *
 * @param options a login URL for browser sessions, the 401's message
 * @returns a guard middleware (it needs the `user` `authenticate()` adds)
 * @example
 * ```ts
 * path('notes/', notes, { middleware: [requireAuth()] })
 * ```
 */
export function requireAuth(options: RequireAuthOptions = {}): HookMiddleware<object, GuardNeeds> {
  const { loginUrl, message = 'Authentication credentials were not provided.' } = options
  if (loginUrl !== undefined && (typeof loginUrl !== 'string' || /[\r\n\0]/.test(loginUrl))) {
    throw badOption('requireAuth', 'loginUrl must be a URL path without CR, LF or NUL.')
  }
  return {
    name: 'requireAuth',
    view(request): HookResult {
      const ctx = context(request, 'requireAuth')
      if (request.state.user.isAuthenticated) return
      if (loginUrl !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
        const sep = loginUrl.includes('?') ? '&' : '?'
        return redirect(`${loginUrl}${sep}next=${encodeURIComponent(request.target)}`)
      }
      throw unauthorized(ctx, message)
    },
  }
}

/**
 * Refuses requests whose user lacks any of the permissions (all are required, like Django's
 * `permission_required`): 401 when anonymous, 403 when logged in. Checks `user.hasPermission(p)`
 * when the user has it, else `user.permissions` (an array or a Set).
 *
 * @param permissions the permissions required, all of them
 * @returns a guard middleware (it needs the `user` `authenticate()` adds)
 * @example
 * ```ts
 * path('notes/<uuid:id>/', editNote, { middleware: [requirePermission('notes.change')] })
 * ```
 */
export function requirePermission(...permissions: string[]): HookMiddleware<object, GuardNeeds> {
  const perms = checkNames('requirePermission', 'permission', permissions)
  return {
    name: 'requirePermission',
    view(request): HookResult {
      const user = authenticated(request, 'requirePermission')
      for (const p of perms) {
        const ok =
          typeof user.hasPermission === 'function'
            ? user.hasPermission(p) === true
            : has(user.permissions, p)
        if (!ok) throw new Forbidden('You do not have permission to perform this action.')
      }
    },
  }
}

/**
 * Refuses requests whose user has none of the roles (any one is enough): 401 when anonymous, 403
 * when logged in. Checks `user.hasRole(r)` when present, else `user.roles`.
 *
 * @param roles the roles accepted, any of them
 * @returns a guard middleware (it needs the `user` `authenticate()` adds)
 * @example
 * ```ts
 * include('admin/', adminUrls, { middleware: [requireRole('admin', 'staff')] })
 * ```
 */
export function requireRole(...roles: string[]): HookMiddleware<object, GuardNeeds> {
  const accepted = checkNames('requireRole', 'role', roles)
  return {
    name: 'requireRole',
    view(request): HookResult {
      const user = authenticated(request, 'requireRole')
      for (const r of accepted) {
        if (typeof user.hasRole === 'function' ? user.hasRole(r) === true : has(user.roles, r))
          return
      }
      throw new Forbidden('You do not have the role this action requires.')
    },
  }
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so it is safe inside a quoted-string.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * Refuses requests whose credentials lack any of the OAuth scopes (all are required): 401 when
 * anonymous; 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750
 * §3.1) when logged in. Scopes come from the JWT's `scope`/`scp` claim, else `user.scopes`.
 *
 * @param scopes the scopes required, all of them
 * @returns a guard middleware (it needs the `user` `authenticate()` adds)
 * @example
 * ```ts
 * path('notes/', createNote, { methods: ['POST'], middleware: [requireScope('notes:write')] })
 * ```
 */
export function requireScope(...scopes: string[]): HookMiddleware<object, GuardNeeds> {
  const required = checkNames('requireScope', 'scope', scopes)
  for (const s of required) {
    if (!SCOPE_TOKEN.test(s))
      throw badOption(
        'requireScope',
        `${JSON.stringify(s)} is not a valid scope token (RFC 6749 §3.3).`
      )
  }
  const scopeParam = required.join(' ')
  return {
    name: 'requireScope',
    view(request): HookResult {
      const user = authenticated(request, 'requireScope')
      let granted: readonly string[] = infoOf(request)?.scopes ?? []
      if (granted.length === 0 && Array.isArray(user.scopes)) granted = user.scopes as string[]
      const missing = required.filter((s) => !granted.includes(s))
      if (missing.length === 0) return
      const params = { error: 'insufficient_scope', scope: scopeParam }
      const base = backendChallengeOf(request)
      const challenge =
        base !== undefined && /^bearer\b/i.test(base)
          ? extendChallenge(base, params)
          : buildChallenge('Bearer', params)
      throw new Forbidden(`The credentials lack the scope ${missing.join(' ')}.`, {
        headers: { 'www-authenticate': challenge },
      })
    },
  }
}

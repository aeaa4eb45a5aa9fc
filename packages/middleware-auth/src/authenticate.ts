/**
 * @module
 * `authenticate()`: runs the configured backends in order on the way in (request phase) and sets
 * `request.state.user`: the first backend that recognises credentials wins; with none, the user is
 * the {@link anonymousUser}.
 */
import {
  HttpError,
  ImproperlyConfigured,
  defineMiddleware,
  type CycleRequest,
  type Middleware,
} from '@cycle/core'
import { AuthConfig, accepted, anonymous, infoOf } from './_internal/context'
import { badOption } from './_internal/options'
import { isPromise } from './_internal/promise'
import {
  anonymousUser,
  type AuthBackend,
  type AuthInfo,
  type AuthState,
  type AuthSuccess,
  type Authenticated,
  type UserOf,
} from './types'

/** Options of {@link authenticate}. */
export interface AuthenticateOptions<B extends readonly AuthBackend<object>[]> {
  /** Backends to ask, in order; the first that recognises credentials wins. */
  backends: B
  /**
   * What happens when a backend finds credentials and rejects them (bad signature, expired,
   * wrong password): `'reject'` (default) answers 401 at once with that backend's challenge;
   * `'anonymous'` carries on with the anonymous user, leaving it to guards to refuse.
   */
  onInvalid?: 'reject' | 'anonymous'
}

/**
 * The authentication middleware. Put it in the app's middleware list (or an `include()`'s) and
 * read `request.state.user` in views; guard routes with `requireAuth()` and friends.
 *
 * @param options the backends and what to do with rejected credentials
 * @returns a request-phase middleware adding `{ user }` to the request state
 * @example
 * ```ts
 * const auth = authenticate({
 *   backends: [jwtBackend({ secret, algorithms: ['HS256'], toUser: (p) => ({ id: p.sub! }) })],
 * })
 * const middleware = [auth] as const
 * type State = StateOf<typeof middleware> // { user: Authenticated<{ id: string }> | AnonymousUser }
 * const app = createApp({ middleware, urls })
 * ```
 */
export function authenticate<const B extends readonly AuthBackend<object>[]>(
  options: AuthenticateOptions<B>
): Middleware<AuthState<UserOf<B[number]>>> {
  const name = 'authenticate'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  const backends = options.backends as readonly AuthBackend<object>[]
  if (!Array.isArray(backends) || backends.length === 0) {
    throw badOption(
      name,
      'backends must be a non-empty list of backends (jwtBackend(), basicBackend(), …).'
    )
  }
  backends.forEach((b, i) => {
    if (b === null || typeof b !== 'object' || typeof b.authenticate !== 'function') {
      throw badOption(name, `backends[${i}] is not a backend (an object with authenticate()).`)
    }
  })
  const onInvalid = options.onInvalid ?? 'reject'
  if (onInvalid !== 'reject' && onInvalid !== 'anonymous') {
    throw badOption(
      name,
      `onInvalid must be 'reject' or 'anonymous', got ${JSON.stringify(onInvalid)}.`
    )
  }
  const challenges = backends.map((b) => b.challenge).filter((c): c is string => !!c)
  // Several challenges may share one field, comma-separated (RFC 9110 §11.6.1).
  const config = new AuthConfig(challenges.length === 0 ? undefined : challenges.join(', '))
  const anonymousOnInvalid = onInvalid === 'anonymous'

  type State = { user: unknown }

  const reject = (request: CycleRequest, error: unknown): void => {
    // A 400/401 from a backend means "credentials found and refused"; anything else is a fault.
    if (
      anonymousOnInvalid &&
      HttpError.isHttpError(error) &&
      (error.status === 401 || error.status === 400)
    ) {
      anonymous(request, config)
      ;(request.state as State).user = anonymousUser
      return
    }
    throw error
  }

  const accept = (
    request: CycleRequest,
    backend: AuthBackend<object>,
    result: AuthSuccess<object>
  ): void => {
    accepted(request, config, backend, result)
    ;(request.state as State).user = markAuthenticated(result.user, backend.name)
  }

  const run = (request: CycleRequest, from: number): void | Promise<void> => {
    for (let i = from; i < backends.length; i++) {
      const backend = backends[i] as AuthBackend<object>
      let result: ReturnType<AuthBackend<object>['authenticate']>
      try {
        result = backend.authenticate(request)
      } catch (error) {
        return reject(request, error)
      }
      if (isPromise(result)) {
        return result.then(
          (r) => (r ? accept(request, backend, r) : run(request, i + 1)),
          (error: unknown) => reject(request, error)
        )
      }
      if (result) return accept(request, backend, result)
    }
    anonymous(request, config)
    ;(request.state as State).user = anonymousUser
  }

  return defineMiddleware<AuthState<UserOf<B[number]>>>({
    name,
    request(request) {
      // Sync backends (basic, api key with a map) keep the request on the sync fast path.
      return run(request, 0)
    },
  })
}

/**
 * How the request was authenticated (backend name, scopes, verified claims), or `null` for the
 * anonymous user and when `authenticate()` did not run.
 *
 * @example
 * ```ts
 * path('me/', (request) => json({ user: request.state.user, via: getAuth(request)?.backend }))
 * ```
 */
export function getAuth(request: CycleRequest): AuthInfo | null {
  return infoOf(request)
}

/**
 * Adds `isAuthenticated: true` to what a backend returned. Plain objects are copied (so a user
 * shared between requests, like an entry of `apiKeyBackend({ keys })`, is never mutated); class
 * instances get the property defined on them, keeping their methods.
 */
function markAuthenticated(user: unknown, backend: string): Authenticated<object> {
  if (user === null || typeof user !== 'object') {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `The "${backend}" backend returned ${
        user === null ? 'null' : typeof user
      } as the user; return an object (or null to refuse the credentials).`
    )
  }
  const flag = (user as { isAuthenticated?: unknown }).isAuthenticated
  if (flag === true) return user as Authenticated<object>
  if (flag !== undefined) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `The "${backend}" backend returned a user whose isAuthenticated is ${String(
        flag
      )}; return null to refuse credentials instead.`
    )
  }
  // A plain object's `constructor` is `Object` (a cached load; getPrototypeOf is a runtime call).
  const plain =
    (user as { constructor?: unknown }).constructor === Object ||
    Object.getPrototypeOf(user) === null
  if (plain) {
    // Copied, then marked. Not with a spread: on V8 an object spread followed by one more member
    // makes a new hidden class per request (~1 µs, and an IC miss on every later read).
    const copy: { isAuthenticated?: true } = Object.assign({}, user)
    copy.isAuthenticated = true
    return copy as Authenticated<object>
  }
  if (!Object.isExtensible(user)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `The "${backend}" backend returned a frozen class instance as the user; give the class an "isAuthenticated = true as const" field.`
    )
  }
  Object.defineProperty(user, 'isAuthenticated', {
    value: true,
    enumerable: true,
    configurable: true,
  })
  return user as Authenticated<object>
}

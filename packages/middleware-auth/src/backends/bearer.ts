/**
 * @module
 * `bearerBackend()`: opaque bearer tokens (RFC 6750) checked by your own function (a database
 * lookup, an introspection call).
 */
import type { CycleRequest, MaybePromise } from '@cycle/core'
import { invalidToken, readToken, tokenSource } from '../_internal/authorization'
import { challenge } from '../_internal/challenge'
import {
  badOption,
  checkFunction,
  checkHeaderName,
  checkLimit,
  checkParam,
  checkScheme,
} from '../_internal/options'
import { isPromise } from '../_internal/promise'
import type { AuthBackend, AuthSuccess } from '../types'

/** Options of {@link bearerBackend}. */
export interface BearerBackendOptions<U extends object> {
  /**
   * Looks the token up: the user, or `null` when the token is unknown, revoked or expired (401
   * `invalid_token`). Compare stored secrets with `timingSafeEqual` or look up a hash of the token.
   */
  verify(token: string, request: CycleRequest): MaybePromise<U | null | undefined>
  /** `realm` of the challenge. Default: none. */
  realm?: string
  /** Header that carries the token. Default `authorization`. */
  header?: string
  /** Scheme in front of the token. Default `Bearer`; `null` for a bare token. */
  scheme?: string | null
  /** Longest token accepted, in characters. Default 8192. */
  maxTokenLength?: number
}

/**
 * A backend for opaque bearer tokens.
 *
 * @param options the token check and where the token is
 * @returns a backend for `authenticate({ backends })`
 * @example
 * ```ts
 * bearerBackend({ verify: async (token) => db.users.findByTokenHash(await sha256(token)) })
 * ```
 */
export function bearerBackend<U extends object>(options: BearerBackendOptions<U>): AuthBackend<U> {
  const name = 'bearerBackend'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  checkFunction(name, 'verify', options.verify, true)
  checkLimit(name, 'maxTokenLength', options.maxTokenLength)
  const scheme = options.scheme === undefined ? 'Bearer' : options.scheme
  if (scheme !== null) checkScheme(name, scheme)
  const base = challenge(scheme ?? 'Bearer', {
    realm: options.realm === undefined ? undefined : checkParam(name, 'realm', options.realm),
  })
  const source = tokenSource(
    checkHeaderName(name, options.header ?? 'authorization'),
    scheme,
    options.maxTokenLength ?? 8192,
    base
  )
  const verify = options.verify
  const done = (user: U | null | undefined): AuthSuccess<U> => {
    if (user === null || user === undefined) throw invalidToken(base, 'The access token is invalid.')
    return { user }
  }

  return {
    name: 'bearer',
    challenge: base,
    authenticate(request: CycleRequest): MaybePromise<AuthSuccess<U> | null> {
      const token = readToken(request, source)
      if (token === null) return null
      const found = verify(token, request)
      return isPromise(found) ? found.then(done) : done(found)
    },
  }
}

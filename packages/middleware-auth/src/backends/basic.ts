/**
 * @module
 * `basicBackend()`: HTTP Basic authentication (RFC 7617) with UTF-8 credentials.
 */
import { Unauthorized, type CycleRequest, type MaybePromise } from '@cycle/core'
import { credentialsFor } from '../_internal/authorization'
import { decodeBase64 } from '../_internal/base64'
import { challenge } from '../_internal/challenge'
import { badOption, checkFunction, checkLimit, checkParam } from '../_internal/options'
import { isPromise } from '../_internal/promise'
import type { AuthBackend, AuthSuccess } from '../types'

/** Options of {@link basicBackend}. */
export interface BasicBackendOptions<U extends object> {
  /**
   * Checks a username and password: the user, or `null` to refuse (401). Compare password hashes
   * with a slow hash (scrypt, argon2) or secrets with `timingSafeEqual`, never with `===`.
   */
  verify(
    username: string,
    password: string,
    request: CycleRequest
  ): MaybePromise<U | null | undefined>
  /** The protection space shown by browsers (RFC 7617 §2, required there). Default `'Restricted'`. */
  realm?: string
  /** Longest base64 credentials accepted, in characters. Default 4096. */
  maxLength?: number
}

// RFC 7617 §2: user-id and password MUST NOT contain control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A backend for `Authorization: Basic base64(user:password)`. The challenge advertises
 * `charset="UTF-8"` (RFC 7617 §2.1) and credentials are decoded as strict UTF-8. Passwords may
 * contain colons: the pair is split at the first one, since a user-id cannot hold a colon.
 * Malformed credentials (bad base64, bad UTF-8, no colon) are a 401, never a 500.
 *
 * @param options the credential check and the realm
 * @returns a backend for `authenticate({ backends })`
 * @example
 * ```ts
 * basicBackend({
 *   realm: 'admin',
 *   verify: (username, password) =>
 *     username === 'admin' && timingSafeEqual(password, env.ADMIN_PASSWORD) ? { id: 'admin' } : null,
 * })
 * ```
 */
export function basicBackend<U extends object>(options: BasicBackendOptions<U>): AuthBackend<U> {
  const name = 'basicBackend'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  checkFunction(name, 'verify', options.verify, true)
  checkLimit(name, 'maxLength', options.maxLength)
  const realm = checkParam(name, 'realm', options.realm ?? 'Restricted')
  const base = challenge('Basic', { realm, charset: 'UTF-8' })
  const maxLength = options.maxLength ?? 4096
  const verify = options.verify
  const refuse = (message: string): Unauthorized => new Unauthorized(message, { challenge: base })

  return {
    name: 'basic',
    challenge: base,
    authenticate(request: CycleRequest): MaybePromise<AuthSuccess<U> | null> {
      const header = request.header('authorization')
      if (header === null) return null
      const encoded = credentialsFor(header, 'Basic')
      if (encoded === null) return null
      if (encoded === '') throw refuse('The Basic credentials are empty.')
      if (encoded.length > maxLength) throw refuse('The Basic credentials are too long.')
      const bytes = decodeBase64(encoded)
      if (bytes === null) throw refuse('The Basic credentials are not valid base64.')
      let pair: string
      try {
        pair = utf8.decode(bytes)
      } catch {
        throw refuse('The Basic credentials are not valid UTF-8.')
      }
      const colon = pair.indexOf(':')
      if (colon === -1)
        throw refuse('The Basic credentials have no colon between user and password.')
      const username = pair.slice(0, colon)
      const password = pair.slice(colon + 1)
      if (CONTROL.test(pair)) throw refuse('The Basic credentials contain control characters.')
      const found = verify(username, password, request)
      const done = (user: U | null | undefined): AuthSuccess<U> => {
        if (user === null || user === undefined) throw refuse('Invalid username or password.')
        return { user }
      }
      return isPromise(found) ? found.then(done) : done(found)
    },
  }
}

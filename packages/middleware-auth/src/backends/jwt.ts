/**
 * @module
 * `jwtBackend()`: bearer JWTs (RFC 7519 over RFC 6750), verified with jose against a shared
 * secret, a public key, a remote JWKS or your own key resolver.
 */
import type { CycleRequest } from '@cycle/core'
import type { JWTPayload } from 'jose'
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
import { buildJwtVerifier, type JwtVerifyOptions } from '../jwt/verify'
import type { AuthBackend, AuthSuccess, UserLoader } from '../types'

/** Options of {@link jwtBackend}: the verification options plus where the token is and who it is. */
export interface JwtBackendOptions<U extends object> extends Omit<JwtVerifyOptions, 'challenge'> {
  /** Maps the verified payload to your user; `null` refuses it (user deleted). Default: the payload. */
  toUser?: UserLoader<JWTPayload, U>
  /** The scopes a payload grants. Default: the `scope` claim split on spaces, or the `scp` claim. */
  scopes?: (payload: JWTPayload) => readonly string[]
  /** Header that carries the token. Default `authorization`. */
  header?: string
  /** Scheme in front of the token. Default `Bearer`; `null` when the header holds the bare token. */
  scheme?: string | null
  /** `realm` of the challenge (`Bearer realm="api"`). Default: none. */
  realm?: string
  /** Longest token accepted, in characters. Default 8192. */
  maxTokenLength?: number
  /**
   * Leave bearer tokens that are not JWT-shaped (three dot-separated base64url parts) to the next
   * backend, so `jwtBackend` and `bearerBackend` (opaque tokens) can share the header.
   * Default `false`: every bearer token is this backend's.
   */
  skipNonJwt?: boolean
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * Reads scopes from the `scope` claim (RFC 8693 §4.2, space-separated) or `scp` (string or array).
 */
export function scopesOf(payload: JWTPayload): readonly string[] {
  const scope = payload['scope'] ?? payload['scp']
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean)
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string')
  return []
}

/**
 * A backend for JWT bearer tokens.
 *
 * @param options keys, algorithms (required), claim checks and the user mapping
 * @returns a backend for `authenticate({ backends })`
 * @example
 * ```ts
 * jwtBackend({
 *   jwks: 'https://id.example.com/.well-known/jwks.json',
 *   algorithms: ['RS256'],
 *   issuer: 'https://id.example.com/',
 *   audience: 'notes-api',
 *   toUser: (payload) => ({ id: payload.sub! }),
 * })
 * ```
 */
export function jwtBackend<U extends object = JWTPayload>(
  options: JwtBackendOptions<U>
): AuthBackend<U> {
  const name = 'jwtBackend'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  checkFunction(name, 'toUser', options.toUser, false)
  checkFunction(name, 'scopes', options.scopes, false)
  checkLimit(name, 'maxTokenLength', options.maxTokenLength)
  const scheme = options.scheme === undefined ? 'Bearer' : options.scheme
  if (scheme !== null) checkScheme(name, scheme)
  const base = challenge(scheme ?? 'Bearer', {
    realm: options.realm === undefined ? undefined : checkParam(name, 'realm', options.realm),
  })
  const verify = buildJwtVerifier({ ...options, challenge: base }, name)
  const source = tokenSource(
    checkHeaderName(name, options.header ?? 'authorization'),
    scheme,
    options.maxTokenLength ?? 8192,
    base
  )
  const toUser = options.toUser ?? ((payload: JWTPayload) => payload as unknown as U)
  const scopes = options.scopes ?? scopesOf
  const skipNonJwt = options.skipNonJwt === true

  return {
    name: 'jwt',
    challenge: base,
    async authenticate(request: CycleRequest): Promise<AuthSuccess<U> | null> {
      const token = readToken(request, source)
      if (token === null) return null
      if (skipNonJwt && !JWT_SHAPE.test(token)) return null
      const payload = await verify(token)
      const user = await toUser(payload, request)
      if (user === null || user === undefined)
        throw invalidToken(base, 'The token does not belong to a known user.')
      return { user, scopes: scopes(payload), claims: payload }
    },
  }
}

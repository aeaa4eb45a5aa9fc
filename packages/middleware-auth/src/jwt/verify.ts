/**
 * @module
 * `createJwtVerifier()`: validated options in, a `(token) => claims` function out. Every way a
 * token can be wrong becomes a 401 with an RFC 6750 `invalid_token` challenge; failing to reach
 * a remote key set is the server's problem, a 503.
 */
import {
  createRemoteJWKSet,
  jwtVerify,
  errors,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type KeyInput,
  type RemoteJWKSetOptions,
} from 'jose'
import { HttpError, ServiceUnavailable } from '@cycle/core'
import { invalidToken } from '../_internal/authorization'
import { decodeBase64Url } from '../_internal/base64'
import { badOption } from '../_internal/options'
import { isCompactJws, nonFiniteDate } from './compact'
import {
  checkAlgorithms,
  keyFamily,
  pemResolver,
  secretBytes,
  type JwtAlgorithm,
  type VerifyKeyInput,
} from './keys'

/** Cache and timeout options of a remote JWKS (passed to jose's `createRemoteJWKSet`). */
export interface JwksOptions {
  /** Milliseconds after a fetch before an unknown `kid` may trigger another. Default 30 000. */
  cooldownDuration?: number
  /** Milliseconds a fetched key set stays fresh. Default 600 000 (10 minutes). */
  cacheMaxAge?: number
  /** Milliseconds before a JWKS fetch is abandoned. Default 5 000. */
  timeoutDuration?: number
  /** Extra request headers for the JWKS fetch. */
  headers?: Record<string, string>
}

/** How tokens are verified. Give exactly one of `secret`, `key`, `jwks`, `getKey`. */
export interface JwtVerifyOptions {
  /** Accepted algorithms (required). `none` is refused; families cannot be mixed with one key. */
  algorithms: readonly JwtAlgorithm[]
  /** HMAC shared secret (HS256/384/512 only), at least as long as the hash. */
  secret?: string | Uint8Array
  /** A public key: `CryptoKey`, JWK, or PEM (SPKI public key or X.509 certificate). */
  key?: VerifyKeyInput
  /** URL of a JSON Web Key Set, fetched and cached (`createRemoteJWKSet`). */
  jwks?: URL | string
  /** Cache and timeout options for `jwks`. */
  jwksOptions?: JwksOptions
  /** Your own key resolver `(protectedHeader, token) => key` (jose's `JWTVerifyGetKey`). */
  getKey?: JWTVerifyGetKey
  /** Accepted `iss` value(s); the claim is then required. */
  issuer?: string | string[]
  /** Accepted `aud` value(s); the claim is then required. */
  audience?: string | string[]
  /** Required `sub` value. */
  subject?: string
  /** Leeway for `exp`/`nbf`, in seconds or as a duration (`'30s'`). Default 0. */
  clockTolerance?: number | string
  /** Maximum age since `iat`, in seconds or as a duration (`'1h'`); `iat` is then required. */
  maxTokenAge?: number | string
  /** Required `typ` header (`'at+jwt'` for RFC 9068 access tokens). */
  typ?: string
  /** Claims that must be present. */
  requiredClaims?: string[]
  /** Require an `exp` claim, so no token lives forever. Default `true`. */
  requireExpiration?: boolean
  /** The clock, for tests and replaying old tokens. Default: now. */
  currentDate?: () => Date
  /** Base of the `WWW-Authenticate` challenge on failure. Default `Bearer`. */
  challenge?: string
}

/** A configured verifier: resolves to the verified payload or throws an `HttpError`. */
export type JwtVerifier = (token: string) => Promise<JWTPayload>

/**
 * Validates the options once and returns a verifier: the verification `jwtBackend` does, for use
 * outside the middleware (a WebSocket upgrade, a queue consumer).
 *
 * Besides jose's checks, the token must be canonical unpadded base64url (RFC 7515 §2, §7.1) and
 * its `exp`/`nbf`/`iat` finite numbers. Even so, one set of claims has several valid token
 * strings (ECDSA signatures are malleable): key revocation, caches and rate limits on `jti` or
 * `sub`, never on the token text.
 *
 * @param options keys, allowed algorithms and claim checks
 * @returns `(token) => Promise<payload>`; throws 401 `invalid_token` for a bad token
 * @example
 * ```ts
 * const verify = createJwtVerifier({ jwks: 'https://id.example.com/.well-known/jwks.json', algorithms: ['RS256'], issuer: 'https://id.example.com/' })
 * const claims = await verify(token)
 * ```
 */
export function createJwtVerifier(options: JwtVerifyOptions): JwtVerifier {
  return buildJwtVerifier(options, 'createJwtVerifier')
}

/** {@link createJwtVerifier}, naming `factory` in option errors. */
export function buildJwtVerifier(options: JwtVerifyOptions, factory: string): JwtVerifier {
  if (options === null || typeof options !== 'object')
    throw badOption(factory, 'options are required.')
  const given = (['secret', 'key', 'jwks', 'getKey'] as const).filter(
    (k) => options[k] !== undefined
  )
  if (given.length !== 1) {
    throw badOption(
      factory,
      `give exactly one of secret, key, jwks or getKey${given.length ? ` (got ${given.join(', ')})` : ''}.`
    )
  }
  let key: KeyInput | JWTVerifyGetKey
  let algorithms: JwtAlgorithm[]
  if (options.secret !== undefined) {
    algorithms = checkAlgorithms(factory, options.algorithms, 'hmac')
    key = secretBytes(factory, options.secret, algorithms)
  } else if (options.key !== undefined) {
    const family = keyFamily(factory, options.key)
    algorithms = checkAlgorithms(factory, options.algorithms, family)
    if (typeof options.key === 'string') key = pemResolver(options.key, algorithms)
    else if (family === 'hmac' && !isCryptoKeyLike(options.key)) {
      // An `oct` JWK: check its length like a string secret.
      const k = (options.key as JWK).k
      if (typeof k !== 'string') throw badOption(factory, 'an "oct" JWK needs its "k" member.')
      secretBytes(factory, base64UrlBytes(factory, k), algorithms)
      key = options.key as KeyInput
    } else key = options.key as KeyInput
  } else if (options.jwks !== undefined) {
    algorithms = checkAlgorithms(factory, options.algorithms, 'asymmetric')
    key = remoteKeys(factory, options.jwks, options.jwksOptions)
  } else {
    if (typeof options.getKey !== 'function') throw badOption(factory, 'getKey must be a function.')
    algorithms = checkAlgorithms(factory, options.algorithms, 'any')
    key = options.getKey
  }
  const base = options.challenge ?? 'Bearer'
  const requiredClaims = [...(options.requiredClaims ?? [])]
  if (options.requireExpiration !== false && !requiredClaims.includes('exp'))
    requiredClaims.push('exp')
  const { currentDate } = options
  if (currentDate !== undefined && typeof currentDate !== 'function') {
    throw badOption(factory, 'currentDate must be a function returning a Date.')
  }
  const fixed: JWTVerifyOptions = {
    algorithms,
    issuer: options.issuer,
    audience: options.audience,
    subject: options.subject,
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
    typ: options.typ,
    requiredClaims,
  }
  return async function verifyJwt(token: string): Promise<JWTPayload> {
    const verifyOptions =
      currentDate === undefined ? fixed : { ...fixed, currentDate: currentDate() }
    // jose decodes with `atob`, which also takes padding and standard base64: refuse what
    // RFC 7515 §7.1 does not call a compact JWS before jose sees it.
    if (!isCompactJws(token)) throw invalidToken(base, 'The token is malformed.')
    try {
      const { payload } = await jwtVerify(token, key as KeyInput, verifyOptions)
      const bad = nonFiniteDate(payload)
      if (bad !== undefined) throw invalidToken(base, `The token "${bad}" claim is not a finite number.`)
      return payload
    } catch (error) {
      if (HttpError.isHttpError(error)) throw error
      const message = describe(error)
      if (message === undefined) throw error
      throw invalidToken(base, message)
    }
  }
}

function isCryptoKeyLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'usages' in value && 'algorithm' in value
}

function base64UrlBytes(factory: string, k: string): Uint8Array {
  const bytes = decodeBase64Url(k)
  if (bytes === null) throw badOption(factory, 'the JWK "k" member is not base64url.')
  return bytes
}

/** A remote JWKS resolver whose network failures are 503s, not "bad token" 401s. */
function remoteKeys(
  factory: string,
  jwks: URL | string,
  options: JwksOptions = {}
): JWTVerifyGetKey {
  let url: URL
  try {
    url = typeof jwks === 'string' ? new URL(jwks) : jwks
  } catch {
    throw badOption(factory, `jwks must be an absolute URL, got ${JSON.stringify(jwks)}.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badOption(factory, 'jwks must be an http(s) URL.')
  const remote = createRemoteJWKSet(url, { ...options } satisfies RemoteJWKSetOptions)
  return async (header, token) => {
    try {
      return await remote(header, token)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      // The token names a key the set does not have: the token's fault.
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')
        throw error
      throw new ServiceUnavailable('The signing keys could not be fetched.', { cause: error })
    }
  }
}

/** The `error_description` for a verification failure, or `undefined` for an unexpected error. */
function describe(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'The token has expired.'
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = error
    if (reason === 'missing') return `The token has no "${claim}" claim.`
    if (claim === 'nbf') return 'The token is not valid yet.'
    if (claim === 'iat') return 'The token was issued in the future or is too old.'
    if (claim === 'iss') return 'The token issuer is not accepted.'
    if (claim === 'aud') return 'The token audience is not accepted.'
    return `The token "${claim}" is not accepted.`
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token algorithm is not allowed.'
  if (error instanceof errors.JOSENotSupported)
    return 'The token uses an unsupported algorithm or header.'
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature is invalid.'
  if (error instanceof errors.JWKSNoMatchingKey) return 'No known key matches the token.'
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'Several keys match the token.'
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'The token is malformed.'
  if (error instanceof errors.JOSEError) return 'The token is invalid.'
  // jose throws TypeError when the token's algorithm does not fit the key (an HS256 token against
  // an RSA key, a PEM imported for the wrong curve): the token's fault, not the server's.
  if (error instanceof TypeError) return 'The token algorithm does not match the key.'
  return undefined
}

/**
 * @module
 * `signJwt()`: issues tokens for login views with jose's `SignJWT`.
 */
import {
  SignJWT,
  importPKCS8,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  type KeyInput,
} from 'jose'
import { badOption } from '../_internal/options'
import { checkAlgorithms, isCryptoKey, isHmac, secretBytes, type JwtAlgorithm } from './keys'

/** Options of {@link signJwt}. Give `secret` for HS* or `privateKey` for the others. */
export interface SignJwtOptions {
  /** The algorithm to sign with. */
  algorithm: JwtAlgorithm
  /** HMAC shared secret (HS256/384/512), at least as long as the hash. */
  secret?: string | Uint8Array
  /** Private key: a `CryptoKey`, a private JWK, or a PKCS#8 PEM string. */
  privateKey?: CryptoKey | JWK | string
  /**
   * Lifetime: seconds, or a duration like `'15m'`, `'2h'`, `'7d'` (sets `exp`). Default `'1h'`;
   * `false` issues a token without `exp` (the default `jwtBackend` refuses those).
   */
  expiresIn?: number | string | false
  /** Not valid before: seconds from now or a duration (sets `nbf`). */
  notBefore?: number | string
  /** `iss` claim. */
  issuer?: string
  /** `aud` claim. */
  audience?: string | string[]
  /** `sub` claim (the user id). */
  subject?: string
  /** `jti` claim; `true` generates a random UUID. */
  jwtId?: string | true
  /** Extra protected header parameters (`kid`, `typ`). `alg` always comes from `algorithm`. */
  header?: Omit<JWTHeaderParameters, 'alg'>
}

/**
 * Signs a JWT. `iat` is always set.
 *
 * @param payload the claims (`{ scope: 'notes:read', role: 'admin' }`)
 * @param options key, algorithm and registered claims
 * @returns the compact JWS
 * @example
 * ```ts
 * const token = await signJwt({ scope: 'notes:read' }, {
 *   secret: process.env.JWT_SECRET!, algorithm: 'HS256', subject: user.id, expiresIn: '15m',
 * })
 * ```
 */
export async function signJwt(payload: JWTPayload, options: SignJwtOptions): Promise<string> {
  const name = 'signJwt'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw badOption(name, 'payload must be a plain object of claims.')
  }
  const alg = options.algorithm
  checkAlgorithms(name, [alg], isHmac(String(alg)) ? 'hmac' : 'asymmetric')
  const key = await signingKey(name, alg, options)
  const jwt = new SignJWT(payload).setProtectedHeader({ ...options.header, alg }).setIssuedAt()
  const expiresIn = options.expiresIn ?? '1h'
  if (expiresIn !== false) jwt.setExpirationTime(relative(name, 'expiresIn', expiresIn))
  if (options.notBefore !== undefined)
    jwt.setNotBefore(relative(name, 'notBefore', options.notBefore))
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer)
  if (options.audience !== undefined) jwt.setAudience(options.audience)
  if (options.subject !== undefined) jwt.setSubject(options.subject)
  if (options.jwtId !== undefined)
    jwt.setJti(options.jwtId === true ? crypto.randomUUID() : options.jwtId)
  return jwt.sign(key)
}

/** jose takes a number as an absolute timestamp; ours are relative, like strings. */
function relative(factory: string, option: string, value: number | string): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw badOption(factory, `${option} must be a finite number of seconds.`)
    return Math.floor(Date.now() / 1000) + Math.floor(value)
  }
  if (typeof value !== 'string')
    throw badOption(factory, `${option} must be seconds or a duration string.`)
  return value
}

async function signingKey(
  factory: string,
  alg: JwtAlgorithm,
  options: SignJwtOptions
): Promise<KeyInput> {
  if ((options.secret === undefined) === (options.privateKey === undefined)) {
    throw badOption(factory, 'give exactly one of secret (HS*) or privateKey.')
  }
  if (isHmac(alg)) {
    if (options.secret === undefined)
      throw badOption(factory, `${alg} signs with a shared secret; give secret.`)
    return secretBytes(factory, options.secret, [alg])
  }
  const key = options.privateKey
  if (key === undefined)
    throw badOption(factory, `${alg} signs with a private key; give privateKey.`)
  if (typeof key === 'string') {
    if (!key.includes('PRIVATE KEY-----'))
      throw badOption(factory, 'privateKey must be a PKCS#8 PEM private key.')
    return importPKCS8(key, alg)
  }
  if (isCryptoKey(key) && key.type !== 'private')
    throw badOption(factory, 'privateKey is not a private key.')
  return key
}

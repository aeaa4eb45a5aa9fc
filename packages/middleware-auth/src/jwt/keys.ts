/**
 * @module
 * Algorithm allow-lists and key resolution for JWT verification and signing.
 *
 * The rules that stop the classic JWT attacks live here:
 * - the allow-list is required and never holds `none` (RFC 8725 §3.1, §2.1);
 * - a key serves one family only: string secrets are HMAC-only, PEM/JWK/CryptoKey public keys are
 *   signature-only, so an HS256 token "signed" with an RSA public key's PEM never verifies
 *   (RFC 8725 §2.1, the key-confusion attack);
 * - HMAC secrets are at least as long as the hash (RFC 7518 §3.2).
 */
import { importSPKI, importX509, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose'
import { badOption } from '../_internal/options'

/** JWS algorithms accepted for JWTs (RFC 7518 §3.1, RFC 8037). */
export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'

/** Minimum HMAC key size in bytes per algorithm (RFC 7518 §3.2: at least the hash size). */
const HMAC_MIN: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 }
const ASYMMETRIC: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
])

/** Whether `alg` is an HMAC algorithm. */
export function isHmac(alg: string): boolean {
  return alg in HMAC_MIN
}

/** Which key family the algorithms need. */
export type KeyFamily = 'hmac' | 'asymmetric' | 'any'

/** Validates an algorithm allow-list against a key family. */
export function checkAlgorithms(
  factory: string,
  algorithms: unknown,
  family: KeyFamily
): JwtAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw badOption(
      factory,
      "algorithms is required: list the JWS algorithms you accept, e.g. ['HS256'] or ['RS256']."
    )
  }
  for (const alg of algorithms as unknown[]) {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
      throw badOption(
        factory,
        'the "none" algorithm is never accepted: unsigned tokens prove nothing.'
      )
    }
    if (typeof alg !== 'string' || !(isHmac(alg) || ASYMMETRIC.has(alg))) {
      throw badOption(factory, `unsupported algorithm ${JSON.stringify(alg)}.`)
    }
    if (family === 'hmac' && !isHmac(alg)) {
      throw badOption(
        factory,
        `${alg} needs a public key (key, jwks or getKey), but a shared secret was given.`
      )
    }
    if (family === 'asymmetric' && isHmac(alg)) {
      throw badOption(
        factory,
        `${alg} needs a shared secret; an asymmetric key must never verify HMAC tokens (key confusion).`
      )
    }
  }
  return [...new Set(algorithms as JwtAlgorithm[])]
}

const encoder = new TextEncoder()

/** Turns a shared secret into bytes, refusing PEM keys and secrets shorter than the hash. */
export function secretBytes(
  factory: string,
  secret: unknown,
  algorithms: readonly string[]
): Uint8Array {
  let bytes: Uint8Array
  if (typeof secret === 'string') {
    if (secret.includes('-----BEGIN')) {
      throw badOption(
        factory,
        'secret looks like a PEM key; pass public keys as key (or privateKey to sign), never as an HMAC secret.'
      )
    }
    bytes = encoder.encode(secret)
  } else if (secret instanceof Uint8Array) {
    bytes = secret
  } else {
    throw badOption(factory, 'secret must be a string or a Uint8Array.')
  }
  for (const alg of algorithms) {
    const min = HMAC_MIN[alg] ?? 0
    if (bytes.length < min) {
      throw badOption(
        factory,
        `${alg} needs a secret of at least ${min} bytes (RFC 7518 §3.2); this one has ${bytes.length}.`
      )
    }
  }
  return bytes
}

/** Duck-typed `CryptoKey` check (works across realms and runtimes). */
export function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CryptoKey).type === 'string' &&
    typeof (value as CryptoKey).algorithm === 'object' &&
    Array.isArray((value as CryptoKey).usages)
  )
}

/** A verification key: a public `CryptoKey`, a public JWK, or a PEM public key / X.509 certificate. */
export type VerifyKeyInput = CryptoKey | JWK | string

/** The family of a verification key, validating its kind. */
export function keyFamily(factory: string, key: unknown): 'hmac' | 'asymmetric' {
  if (isCryptoKey(key)) {
    if (key.type === 'private')
      throw badOption(factory, 'key is a private key; verify with the public key.')
    return key.type === 'secret' ? 'hmac' : 'asymmetric'
  }
  if (typeof key === 'string') {
    if (/-----BEGIN (?:PUBLIC KEY|CERTIFICATE)-----/.test(key)) return 'asymmetric'
    if (key.includes('PRIVATE KEY-----'))
      throw badOption(factory, 'key is a PEM private key; verify with the public key.')
    throw badOption(
      factory,
      'a string key must be a PEM public key (SPKI) or an X.509 certificate; pass HMAC secrets as secret.'
    )
  }
  if (typeof key === 'object' && key !== null && typeof (key as JWK).kty === 'string') {
    const jwk = key as JWK
    if (jwk.kty === 'oct') return 'hmac'
    if (jwk.d !== undefined)
      throw badOption(factory, 'key is a private JWK (it has "d"); verify with the public JWK.')
    return 'asymmetric'
  }
  throw badOption(factory, 'key must be a CryptoKey, a JWK or a PEM string.')
}

/**
 * A key resolver for a PEM public key: PEM has no algorithm of its own, so it is imported once per
 * token algorithm (RS256 and PS256 give different CryptoKeys) and cached.
 */
export function pemResolver(pem: string, allowed: readonly string[]): JWTVerifyGetKey {
  const cache = new Map<string, Promise<CryptoKey>>()
  const cert = pem.includes('-----BEGIN CERTIFICATE-----')
  return (header) => {
    const alg = header.alg
    // jose checks the allow-list before it asks for a key; this keeps the cache bounded anyway.
    if (!allowed.includes(alg))
      return Promise.reject(new TypeError(`Algorithm ${alg} is not allowed.`))
    let key = cache.get(alg)
    if (key === undefined) {
      key = cert ? importX509(pem, alg) : importSPKI(pem, alg)
      cache.set(alg, key)
    }
    return key
  }
}

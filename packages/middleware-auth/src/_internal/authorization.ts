/**
 * @module
 * Reading credentials from the `Authorization` header (RFC 9110 §11.6.2) and the RFC 6750 errors
 * a bearer-token backend answers with.
 */
import { HttpError, Unauthorized, type CycleRequest } from '@cycle/core'
import { description, extendChallenge } from './challenge'

/**
 * The credentials after `scheme` in an `Authorization`-style value (`Bearer abc` → `abc`), or
 * `null` when the value uses another scheme. The scheme is case-insensitive (RFC 9110 §11.1).
 * `''` means the scheme was there with nothing after it.
 */
export function credentialsFor(value: string, scheme: string): string | null {
  // By char codes, on every authenticated request: no trim/toLowerCase/regex allocation.
  const n = value.length
  let i = 0
  while (i < n && isBlank(value.charCodeAt(i))) i++
  const m = scheme.length
  if (n - i < m) return null
  for (let k = 0; k < m; k++) {
    // ASCII case-insensitive: letters differ by 0x20 (a token scheme has no other letters).
    const a = value.charCodeAt(i + k)
    const b = scheme.charCodeAt(k)
    if (a !== b && !(isLetter(a) && (a | 0x20) === (b | 0x20))) return null
  }
  i += m
  let end = n
  while (end > i && isBlank(value.charCodeAt(end - 1))) end--
  if (i === end) return ''
  if (!isBlank(value.charCodeAt(i))) return null // `Bearerx`: another scheme
  while (i < end && isBlank(value.charCodeAt(i))) i++
  return value.slice(i, end)
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9
}

function isLetter(c: number): boolean {
  const l = c | 0x20
  return l >= 97 && l <= 122
}

/**
 * RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
 * A regular expression: measured cheaper than a `charCodeAt()` loop on a token sliced from the
 * header (about 580 against 830 instructions for 18 characters on Node 20).
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

function isB64Token(token: string): boolean {
  return B64TOKEN.test(token)
}

/** Where a bearer-style backend looks for its token. */
export interface TokenSource {
  /** Lower-case header name. */
  readonly header: string
  /** Scheme in front of the token, or `null` when the header holds the bare token. */
  readonly scheme: string | null
  /** Longest token accepted, in characters. */
  readonly maxLength: number
  /** The backend's base challenge, extended with RFC 6750 error parameters. */
  readonly challenge: string
  /**
   * The common, well-formed header in one test: the scheme as configured, one space, a
   * `b64token` (RFC 6750 §2.1), nothing after. Anything else takes the general path.
   */
  readonly exact: RegExp | null
}

/**
 * Builds a {@link TokenSource}, compiling its fast-path expression once.
 * @param header lower-case header name
 * @param scheme the scheme in front of the token, or `null` for a bare token
 * @param maxLength longest token accepted
 * @param challenge the backend's base challenge
 */
export function tokenSource(
  header: string,
  scheme: string | null,
  maxLength: number,
  challenge: string
): TokenSource {
  const exact =
    scheme === null
      ? null
      : new RegExp(`^${scheme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${B64TOKEN.source.slice(1)}`)
  return { header, scheme, maxLength, challenge, exact }
}

/**
 * The bearer token of a request: `null` when the request carries none for this source (so the
 * next backend may try), the token when well-formed; throws a 400 `invalid_request` when the
 * header is malformed and a 401 `invalid_token` when the token is too long.
 */
export function readToken(request: CycleRequest, source: TokenSource): string | null {
  const value = request.header(source.header)
  if (value === null) return null
  // One regular expression over the header as received beats a scan for the scheme and a second
  // test on the sliced token (about 600 instructions fewer per authenticated request).
  const exact = source.exact
  if (exact !== null) {
    const start = (source.scheme as string).length + 1
    if (value.length - start <= source.maxLength && exact.test(value)) return value.slice(start)
  }
  const token = source.scheme === null ? value.trim() : credentialsFor(value, source.scheme)
  if (token === null) return null
  if (token === '') throw invalidRequest(source.challenge, 'The access token is empty.')
  if (token.length > source.maxLength) {
    throw invalidToken(
      source.challenge,
      `The access token is longer than ${source.maxLength} characters.`
    )
  }
  if (!isB64Token(token)) {
    throw invalidRequest(
      source.challenge,
      'The access token has characters a bearer token cannot have.'
    )
  }
  return token
}

/** 401 with `error="invalid_token"` (RFC 6750 §3.1): expired, revoked, malformed or bad signature. */
export function invalidToken(base: string, message: string): Unauthorized {
  return new Unauthorized(message, {
    challenge: extendChallenge(base, {
      error: 'invalid_token',
      error_description: description(message),
    }),
  })
}

/** 400 with `error="invalid_request"` (RFC 6750 §3.1): the request itself is malformed. */
export function invalidRequest(base: string, message: string): HttpError {
  return new HttpError(400, {
    detail: message,
    headers: {
      'www-authenticate': extendChallenge(base, {
        error: 'invalid_request',
        error_description: description(message),
      }),
    },
  })
}

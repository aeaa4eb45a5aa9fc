/**
 * @module
 * Signed session cookies: `base64url(JSON) "." base64url(HMAC-SHA256)`, signed and verified with
 * WebCrypto (`crypto.subtle.verify` compares MACs in constant time). The MAC covers the cookie
 * name too, so a value cannot be replayed under another cookie signed with the same secret, and
 * the expiry travels inside the signed payload, so a client cannot stretch a session by keeping
 * the cookie past its `Max-Age`.
 */
import { CycleResponse, serializeCookie, type CookieOptions, isToken } from '@cycle/core'
import { decodeBase64Url, encodeBase64Url, type Bytes } from '../_internal/base64'
import { badOption } from '../_internal/options'

/** How session cookies are signed and set. */
export interface SessionCookieOptions {
  /**
   * HMAC secret(s), each at least 32 bytes. With a list, new cookies are signed with the first
   * and cookies signed with any of them are accepted: put a new secret first to rotate, and drop
   * the old one once every cookie it signed has expired.
   */
  secret: string | readonly string[]
  /** Cookie name. Default `session`. */
  cookie?: string
  /** Lifetime in seconds, enforced from inside the signed payload. Default 14 days (Django's). */
  maxAge?: number
  /** Cookie `Path`. Default `/`. */
  path?: string
  /** Cookie `Domain`. Default: none (host-only). */
  domain?: string
  /** `Secure`. Default `true` (browsers accept it on `http://localhost` too). */
  secure?: boolean
  /** `HttpOnly`. Default `true`: scripts cannot read the session. */
  httpOnly?: boolean
  /** `SameSite`. Default `Lax`. */
  sameSite?: 'Strict' | 'Lax' | 'None'
}

/** Signed payload: the data, issued-at and expiry (seconds since the epoch). */
interface Payload {
  d: unknown
  iat: number
  exp: number
}

/** A response the session helpers can set a cookie on. */
export type CookieTarget = CycleResponse | Response

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const MAX_COOKIE = 4096
const TWO_WEEKS = 14 * 24 * 60 * 60

/** Why a session cookie was refused. */
export type SessionFailure = 'malformed' | 'signature' | 'expired'

/** Signs and verifies one configuration's cookies; keys are imported once, lazily. */
export class SessionSigner {
  /** Cookie name. */
  readonly name: string
  /** Lifetime in seconds. */
  readonly maxAge: number
  /** Attributes of the `Set-Cookie` it writes. */
  readonly attributes: CookieOptions
  readonly #secrets: readonly Bytes[]
  #keys: Promise<CryptoKey[]> | undefined

  constructor(factory: string, options: SessionCookieOptions) {
    if (options === null || typeof options !== 'object')
      throw badOption(factory, 'options are required.')
    const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret
    if (!Array.isArray(secrets) || secrets.length === 0) {
      throw badOption(factory, 'secret must be a string or a non-empty list of strings.')
    }
    this.#secrets = secrets.map((s: unknown) => {
      if (typeof s !== 'string') throw badOption(factory, 'every secret must be a string.')
      const bytes = encoder.encode(s)
      // HMAC-SHA256 keys shorter than the hash weaken it (RFC 2104 §3).
      if (bytes.length < 32)
        throw badOption(factory, 'every secret must be at least 32 bytes long.')
      return bytes
    })
    this.name = options.cookie ?? 'session'
    if (!isToken(this.name))
      throw badOption(factory, `invalid cookie name ${JSON.stringify(this.name)}.`)
    this.maxAge = options.maxAge ?? TWO_WEEKS
    if (!Number.isInteger(this.maxAge) || this.maxAge <= 0) {
      throw badOption(factory, 'maxAge must be a positive whole number of seconds.')
    }
    if (options.sameSite === 'None' && options.secure === false) {
      throw badOption(
        factory,
        'SameSite=None cookies must be Secure; browsers drop them otherwise.'
      )
    }
    this.attributes = {
      path: options.path ?? '/',
      domain: options.domain,
      secure: options.secure ?? true,
      httpOnly: options.httpOnly ?? true,
      sameSite: options.sameSite ?? 'Lax',
    }
    // Fails now, at startup, on a path or domain that could inject attributes.
    serializeCookie(this.name, '', this.attributes)
  }

  #importKeys(): Promise<CryptoKey[]> {
    return (this.#keys ??= Promise.all(
      this.#secrets.map((s) =>
        crypto.subtle.importKey('raw', s, { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
          'verify',
        ])
      )
    ))
  }

  /** A signed cookie value for `data`. */
  async sign(data: unknown): Promise<string> {
    const iat = Math.floor(Date.now() / 1000)
    const json = JSON.stringify({ d: data, iat, exp: iat + this.maxAge } satisfies Payload)
    if (json === undefined) throw new TypeError('Session data must be JSON-serializable.')
    const body = encodeBase64Url(encoder.encode(json))
    const [key] = await this.#importKeys()
    const mac = await crypto.subtle.sign('HMAC', key as CryptoKey, this.#input(body))
    const value = `${body}.${encodeBase64Url(new Uint8Array(mac))}`
    if (value.length + this.name.length > MAX_COOKIE) {
      throw new RangeError(
        `The session cookie would be ${value.length} bytes; browsers keep at most ${MAX_COOKIE}. Store less data (an id) in it.`
      )
    }
    return value
  }

  /** The data of a cookie value, or why it was refused. */
  async verify(value: string): Promise<{ data: unknown } | { failure: SessionFailure }> {
    if (value.length > MAX_COOKIE) return { failure: 'malformed' }
    const dot = value.indexOf('.')
    if (dot === -1) return { failure: 'malformed' }
    const body = value.slice(0, dot)
    const mac = decodeBase64Url(value.slice(dot + 1))
    // An HMAC-SHA256 tag is 32 bytes; anything else is not ours.
    if (body === '' || mac === null || mac.length !== 32) return { failure: 'malformed' }
    const input = this.#input(body)
    let valid = false
    // Try every key even after a match: the time taken never says which secret signed it.
    for (const key of await this.#importKeys()) {
      if (await crypto.subtle.verify('HMAC', key, mac, input)) valid = true
    }
    if (!valid) return { failure: 'signature' }
    const bytes = decodeBase64Url(body)
    let payload: Payload
    try {
      payload = JSON.parse(decoder.decode(bytes ?? undefined)) as Payload
    } catch {
      return { failure: 'malformed' }
    }
    if (typeof payload !== 'object' || payload === null || typeof payload.exp !== 'number') {
      return { failure: 'malformed' }
    }
    if (payload.exp <= Math.floor(Date.now() / 1000)) return { failure: 'expired' }
    return { data: payload.d }
  }

  /** Sets the signed cookie on a response. */
  async issue<R extends CookieTarget>(response: R, data: unknown): Promise<R> {
    const value = await this.sign(data)
    return appendCookie(
      response,
      serializeCookie(this.name, value, { ...this.attributes, maxAge: this.maxAge })
    )
  }

  /** The `Set-Cookie` value that deletes this cookie. */
  clearing(): string {
    return serializeCookie(this.name, '', { ...this.attributes, maxAge: 0, expires: new Date(0) })
  }

  #input(body: string): Bytes {
    return encoder.encode(`${this.name}=${body}`)
  }
}

/** Appends a `Set-Cookie` to a Cycle or WHATWG response. */
export function appendCookie<R extends CookieTarget>(response: R, cookie: string): R {
  if (CycleResponse.isCycleResponse(response)) response.headers.append('set-cookie', cookie)
  else (response as Response).headers.append('set-cookie', cookie)
  return response
}

const signers = new WeakMap<SessionCookieOptions, SessionSigner>()

/**
 * Signs `data` into the session cookie and sets it on `response` (`HttpOnly`, `Secure`,
 * `SameSite=Lax`, `Path=/` unless the options say otherwise). Call it in a login view. Keep the
 * data small (a user id): browsers cap a cookie at 4 KiB, and a larger one is refused here.
 * Pass the same options object as the backend (or use the backend's own `issue()`).
 *
 * @param response the response to set the cookie on
 * @param data JSON-serializable session data
 * @param options secret(s), cookie name, lifetime and attributes
 * @returns the same response
 * @example
 * ```ts
 * const res = redirect('/notes/', 303)
 * return issueSession(res, { userId: user.id }, sessionOptions)
 * ```
 */
export function issueSession<R extends CookieTarget>(
  response: R,
  data: unknown,
  options: SessionCookieOptions
): Promise<R> {
  let signer = signers.get(options)
  if (signer === undefined) {
    signer = new SessionSigner('issueSession', options)
    signers.set(options, signer)
  }
  return signer.issue(response, data)
}

/**
 * Deletes the session cookie on the client (logout): an empty value with `Max-Age=0`, carrying
 * the same `Path`/`Domain` so the browser matches the cookie it holds.
 *
 * @param response the response to set the cookie on
 * @param options the cookie name, path and domain used when issuing (defaults `session`, `/`)
 * @returns the same response
 * @example
 * ```ts
 * path('logout/', () => clearSession(redirect('/', 303)), { methods: ['POST'] })
 * ```
 */
export function clearSession<R extends CookieTarget>(
  response: R,
  options: Pick<
    SessionCookieOptions,
    'cookie' | 'path' | 'domain' | 'secure' | 'sameSite' | 'httpOnly'
  > = {}
): R {
  const cookie = serializeCookie(options.cookie ?? 'session', '', {
    path: options.path ?? '/',
    domain: options.domain,
    secure: options.secure ?? true,
    httpOnly: options.httpOnly ?? true,
    sameSite: options.sameSite ?? 'Lax',
    maxAge: 0,
    expires: new Date(0),
  })
  return appendCookie(response, cookie)
}

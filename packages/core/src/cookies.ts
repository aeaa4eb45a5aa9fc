/**
 * @module
 * Cookies both ways: `Cookie` header parsing (RFC 6265 §5.4), lenient like browsers (bad pairs are
 * skipped, never thrown), and `Set-Cookie` serialization (§4.1), strict (a name or attribute that
 * could inject a field is refused).
 */
import { ImproperlyConfigured } from './codes'
import { isToken } from './headers'

/** Parses a `Cookie` header into a name → value map (first occurrence wins, values decoded). */
export function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  if (!header) return out
  let start = 0
  const len = header.length
  while (start < len) {
    let end = header.indexOf(';', start)
    if (end === -1) end = len
    const eq = header.indexOf('=', start)
    if (eq !== -1 && eq < end) {
      const name = header.slice(start, eq).trim()
      if (name && !(name in out)) {
        let value = header.slice(eq + 1, end).trim()
        if (value.length > 1 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
          value = value.slice(1, -1)
        }
        out[name] = value.includes('%') ? safeDecode(value) : value
      }
    }
    start = end + 1
  }
  return out
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** Cookie attributes (RFC 6265 §4.1). */
export interface CookieOptions {
  maxAge?: number
  expires?: Date
  path?: string
  domain?: string
  secure?: boolean
  httpOnly?: boolean
  sameSite?: 'Strict' | 'Lax' | 'None'
  partitioned?: boolean
}

const COOKIE_ATTR = /^[\x21-\x3a\x3c-\x7e]*$/

/** Serializes one `Set-Cookie` value. Refuses names and attributes that could inject fields. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!isToken(name)) {
    throw new ImproperlyConfigured('ERR_BAD_HEADER', `Invalid cookie name ${JSON.stringify(name)}.`)
  }
  let out = `${name}=${encodeURIComponent(value)}`
  if (options.maxAge !== undefined) out += `; Max-Age=${Math.floor(options.maxAge)}`
  if (options.expires) out += `; Expires=${options.expires.toUTCString()}`
  for (const [attr, v] of [
    ['Domain', options.domain],
    ['Path', options.path ?? '/'],
  ] as const) {
    if (v === undefined) continue
    if (!COOKIE_ATTR.test(v)) {
      throw new ImproperlyConfigured('ERR_BAD_HEADER', `Invalid cookie ${attr} ${JSON.stringify(v)}.`)
    }
    out += `; ${attr}=${v}`
  }
  if (options.secure) out += '; Secure'
  if (options.httpOnly) out += '; HttpOnly'
  if (options.sameSite) out += `; SameSite=${options.sameSite}`
  if (options.partitioned) out += '; Partitioned'
  return out
}

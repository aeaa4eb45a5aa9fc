/**
 * @module
 * What a token must look like before jose decodes it, and what its dates must be after: the
 * checks jose leaves to the caller (its base64url decoder is `atob`, lenient about padding and
 * alphabet; its date checks compare numbers, so `Infinity` passes as a date).
 */
import type { JWTPayload } from 'jose'

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Whether `token` is a compact JWS as RFC 7515 §7.1 writes it: three parts of unpadded base64url
 * (§2), none of a length no whole bytes give, each in its one canonical spelling: the bits a
 * last character carries past the last byte are zero (RFC 4648 §3.5), so `…Xk` and `…Xl` (the
 * same signature bytes) are not both accepted.
 */
export function isCompactJws(token: string): boolean {
  if (!COMPACT.test(token)) return false
  let start = 0
  for (let part = 0; part < 3; part++) {
    const dot = token.indexOf('.', start)
    const end = dot === -1 ? token.length : dot
    const rest = (end - start) % 4
    if (rest === 1) return false
    if (rest !== 0) {
      const last = B64URL.indexOf(token.charAt(end - 1))
      // 2 leftover characters carry one byte and 4 spare bits; 3 carry two bytes and 2 spare bits.
      if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return false
    }
    start = end + 1
  }
  return true
}

/**
 * The first of `exp`, `nbf`, `iat` that is a number but not a finite one (`1e400` parses as
 * `Infinity`: jose compares it as a date and the token would never expire), if any.
 */
export function nonFiniteDate(payload: JWTPayload): string | undefined {
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim]
    if (value !== undefined && !Number.isFinite(value)) return claim
  }
  return undefined
}

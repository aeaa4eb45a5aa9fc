/**
 * @module
 * Constant-time comparison for secrets, by hand: no `node:crypto`, so it runs on every runtime.
 */

const encoder = new TextEncoder()

/**
 * Compares two secrets in time that depends only on their lengths, never on where they differ, so
 * an attacker timing responses learns nothing about how much of a guess was right. A string and
 * bytes are compared as the string's UTF-8 bytes.
 *
 * The loop always runs over the longer input and folds the length difference into the result,
 * so a wrong length does not return early either. (Compare fixed-size digests, as
 * `apiKeyBackend` does, to hide the length as well.)
 *
 * Two strings are compared code unit by code unit, with nothing encoded or allocated (this runs
 * on every authenticated request); that is the same answer as comparing their UTF-8 bytes, except
 * that two different lone surrogates (which UTF-8 would both turn into U+FFFD) stay different.
 *
 * @param a a secret (the expected value)
 * @param b a secret (the presented value)
 * @returns whether the two are byte-for-byte equal
 * @example
 * ```ts
 * if (timingSafeEqual(presentedPassword, storedPassword)) return user
 * ```
 */
export function timingSafeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  if (typeof a === 'string' && typeof b === 'string') return sameString(a, b)
  const x = typeof a === 'string' ? encoder.encode(a) : a
  const y = typeof b === 'string' ? encoder.encode(b) : b
  const length = Math.max(x.length, y.length)
  let diff = x.length ^ y.length
  for (let i = 0; i < length; i++) {
    // Out-of-range reads give undefined → 0; the length difference above already failed them.
    diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  }
  return diff === 0
}

function sameString(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length)
  let diff = a.length ^ b.length
  // An index past the end reads NaN, and NaN | 0 is 0: the length difference failed it already.
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

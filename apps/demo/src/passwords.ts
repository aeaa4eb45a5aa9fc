/**
 * @module
 * Password hashing with WebCrypto PBKDF2-HMAC-SHA256, so the same code runs under Node and on the
 * fetch platforms (workerd, Deno, Bun): no `node:crypto`.
 *
 * A hash is self-describing, `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url), so the cost
 * can be raised later without invalidating stored hashes. The default of 100 000 iterations is
 * the most Cloudflare Workers allow for PBKDF2; raise it where the fetch entry is not used.
 */
import { timingSafeEqual } from '@cycle/middleware-auth'

/** Default PBKDF2 iteration count (the workerd maximum). */
export const DEFAULT_ITERATIONS = 100_000
const PREFIX = 'pbkdf2-sha256'
const encoder = new TextEncoder()

function toBase64Url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(s, (c) => c.charCodeAt(0))
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    256
  )
  return new Uint8Array(bits)
}

/**
 * Hashes a password with a fresh random salt.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('cycle-demo') // 'pbkdf2-sha256$100000$…$…'
 * ```
 */
export async function hashPassword(
  password: string,
  iterations = DEFAULT_ITERATIONS
): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`iterations must be a positive integer, got ${iterations}.`)
  }
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(password, salt, iterations)
  return `${PREFIX}$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`
}

/**
 * Checks a password against a stored hash in constant time. A malformed stored hash never
 * matches (and never throws), so a corrupt row cannot crash a login.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 4 || parts[0] !== PREFIX) return false
  const iterations = Number(parts[1])
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000) return false
  let salt: Uint8Array
  let expected: Uint8Array
  try {
    salt = fromBase64Url(parts[2] as string)
    expected = fromBase64Url(parts[3] as string)
  } catch {
    return false
  }
  const actual = await derive(password, salt, iterations)
  return timingSafeEqual(actual, expected)
}

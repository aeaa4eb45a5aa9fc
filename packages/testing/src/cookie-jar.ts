/**
 * @module
 * A minimal cookie jar for the test client: remembers `Set-Cookie` values between calls and
 * sends them back. One app, one origin, so `Domain`/`Path`/`Secure` are not matched; `Max-Age`
 * and `Expires` in the past delete the cookie, as a browser would (RFC 6265 §5.3).
 */

/** Name → value pairs the client currently holds. */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  /** Stores (or deletes) the cookies of every `Set-Cookie` value. */
  store(setCookies: readonly string[], now: number = Date.now()): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (expired(attrs, now)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  /** The `Cookie` header value to send, or `null` when empty. */
  header(): string | null {
    if (this.#cookies.size === 0) return null
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  /** A snapshot of the jar, values as sent (still percent-encoded). */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#cookies)
  }

  /** Sets one cookie by hand (value sent as given). */
  set(name: string, value: string): void {
    this.#cookies.set(name, value)
  }

  /** Empties the jar. */
  clear(): void {
    this.#cookies.clear()
  }
}

function expired(attrs: readonly string[], now: number): boolean {
  for (const attr of attrs) {
    const eq = attr.indexOf('=')
    const key = (eq === -1 ? attr : attr.slice(0, eq)).trim().toLowerCase()
    const value = eq === -1 ? '' : attr.slice(eq + 1).trim()
    // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
    if (key === 'max-age') return Number(value) <= 0
  }
  for (const attr of attrs) {
    const eq = attr.indexOf('=')
    if (eq === -1 || attr.slice(0, eq).trim().toLowerCase() !== 'expires') continue
    const at = Date.parse(attr.slice(eq + 1).trim())
    if (!Number.isNaN(at) && at <= now) return true
  }
  return false
}

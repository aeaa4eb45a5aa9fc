/**
 * @module
 * The Host a request names, checked the way Django's `ALLOWED_HOSTS` does: a malformed Host is a
 * 400 whatever the setting, and a well-formed one must match an allowed name (exact, `.domain`
 * for a domain and its subdomains, or `*`).
 */

const HOST_RE = /^(?:[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/

/**
 * Strips the port and lower-cases a Host value (a `Host` field, a request target's authority or
 * a forwarded host); `null` when malformed. A port must be 1 to 5 digits, at most 65535
 * (RFC 9112 §3.2 wants a 400 for an invalid Host; `:99999` names no port at all), and an empty
 * port (`host:`) is refused rather than read as the default one.
 */
export function normalizeHost(host: string): string | null {
  const h = host.toLowerCase()
  if (!HOST_RE.test(h)) return null
  const close = h.charCodeAt(0) === 91 /* [ */ ? h.indexOf(']') + 1 : 0
  const colon = h.indexOf(':', close)
  if (colon !== -1 && !validPort(h, colon + 1)) return null
  if (close !== 0) return h.slice(0, close)
  const name = colon === -1 ? h : h.slice(0, colon)
  return name.endsWith('.') ? name.slice(0, -1) : name
}

/** The regex has checked digits only; this bounds their number and value. */
function validPort(h: string, start: number): boolean {
  const digits = h.length - start
  return digits > 0 && digits <= 5 && Number(h.slice(start)) <= 65535
}

/** Whether a normalized host matches one of the `allowedHosts` patterns (lower-cased). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const pattern of allowed) {
    if (pattern === '*' || pattern === host) return true
    if (pattern.startsWith('.') && (host === pattern.slice(1) || host.endsWith(pattern))) return true
  }
  return false
}

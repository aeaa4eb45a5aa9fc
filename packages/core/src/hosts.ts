/**
 * @module
 * The Host a request names, checked the way Django's `ALLOWED_HOSTS` does: a malformed Host is a
 * 400 whatever the setting, and a well-formed one must match an allowed name (exact, `.domain`
 * for a domain and its subdomains, or `*`).
 */

const HOST_RE = /^(?:[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/

/** Strips the port and lower-cases a Host header value; `null` when malformed. */
export function normalizeHost(host: string): string | null {
  const h = host.toLowerCase()
  if (!HOST_RE.test(h)) return null
  if (h.charCodeAt(0) === 91 /* [ */) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  const name = colon === -1 ? h : h.slice(0, colon)
  return name.endsWith('.') ? name.slice(0, -1) : name
}

/** Whether a normalized host matches one of the `allowedHosts` patterns (lower-cased). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const pattern of allowed) {
    if (pattern === '*' || pattern === host) return true
    if (pattern.startsWith('.') && (host === pattern.slice(1) || host.endsWith(pattern))) return true
  }
  return false
}

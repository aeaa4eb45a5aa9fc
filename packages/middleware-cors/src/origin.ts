/**
 * @module
 * Origins: the canonical form of a configured origin, and the syntax check a request's `Origin`
 * must pass before a pattern or a function is asked about it.
 */

/**
 * A serialized origin as browsers send it (RFC 6454 §6.2, Fetch's "ASCII serialization"):
 * `scheme://host` or `scheme://host:port`, nothing after the authority. No path, no trailing
 * slash, no query, no user info, no whitespace: a value with any of them is no origin, and is
 * refused before a pattern or a function sees it.
 */
const ORIGIN_SYNTAX = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::[0-9]{1,5})?$/i

/**
 * Whether `value` has the syntax of a serialized origin (`https://example.com:8443`). The opaque
 * origin `null` does not: callers treat it on its own.
 *
 * @param value an `Origin` header value
 * @returns `true` for `scheme://host[:port]` with nothing after it
 * @example
 * ```ts
 * isOriginSyntax('https://example.com') // true
 * isOriginSyntax('https://example.com/') // false: a trailing slash is a path
 * isOriginSyntax('null') // false
 * ```
 */
export function isOriginSyntax(value: string): boolean {
  return ORIGIN_SYNTAX.test(value)
}

/** Where a configured origin string is not an origin, the reason, for the startup error. */
function whyNotOrigin(input: string): string {
  if (input.includes('*')) {
    return "wildcards inside an origin are not supported; list the origins, or use a RegExp such as /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/ (or '*' alone for any origin)"
  }
  if (!input.includes('://')) return 'an origin has a scheme: write "https://example.com"'
  if (/^[^:]+:\/\/[^/]+\/./.test(input) || /[?#]/.test(input)) {
    return 'an origin has no path, query or fragment: write "scheme://host[:port]"'
  }
  if (input.endsWith('/')) {
    return `an origin has no trailing slash: write ${JSON.stringify(input.replace(/\/+$/, ''))}`
  }
  if (input.includes('@')) return 'an origin has no user info'
  return 'write "scheme://host[:port]"'
}

/**
 * The canonical form of a configured origin: scheme and host lower-cased, the default port of
 * `http`/`https` dropped, an internationalized `http(s)` host in its ASCII (punycode) form. This
 * is the form browsers send, so a request's `Origin` is then compared exactly.
 *
 * @param input a configured origin (`https://Example.com:443`, `null`)
 * @returns the canonical origin, or a string explaining why `input` is not one (as `{ error }`)
 */
export function canonicalOrigin(input: string): { origin: string } | { error: string } {
  if (input === 'null') return { origin: 'null' }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#@\s\\]+)$/.exec(input)
  if (m === null || input.includes('*')) return { error: whyNotOrigin(input) }
  const scheme = (m[1] as string).toLowerCase()
  if (scheme === 'http' || scheme === 'https') {
    let url: URL
    try {
      url = new URL(input)
    } catch {
      return { error: 'its host or port is not valid' }
    }
    return isOriginSyntax(url.origin) ? { origin: url.origin } : { error: 'its host is not valid' }
  }
  // Other schemes (`capacitor://localhost`, `chrome-extension://id`): URL gives them an opaque
  // origin, so the authority is checked and lower-cased here.
  const origin = `${scheme}://${(m[2] as string).toLowerCase()}`
  return isOriginSyntax(origin) ? { origin } : { error: 'its host or port is not valid' }
}

/**
 * @module
 * `WWW-Authenticate` challenges (RFC 9110 §11.6.1, §5.6.4 quoted-string).
 */

/** Quotes a value as an RFC 9110 quoted-string (`"` and `\` escaped). */
export function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`
}

// RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, i.e. printable ASCII
// without `"` and `\`. Anything else (a message from a library) is replaced, never escaped.
const NOT_DESCRIPTION = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g

/** Makes a message safe for an RFC 6750 `error_description`. */
export function description(message: string): string {
  return message.replace(NOT_DESCRIPTION, "'").slice(0, 200)
}

/**
 * Builds one challenge: `Bearer realm="api", error="invalid_token"`. Parameters whose value is
 * `undefined` are left out; every value is quoted.
 */
export function challenge(scheme: string, params: Record<string, string | undefined>): string {
  let out = scheme
  let first = true
  for (const name in params) {
    const value = params[name]
    if (value === undefined) continue
    out += `${first ? ' ' : ', '}${name}=${quote(value)}`
    first = false
  }
  return out
}

/**
 * Adds parameters to an existing challenge (`Bearer realm="api"` + error → `Bearer realm="api",
 * error="invalid_token"`).
 */
export function extendChallenge(base: string, params: Record<string, string | undefined>): string {
  const extra = challenge('', params).trimStart()
  if (extra === '') return base
  return base.includes(' ') ? `${base}, ${extra}` : `${base} ${extra}`
}

/**
 * @module
 * A request target made safe to send back in a `Location` header (the APPEND_SLASH redirect).
 * A custom gateway may hand core any string: CR, LF or NUL would be a header injection (and
 * `redirect()` refuses them, rightly, with an error meant for app code), and characters past
 * U+00FF cannot be written as a header at all. Core built this value from the client's bytes, so
 * core escapes it instead of failing (Django's `iri_to_uri` does the same for redirects).
 */

const encoder = new TextEncoder()

function hex(byte: number): string {
  return `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`
}

/**
 * Percent-encodes controls, spaces, DEL and non-ASCII in `target`. A character up to U+00FF is
 * one byte (node hands over the raw target as latin1, so this restores the bytes sent); others
 * are UTF-8, with a lone surrogate as U+FFFD. Printable ASCII, `%` included, is kept as is.
 */
export function escapeTarget(target: string): string {
  const n = target.length
  let i = 0
  for (; i < n; i++) {
    const c = target.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f) break
  }
  if (i === n) return target
  let out = target.slice(0, i)
  for (const ch of target.slice(i)) {
    const c = ch.codePointAt(0) as number
    if (c > 0x20 && c < 0x7f) out += ch
    else if (c <= 0xff) out += hex(c)
    else for (const byte of encoder.encode(ch)) out += hex(byte)
  }
  return out
}

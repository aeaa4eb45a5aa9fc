/**
 * @module
 * Header fields that must come once, as a fetch runtime hands them over. A WHATWG `Headers`
 * joins repeated fields with `", "` (Node's undici, Bun, Deno and workerd all do, see
 * docs/gateways.md), so two `Authorization` or `Content-Type` lines arrive as one value. Neither
 * field is a list (RFC 9110 §5.3), so a comma where a single value has none means two values:
 * refused, as gateway-node refuses the repeated lines it can count.
 */
import { normalizeHost } from '@cycle/core/gateway'

/**
 * Why a `Host` field is refused, or `null`: joined from several fields (Bun and node adapters
 * pass them; Deno refuses them itself; workerd joins them into the URL too, so the comparison
 * with the URL comes second), or rewritten by the runtime into a different URL authority while
 * malformed itself (Bun drops an empty port).
 *
 * @param host the `Host` field, when the request has one
 * @param urlHost the authority of the request URL (the request's host)
 */
export function hostProblem(host: string, urlHost: string): string | null {
  if (host.includes(',')) return 'The request has more than one Host header.'
  if (host === urlHost) return null
  // Deno puts an absolute-form target's authority in the URL: Host may differ, but it must
  // still be a Host (RFC 9112 §3.2).
  return normalizeHost(host) === null ? 'The Host header is malformed.' : null
}

/**
 * Whether a `Content-Type` value is several joined with commas: a media type has commas only
 * inside quoted parameter values (`boundary="a,b"`, RFC 9110 §8.3.1).
 */
export function isJoinedMediaType(value: string): boolean {
  // Most values have no comma at all: `indexOf` answers that natively, before any scan by hand.
  return value.indexOf(',') !== -1 && topLevelComma(value, 0) !== -1
}

/**
 * Whether an `Authorization` value is several credentials joined with commas. One credential is
 * `auth-scheme [ 1*SP ( token68 / #auth-param ) ]` (RFC 9110 §11.4): commas appear only between
 * `name=value` parameters (Digest, AWS SigV4), never after a token68 (Basic, Bearer). So once
 * there is a comma outside quotes, every element after the scheme must start `name=`; a joined
 * second credential starts with its scheme and a space (`Bearer b`, `Digest username=…`).
 */
export function isJoinedCredentials(value: string): boolean {
  // A bearer token or a Basic credential has no comma: no scan by hand over a long JWT.
  if (value.indexOf(',') === -1) return false
  let comma = topLevelComma(value, 0)
  if (comma === -1) return false
  const space = value.indexOf(' ')
  // A scheme alone before the comma (`Basic, Basic x`) is no parameter list either.
  if (space === -1 || space > comma) return true
  let start = space + 1
  for (;;) {
    if (!isParam(value, start, comma === -1 ? value.length : comma)) return true
    if (comma === -1) return false
    start = comma + 1
    comma = topLevelComma(value, start)
  }
}

/** Whether `value[start, end)` is empty (the list rule allows it) or starts `token BWS "="`. */
function isParam(value: string, start: number, end: number): boolean {
  let i = start
  while (i < end && isSpace(value.charCodeAt(i))) i++
  if (i === end) return true
  const nameStart = i
  while (i < end && isTchar(value.charCodeAt(i))) i++
  if (i === nameStart) return false
  while (i < end && isSpace(value.charCodeAt(i))) i++
  return i < end && value.charCodeAt(i) === 61 /* = */
}

/** The index of the first comma at or after `from` outside a quoted-string, or -1. */
function topLevelComma(value: string, from: number): number {
  let quoted = false
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (quoted) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) quoted = false
    } else if (c === 34) quoted = true
    else if (c === 44 /* , */) return i
  }
  return -1
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9
}

/** RFC 9110 §5.6.2 tchar, by char code. */
const TCHAR = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TCHAR[c.charCodeAt(0)] = 1

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1
}

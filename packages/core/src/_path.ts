/**
 * @module
 * The slow part of `request.path`, for the few paths that carry a `%` escape or a `.` right after
 * a `/`: decoding that keeps an encoded slash a character of its segment, and the refusal of dot
 * segments (docs/routing.md, "Encoded slashes and dot segments").
 */
import { BadRequest } from './errors'

const ENCODED_SLASH = /%2f/i

/**
 * Decodes every escape of a raw path except `%2F` (either case), which stays `%2F`: an encoded
 * slash is data inside one segment, never a separator, so `/api%2Fme` is not `/api/me` and a
 * `<path:rest>` parameter sees `a%2Fb`. Then refuses dot segments.
 *
 * @throws BadRequest on malformed percent-encoding, and on a `.` or `..` segment (sent as is or
 *   encoded as `%2E`)
 */
export function decodePath(raw: string, encoded: boolean): string {
  let path = raw
  if (encoded) {
    try {
      path = ENCODED_SLASH.test(raw)
        ? raw.split(ENCODED_SLASH).map(decodeURIComponent).join('%2F')
        : decodeURIComponent(raw)
    } catch {
      throw new BadRequest('The request path has malformed percent-encoding.')
    }
  }
  if (hasDotSegment(path)) {
    throw new BadRequest(
      'The request path has a "." or ".." segment. Clients remove dot segments before sending ' +
        '(RFC 3986 §5.2.4); Cycle neither resolves them nor routes them as names.'
    )
  }
  return path
}

/** Whether a decoded path has a segment that is exactly `.` or `..`. */
export function hasDotSegment(path: string): boolean {
  const n = path.length
  for (let i = path.indexOf('/.'); i !== -1; i = path.indexOf('/.', i + 1)) {
    let j = i + 2
    if (j < n && path.charCodeAt(j) === 46 /* . */) j++
    if (j === n || path.charCodeAt(j) === 47 /* / */) return true
  }
  return false
}

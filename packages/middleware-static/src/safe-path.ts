/**
 * @module
 * Turning a request path into file-system path segments without ever leaving the root.
 *
 * What reaches this module is core's decoded `request.path` (or a `<path:…>` parameter taken
 * from it): core has already decoded every escape once, refused malformed percent-encoding and
 * `.`/`..` segments with a 400, and kept an encoded slash as the three characters `%2F` inside
 * its segment (`request.path`; docs/reliability.md lists these targets). This module never decodes
 * again, so a double-encoded `%252e%252e` stays the harmless file name `%2e%2e`, and refuses
 * what a file-system path must not hold. Each refusal is a 400 with its own detail, and each has
 * a test over a raw socket (gateway.test.ts).
 */
import { BadRequest } from '@cycle/core'

const WINDOWS = process.platform === 'win32'

/**
 * Splits `rel` (a decoded path relative to the static root, `/`-separated, no leading slash) into
 * segments that are safe to join onto the root, refusing with a 400:
 *
 * - a segment holding `%2F` (either case): either an encoded slash (`..%2f..%2fetc`), which core
 *   keeps encoded because it is data inside a segment and must never become a separator, or a
 *   double-encoded one (`%252F`), which decodes to the same three characters; a static file name
 *   holding them is not worth the ambiguity;
 * - a backslash (a separator on Windows, and `..\` is the classic traversal there);
 * - NUL (`%00`: C strings end there, and node refuses such paths anyway);
 * - a `.` or `..` segment (core refuses them in `request.path` already; a path given some other
 *   way is checked again here);
 * - an empty segment (`//`), except a trailing one (`docs/` asks for the directory's index): a
 *   leading one would make the path absolute (`/static//etc/passwd`);
 * - on Windows, a `:` (a drive letter, `C:`, or an alternate data stream, `file::$DATA`).
 *
 * @param rel the decoded relative path
 * @param windows apply the Windows-only rule (`:`); default: whether this process runs on Windows
 * @returns the segments; the last one is `''` when `rel` ends with `/`
 * @throws {BadRequest} as above
 */
export function safeSegments(rel: string, windows: boolean = WINDOWS): string[] {
  if (rel === '') return ['']
  const segments = rel.split('/')
  const last = segments.length - 1
  for (let i = 0; i <= last; i++) {
    const s = segments[i] as string
    if (s === '') {
      if (i === last) continue
      throw new BadRequest('The static file path has an empty segment ("//").')
    }
    if (s === '.' || s === '..') {
      throw new BadRequest('The static file path has a "." or ".." segment.')
    }
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j)
      if (c === 0) throw new BadRequest('The static file path holds a NUL character.')
      if (c === 0x5c /* \ */) throw new BadRequest('The static file path holds a backslash.')
      if (c === 0x3a /* : */ && windows) throw new BadRequest('The static file path holds a ":".')
      if (
        c === 0x25 /* % */ &&
        s.charCodeAt(j + 1) === 0x32 /* 2 */ &&
        (s.charCodeAt(j + 2) | 0x20) === 0x66 /* f */
      ) {
        throw new BadRequest('The static file path holds an encoded slash.')
      }
    }
  }
  return segments
}

/** Whether a segment names a dotfile or a dot-directory (`.env`, `.git`). */
export function isDotfile(segments: readonly string[]): boolean {
  for (const s of segments) if (s.charCodeAt(0) === 0x2e) return true
  return false
}

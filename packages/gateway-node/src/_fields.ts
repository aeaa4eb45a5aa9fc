/**
 * @module
 * Header fields that must come once. Node keeps the first of several `Host`, `Authorization` or
 * `Content-Type` fields in `req.headers` and drops the others; a proxy in front may have read
 * another one. Two answers to "who is this?" or "what is this body?" are refused instead
 * (RFC 9110 §5.3: these fields are not lists, so several lines are not one value either).
 * Two `Content-Length` fields never get here: node's parser answers them with a 400.
 */
import type { IncomingMessage } from 'node:http'
import { BadRequest, RequestHeaderFieldsTooLarge, type HttpError } from '@cycle/core'

/**
 * Why the fields of a request are refused, or `null`: an HTTP/1 header section over `max` bytes
 * (431), a second `Host` (RFC 9112 §3.2), none on HTTP/1.1, a second `Authorization` or
 * `Content-Type` (400).
 *
 * The size is counted as RFC 9112 §5 writes the section: each field line is its name, `: `, its
 * value and CRLF, and an empty line ends it. Node's own limit counts only the request target,
 * names and values, so 900 fields of 21 bytes (18.9 KB) passed a 16 KiB limit; they are a 431
 * here. HTTP/2 names the host in `:authority`
 * (nghttp2 refuses a repeated pseudo-header), but node's compat layer keeps the first of repeated
 * ordinary fields just the same. One pass over `rawHeaders` that compares lengths first, with no
 * allocation and no builtin call: this runs on every request.
 */
export function fieldsProblem(req: IncomingMessage, max: number): HttpError | null {
  const raw = req.rawHeaders
  let size = 2
  let hosts = 0
  let credentials = 0
  let types = 0
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    size += name.length + (raw[i + 1] as string).length + 4
    // Char codes rather than `===`: node's header names are fresh strings, so each equality
    // test would be a builtin call, and a 12-letter `X-Request-Id` would pay two of them.
    switch (name.length) {
      case 4:
        if (sameName(name, 'host')) hosts++
        break
      case 12:
        if (sameName(name, 'content-type')) types++
        break
      case 13:
        if (sameName(name, 'authorization')) credentials++
        break
    }
  }
  if (size > max && req.httpVersionMajor === 1) {
    return new RequestHeaderFieldsTooLarge(
      `The request header section is ${size} bytes; this server accepts at most ${max}.`
    )
  }
  if (hosts !== 1) {
    if (hosts > 1) return new BadRequest('The request has more than one Host header.')
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1)
      return new BadRequest('The request has no Host header (required in HTTP/1.1).')
  } else if (req.httpVersionMajor === 2) {
    // `:authority` is HTTP/2's target authority; a Host naming another host is malformed
    // (RFC 9113 §8.3.1), as absolute-form's authority wins over Host in HTTP/1.1.
    const authority = req.headers[':authority']
    const host = req.headers.host as string
    if (typeof authority === 'string' && authority.toLowerCase() !== host.toLowerCase())
      return new BadRequest('The Host header names another host than :authority (RFC 9113 §8.3.1).')
  }
  if (credentials > 1) return new BadRequest('The request has more than one Authorization header.')
  if (types > 1) return new BadRequest('The request has more than one Content-Type header.')
  return null
}

/**
 * Case-insensitive comparison with a name of the same length, without `toLowerCase()` (which
 * allocates). `lower` holds
 * letters and `-` only; `c | 0x20` maps an upper-case letter to its lower case and leaves `-`,
 * and no other token character lands on a letter or `-` that way (RFC 9110 §5.1).
 */
function sameName(name: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false
  }
  return true
}

/**
 * @module
 * The request target as node hands it over (`req.url`), for the few requests whose target is not
 * plain origin-form: absolute-form (RFC 9112 §3.2.2), asterisk-form (§3.2.4), a fragment a client
 * sent anyway, or something that is no target at all.
 */
import { normalizeHost } from '@cycle/core/gateway'

/** What the gateway makes of a target that is not plain origin-form. */
export interface ParsedTarget {
  /** The target core sees: origin-form path and query (no fragment), or `*`. */
  readonly target: string
  /** The authority of an absolute-form target: the request's host, whatever `Host` says. */
  readonly authority: string | undefined
  /** Why the request is refused with a 400, or `null`. */
  readonly problem: string | null
}

/** The absolute-form schemes an origin server answers (RFC 9110 §4.2). */
const SCHEME = /^https?:\/\//i

/**
 * Parses a request target that is not plain origin-form.
 *
 * @param url `req.url`, as node's parser gave it
 * @param hostField the `Host` field, if any: with absolute-form it no longer names the host, but
 *   an invalid one is still a 400 (RFC 9112 §3.2)
 */
export function parseTarget(url: string, hostField: string | undefined): ParsedTarget {
  if (url.charCodeAt(0) === 47 /* / */) return origin(url, undefined)
  if (url === '*') return { target: '*', authority: undefined, problem: null }
  const scheme = SCHEME.exec(url)
  if (scheme === null) {
    return refused(
      url.includes('://')
        ? 'The request target names a scheme other than http or https.'
        : 'The request target is not a path, an absolute http(s) URL or "*".'
    )
  }
  const start = scheme[0].length
  let end = url.length
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i
      break
    }
  }
  const authority = url.slice(start, end)
  // Userinfo (`user@host`) is refused by the host check too; say why here (RFC 9110 §4.2.4).
  if (authority.includes('@')) return refused('The request target carries userinfo (user@host).')
  if (authority === '') return refused('The request target has an empty authority.')
  if (hostField !== undefined && normalizeHost(hostField) === null) {
    return refused('The Host header is malformed.')
  }
  const rest = url.slice(end)
  return origin(rest.charCodeAt(0) === 47 ? rest : '/' + rest, authority)
}

/** Origin-form without the fragment (a fragment is never part of the path or the query). */
function origin(target: string, authority: string | undefined): ParsedTarget {
  const hash = target.indexOf('#')
  return { target: hash === -1 ? target : target.slice(0, hash), authority, problem: null }
}

function refused(problem: string): ParsedTarget {
  return { target: '/', authority: undefined, problem }
}

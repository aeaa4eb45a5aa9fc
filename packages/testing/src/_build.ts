/**
 * @module
 * Builds the WHATWG `Request` parts for the test client: URL with query, body, headers.
 */
import type { CookieJar } from './cookie-jar'
import type { QueryInit, TestRequestInit } from './client'

/** The request URL: `path` on `base` (or a full URL), plus `query`. */
export function buildUrl(base: URL, path: string, query: QueryInit | undefined): string {
  let url: string
  if (/^https?:\/\//i.test(path)) url = path
  else if (path.startsWith('/')) url = base.origin + path
  else
    throw new TypeError(
      `Request paths must start with "/" (or be full URLs), got ${JSON.stringify(path)}.`
    )
  if (query === undefined) return url
  const params = query instanceof URLSearchParams ? query : new URLSearchParams()
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue
      if (Array.isArray(value)) for (const v of value) params.append(key, String(v))
      else params.append(key, String(value))
    }
  }
  const qs = params.toString()
  if (qs === '') return url
  const hash = url.indexOf('#')
  const head = hash === -1 ? url : url.slice(0, hash)
  return head + (head.includes('?') ? '&' : '?') + qs
}

/** The body and, for streams, `duplex: 'half'`; at most one of json/body/form. */
export function buildBody(init: TestRequestInit): { body?: BodyInit; duplex?: 'half' } {
  const given = [init.json !== undefined, init.body !== undefined, init.form !== undefined]
  if (given.filter(Boolean).length > 1) {
    throw new TypeError('Give at most one of json, body and form.')
  }
  if (init.json !== undefined) return { body: JSON.stringify(init.json) }
  if (init.form !== undefined) {
    const form = init.form
    if (form instanceof FormData || form instanceof URLSearchParams) return { body: form }
    return { body: new URLSearchParams(form) }
  }
  if (init.body === undefined || init.body === null) return {}
  // fetch requires `duplex: 'half'` for stream bodies (they are sent without Content-Length).
  if (init.body instanceof ReadableStream) return { body: init.body, duplex: 'half' }
  return { body: init.body }
}

/** Default headers, the call's own, `Host`, a JSON content type, and the jar's cookies. */
export function buildHeaders(
  host: string,
  defaults: Record<string, string>,
  init: TestRequestInit,
  jar: CookieJar | null
): Headers {
  const headers = new Headers(defaults)
  if (init.headers !== undefined) new Headers(init.headers).forEach((v, k) => headers.set(k, v))
  // A real server always sees Host; set it so allowedHosts checks behave as in production.
  if (!headers.has('host')) headers.set('host', host)
  if (init.json !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/json')
  }
  const cookie = jar?.header() ?? null
  if (cookie !== null) {
    const own = headers.get('cookie')
    headers.set('cookie', own === null ? cookie : `${cookie}; ${own}`)
  }
  return headers
}

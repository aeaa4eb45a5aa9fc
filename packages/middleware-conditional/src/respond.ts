/**
 * @module
 * The two answers of a conditional request: 304 Not Modified made from the response it replaces,
 * and the 412 Precondition Failed problem.
 */
import { problem, type CycleResponse } from '@cycle/core'
import type { FailedField } from './evaluate'

/**
 * Representation metadata and framing a 304 must not carry (RFC 9110 §15.4.5: a sender SHOULD NOT
 * generate representation metadata beyond Cache-Control, Content-Location, Date, ETag, Expires and
 * Vary; RFC 9112 §6.3: a 304 has no content, so no framing). `Last-Modified` is dropped only when
 * an `ETag` is present (§15.4.5: it is useful when there is none).
 */
const DROPPED = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-range',
  'transfer-encoding',
] as const

/** Releases a body that will not be sent, so that its cleanup runs (a file handle, a cursor). */
export function release(body: unknown): void {
  if (body instanceof ReadableStream) {
    body.cancel().catch(() => {})
  } else if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    const it = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    it.return?.()?.catch(() => {})
  }
}

/**
 * Turns `res` into a 304 Not Modified, in place: no body, and of its headers everything but
 * representation metadata (the fields RFC 9110 §15.4.5 requires stay: Cache-Control,
 * Content-Location, Date, ETag, Expires, Vary; so do `Set-Cookie` and the other
 * middlewares' fields). A stream body is cancelled.
 */
export function toNotModified(res: CycleResponse): CycleResponse {
  const body = res.body
  if (body !== null && body !== undefined && typeof body === 'object') release(body)
  res.status = 304
  res.body = null
  const h = res.headers
  for (const name of DROPPED) if (h.has(name)) h.delete(name)
  if (h.has('etag') && h.has('last-modified')) h.delete('last-modified')
  return res
}

const DETAIL: Record<FailedField, string> = {
  'if-match': 'If-Match does not match the current entity tag of the resource.',
  'if-unmodified-since': 'The resource was modified after the If-Unmodified-Since date.',
  'if-none-match': 'If-None-Match matches the current entity tag of the resource.',
}

/**
 * The 412 Precondition Failed problem. It carries the current `ETag` (and `Last-Modified`) when
 * known, so that a client can fetch the new state and retry.
 */
export function preconditionFailed(
  field: FailedField,
  etag: string | undefined,
  modified: string | undefined
): CycleResponse {
  const res = problem({ status: 412, title: 'Precondition Failed', detail: DETAIL[field] })
  if (etag !== undefined) res.headers.set('etag', etag)
  if (modified !== undefined) res.headers.set('last-modified', modified)
  return res
}

/** The 428 Precondition Required problem (RFC 6585 §3). */
export function preconditionRequired(): CycleResponse {
  return problem({
    status: 428,
    title: 'Precondition Required',
    detail: 'This request must be conditional: send If-Match with the entity tag you last read.',
  })
}

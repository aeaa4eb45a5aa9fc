/**
 * @module
 * RFC 9110 §13.2.2: the order in which a server evaluates the conditional fields of a request
 * against the selected representation's validators.
 */
import type { CycleRequest } from '@cycle/core'
import { matchesEntityTags, parseHttpDate } from './validators'

/** What the preconditions say: go on, answer 304 Not Modified, or answer 412 Precondition Failed. */
export type Outcome = 'proceed' | 'not-modified' | 'failed'

/** Which field decided a `'failed'` outcome (for the problem's detail). */
export type FailedField = 'if-match' | 'if-unmodified-since' | 'if-none-match'

/** The evaluation's answer, with the field that decided a failure. */
export interface Evaluation {
  /** Go on, 304, or 412. */
  outcome: Outcome
  /** With `'failed'`: the field whose condition was false. */
  field?: FailedField
}

/** Shared answers: evaluation allocates nothing. */
export const PROCEED: Evaluation = Object.freeze({ outcome: 'proceed' }) as Evaluation
export const NOT_MODIFIED: Evaluation = Object.freeze({ outcome: 'not-modified' }) as Evaluation
const FAILED_MATCH: Evaluation = Object.freeze({
  outcome: 'failed',
  field: 'if-match',
}) as Evaluation
const FAILED_UNMODIFIED: Evaluation = Object.freeze({
  outcome: 'failed',
  field: 'if-unmodified-since',
}) as Evaluation
const FAILED_NONE_MATCH: Evaluation = Object.freeze({
  outcome: 'failed',
  field: 'if-none-match',
}) as Evaluation

/** Whether `method` is GET or HEAD, the methods a 304 answers. */
export function isGetOrHead(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

/** Seconds since the epoch of a `Last-Modified` value (HTTP dates have no milliseconds). */
function seconds(ms: number): number {
  return Math.floor(ms / 1000)
}

/**
 * Evaluates the request's conditional fields in RFC 9110 §13.2.2's order:
 *
 * 1. `If-Match` (strong comparison; `*` is true when the resource exists): false → 412;
 * 2. otherwise `If-Unmodified-Since` (ignored when invalid or when there is no modification date):
 *    modified since → 412;
 * 3. `If-None-Match` (weak comparison; `*` true when the resource exists): a match → 304 for
 *    GET/HEAD, 412 for any other method;
 * 4. otherwise, for GET/HEAD only, `If-Modified-Since` (ignored when invalid or when there is no
 *    modification date): not modified since → 304.
 *
 * @param etag the representation's entity-tag, if it has one
 * @param modified its modification time in ms, `NaN` when unknown
 * @param exists whether the resource has a current representation
 */
export function evaluate(
  request: CycleRequest<object, unknown>,
  etag: string | undefined,
  modified: number,
  exists: boolean
): Evaluation {
  const ifMatch = request.header('if-match')
  if (ifMatch !== null) {
    if (!matchesEntityTags(ifMatch, etag, exists, true)) return FAILED_MATCH
  } else {
    const ius = request.header('if-unmodified-since')
    if (ius !== null && modified === modified) {
      const since = parseHttpDate(ius.trim())
      if (since === since && seconds(modified) > seconds(since)) return FAILED_UNMODIFIED
    }
  }
  const getOrHead = isGetOrHead(request.method)
  const ifNoneMatch = request.header('if-none-match')
  if (ifNoneMatch !== null) {
    if (matchesEntityTags(ifNoneMatch, etag, exists, false)) {
      return getOrHead ? NOT_MODIFIED : FAILED_NONE_MATCH
    }
  } else if (getOrHead && modified === modified) {
    const ims = request.header('if-modified-since')
    if (ims !== null) {
      const since = parseHttpDate(ims.trim())
      if (since === since && seconds(modified) <= seconds(since)) return NOT_MODIFIED
    }
  }
  return PROCEED
}

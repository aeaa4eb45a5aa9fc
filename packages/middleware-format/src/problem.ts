/**
 * @module
 * Error responses as RFC 9457 problem documents. Core's own errors already carry one; a view that
 * returned plain data with an error status (`json({ error: 'x' }, 400)`) gets one built around it,
 * so every error leaves the app in the same shape.
 */
import { JSON_TYPE, PROBLEM_TYPE, STATUS_TEXT, type CycleResponse, type ProblemDetails } from '@cycle/core'

/** The media type core marks problem documents with, without parameters. */
const PROBLEM = PROBLEM_TYPE.toLowerCase()

function mediaType(response: CycleResponse): string | null {
  const ct = response.headers.get('content-type')
  if (ct === null) return null
  const semi = ct.indexOf(';')
  return (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase()
}

/** Whether a pending response's content type is one the formatter shapes (JSON, problem, none). */
export function formattable(response: CycleResponse): boolean {
  // What core and `json()` set, compared as is before any parsing (every response asks).
  const ct = response.headers.get('content-type')
  if (ct === null || ct === JSON_TYPE || ct === PROBLEM_TYPE) return true
  const type = mediaType(response)
  return type === null || type === 'application/json' || type === PROBLEM
}

/**
 * The problem document for an error response. Members come in RFC 9457 order (`type`, `title`,
 * `status`, `detail`, `instance`, then extensions); `status` always equals the HTTP status.
 *
 * - problem data (core's errors, `problem()`) is kept, with defaults filled in;
 * - a plain object becomes the problem's members (`{ detail }` stays `detail`, others extensions);
 * - a string becomes `detail`; anything else is kept under `data`.
 */
export function toProblem(response: CycleResponse): ProblemDetails {
  const status = response.status
  const data = response.data
  const members: Record<string, unknown> =
    typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : typeof data === 'string'
        ? { detail: data }
        : data === undefined || data === null
          ? {}
          : { data }
  const doc: ProblemDetails = {
    type: typeof members['type'] === 'string' ? members['type'] : 'about:blank',
    title:
      typeof members['title'] === 'string' ? members['title'] : (STATUS_TEXT[status] ?? 'Error'),
    status,
  }
  if (members['detail'] !== undefined) doc.detail = members['detail'] as string
  if (members['instance'] !== undefined) doc.instance = members['instance'] as string
  for (const key of Object.keys(members)) {
    if (
      key === 'type' ||
      key === 'title' ||
      key === 'status' ||
      key === 'detail' ||
      key === 'instance'
    ) {
      continue
    }
    doc[key] = members[key]
  }
  return doc
}

/**
 * @module
 * `requestId()`: gives every request an id, the way a plugin author would write it against core's
 * middleware contract. It is a hook object (Django's `process_request` / `process_response`):
 *
 * - `request`: takes the client's `X-Request-Id` when it is a safe token, else makes a UUID, and
 *   puts it on `request.state.requestId` (typed for views through `StateOf`) and in the envelope's
 *   `meta` (through middleware-format's `addMeta`);
 * - `response`: echoes it in the `X-Request-Id` response header, on every response, errors included.
 */
import { defineMiddleware, ImproperlyConfigured, type Middleware } from '@cycle/core'
import { addMeta } from '@cycle/middleware-format'

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** Header to read and write. Default `x-request-id`. */
  header?: string
  /** Accept the client's id when it looks safe. Default true (set false on a public edge). */
  trustIncoming?: boolean
  /** Makes a new id. Default `crypto.randomUUID()`. */
  generate?: () => string
}

/** What {@link requestId} adds to `request.state`. */
export interface RequestIdState {
  /** This request's id. */
  requestId: string
}

// Letters, digits and a few separators only: the id ends up in logs and a response header, so
// nothing that could forge a log line or a header (CR/LF, quotes, spaces) is accepted.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Creates the request-id middleware.
 *
 * @param options header name, trust in the client's id, id generator
 * @returns a hook middleware named `requestId` adding `requestId` to `request.state`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` on an invalid option, at once
 * @example
 * ```ts
 * createApp({ middleware: [requestId()], urls }) // every response has X-Request-Id
 * ```
 */
export function requestId(options: RequestIdOptions = {}): Middleware<RequestIdState> {
  const header = (options.header ?? 'x-request-id').toLowerCase()
  if (!HEADER_NAME.test(header)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `requestId(): ${JSON.stringify(header)} is not a header name.`
    )
  }
  const generate = options.generate ?? (() => crypto.randomUUID())
  if (typeof generate !== 'function') {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      'requestId(): generate must be a function returning a string.'
    )
  }
  const trust = options.trustIncoming ?? true
  return defineMiddleware<RequestIdState>({
    name: 'requestId',
    request(request) {
      const incoming = trust ? request.header(header) : null
      const id = incoming !== null && SAFE_ID.test(incoming) ? incoming : generate()
      request.state.requestId = id
      addMeta(request, { requestId: id })
    },
    response(request, response) {
      // Typed `string | undefined` (core cannot know that this middleware's request hook never
      // answers before setting it); the check costs nothing and keeps the header honest.
      const id = request.state.requestId
      if (id !== undefined) response.headers.set(header, id)
    },
  })
}

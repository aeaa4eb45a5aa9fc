/**
 * @module
 * `requestId()`: one id per request, on `request.state.requestId` (typed for views through
 * `StateOf`) and on the response. A valid incoming `X-Request-Id` is kept (a load balancer or the
 * calling service made it); anything else is replaced by `crypto.randomUUID()`.
 */
import {
  defineMiddleware,
  ImproperlyConfigured,
  type CycleRequest,
  type Middleware,
  isToken,
} from '@cycle/core'

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** The header read from the request and written on the response. Default `x-request-id`. */
  header?: string
  /**
   * Keep a valid incoming id. Default `true`. Set `false` on a public edge where clients must
   * not choose the id your logs are keyed by.
   */
  trustIncoming?: boolean
  /** Makes a new id. Default `crypto.randomUUID()` (Web Crypto: Node, Bun, Deno, workerd). */
  generate?: () => string
}

/** What {@link requestId} adds to `request.state`. */
export interface RequestIdState {
  /** This request's id: the client's when valid, else a generated one. */
  requestId: string
}

/**
 * What an incoming id must look like to be kept: 1 to 200 characters of letters, digits and
 * `-_.:+/=@` (UUIDs, ULIDs, base64 and the `Root=1-…` ids of cloud load balancers fit). Spaces,
 * quotes, commas, CR/LF and anything non-ASCII are refused: the id is echoed in a response header
 * and written to logs, so nothing that could forge a log line or a header gets in. The check
 * itself ({@link isValidRequestId}) is a table loop, not this expression: a header value is not a
 * sliced string, and there the loop is cheaper (callgrind on Node 20: 340 against 660 instructions
 * for 10 characters, 1,150 against 1,300 for a UUID; docs/writing-middleware.md §6).
 */
export const REQUEST_ID_PATTERN: RegExp = /^[A-Za-z0-9\-_.:+/=@]{1,200}$/

/**
 * Whether `value` would be kept as a request id (see {@link REQUEST_ID_PATTERN}).
 *
 * @example
 * ```ts
 * isValidRequestId('4f0c5e1a-…') // true
 * isValidRequestId('a\r\nSet-Cookie: x=1') // false
 * ```
 */
export function isValidRequestId(value: string): boolean {
  const n = value.length
  if (n === 0 || n > 200) return false
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    if (c > 127 || ID_CHARS[c] === 0) return false
  }
  return true
}

/** 1 for each character {@link REQUEST_ID_PATTERN} allows, by char code (ASCII only). */
const ID_CHARS = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:+/=@') {
  ID_CHARS[c.charCodeAt(0)] = 1
}

function randomUUID(): string {
  return globalThis.crypto.randomUUID()
}

/** Resolved options, shared by {@link requestId} and `observe()`. */
export interface RequestIdPart {
  readonly header: string
  readonly trust: boolean
  readonly generate: () => string
}

/** Validates the options once, at startup. @internal */
export function requestIdPart(options: RequestIdOptions, who: string): RequestIdPart {
  if (typeof options !== 'object' || options === null) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `${who}: options must be an object.`)
  }
  const header = (options.header ?? 'x-request-id').toLowerCase()
  if (!isToken(header)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `${who}: ${JSON.stringify(header)} is not a header name.`
    )
  }
  const generate = options.generate ?? randomUUID
  if (typeof generate !== 'function') {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `${who}: generate must be a function returning a string.`
    )
  }
  return { header, trust: options.trustIncoming ?? true, generate }
}

/** The request half: the id to use for this request. @internal */
export function pickRequestId(part: RequestIdPart, request: CycleRequest<object, unknown>): string {
  if (part.trust) {
    const incoming = request.header(part.header)
    if (incoming !== null && isValidRequestId(incoming)) return incoming
  }
  return part.generate()
}

/**
 * The request-id middleware. Its request hook sets `request.state.requestId`; its response hook
 * writes the id on every response that passes it, errors included. Place it first, so that every
 * later middleware and every log line sees the id.
 *
 * @param options header name, trust in the client's id, id generator
 * @returns a hook middleware named `requestId`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid option, at once
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { requestId } from '@cycle/middleware-observe'
 *
 * const app = createApp({
 *   middleware: [requestId()] as const,
 *   urls: [path('', (req) => ({ id: req.state.requestId }))],
 * })
 * ```
 */
export function requestId(options: RequestIdOptions = {}): Middleware<RequestIdState> {
  const part = requestIdPart(options, 'requestId()')
  const header = part.header
  return defineMiddleware<RequestIdState>({
    name: 'requestId',
    request(request) {
      request.state.requestId = pickRequestId(part, request)
    },
    response(request, response) {
      const id = request.state.requestId
      if (id !== undefined) response.headers.set(header, id)
    },
  })
}

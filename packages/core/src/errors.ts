/**
 * @module
 * The HTTP error family. Throw one anywhere in the cycle (middleware, view, body readers) and core
 * turns it into an RFC 9457 `application/problem+json` response with the same status and headers.
 *
 * Errors are brand-checked ({@link HttpError.isHttpError}) instead of relying on `instanceof`, so
 * two copies of `@cycle/core` in one dependency tree still recognise each other's errors.
 */

const kHttpError: symbol = Symbol.for('cycle.http-error')

/** Reason phrases for the statuses Cycle produces (RFC 9110 §15). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** Options shared by every {@link HttpError}. */
export interface HttpErrorOptions {
  /** Human-readable explanation specific to this occurrence (problem `detail`). */
  detail?: string
  /** Problem `title`; defaults to the status' reason phrase. */
  title?: string
  /** Problem `type` URI; defaults to `about:blank` (RFC 9457 §4.2.1). */
  type?: string
  /** Headers to send with the error response (`WWW-Authenticate`, `Retry-After`, …). */
  headers?: Record<string, string>
  /** Extra problem members (RFC 9457 §3.2), e.g. `errors` for validation failures. */
  extensions?: Record<string, unknown>
  /** Whether `detail` may be shown to clients. Defaults to `status < 500`. */
  expose?: boolean
  /** The underlying error, kept for logs and the debug page. */
  cause?: unknown
}

/**
 * An error that carries its HTTP response semantics.
 *
 * @example
 * ```ts
 * throw new HttpError(409, { detail: 'A note with this title exists.' })
 * ```
 */
export class HttpError extends Error {
  /** HTTP status code (4xx or 5xx). */
  readonly status: number
  /** Problem `title`. */
  readonly title: string
  /** Problem `type` URI. */
  readonly type: string
  /** Problem `detail`, if any. */
  readonly detail: string | undefined
  /** Response headers to send with the error. */
  readonly headers: Record<string, string>
  /** Extra problem members. */
  readonly extensions: Record<string, unknown> | undefined
  /** Whether the detail is safe to show to clients. */
  readonly expose: boolean

  constructor(status: number, options: HttpErrorOptions = {}) {
    const title = options.title ?? STATUS_TEXT[status] ?? 'Error'
    super(options.detail ?? title, options.cause === undefined ? undefined : { cause: options.cause })
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${status}`)
    }
    this.name = 'HttpError'
    this.status = status
    this.title = title
    this.type = options.type ?? 'about:blank'
    this.detail = options.detail
    this.headers = options.headers ?? {}
    this.extensions = options.extensions
    this.expose = options.expose ?? status < 500
  }

  static {
    Object.defineProperty(HttpError.prototype, kHttpError, { value: true })
  }

  /** Brand check that works across duplicated copies of `@cycle/core`. */
  static isHttpError(value: unknown): value is HttpError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[kHttpError] === true
    )
  }
}

type Opts = HttpErrorOptions

/**
 * `options` with the positional `detail` (and headers) applied. `Object.assign`, not a spread:
 * on V8 `{ ...options, detail }` makes a new hidden class per call (about 1 µs), and errors are
 * made per request (every 404, 401, 413 a client causes).
 */
function withDetail(options: Opts, detail: string | undefined, headers?: Record<string, string>): Opts {
  const out: Opts = Object.assign({}, options)
  if (detail !== undefined) out.detail = detail
  if (headers !== undefined) out.headers = headers
  return out
}

/** 400: the request is malformed (bad JSON, bad percent-encoding, bad Host). */
export class BadRequest extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(400, withDetail(options, detail))
    this.name = 'BadRequest'
  }
}

/** Options of {@link Unauthorized}. */
export interface UnauthorizedOptions extends Opts {
  /** The `WWW-Authenticate` challenge (RFC 9110 §11.6.1), e.g. `Bearer realm="api"`. */
  challenge?: string
}

/** 401: no or bad credentials. Always send a challenge so clients know how to authenticate. */
export class Unauthorized extends HttpError {
  constructor(detail?: string, options: UnauthorizedOptions = {}) {
    const headers: Record<string, string> = Object.assign({}, options.headers)
    if (options.challenge) headers['www-authenticate'] = options.challenge
    super(401, withDetail(options, detail, headers))
    this.name = 'Unauthorized'
  }
}

/** 403: authenticated, but not allowed (Django's `PermissionDenied`). */
export class Forbidden extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(403, withDetail(options, detail))
    this.name = 'Forbidden'
  }
}

/** 404: nothing here (Django's `Http404`). */
export class NotFound extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(404, withDetail(options, detail))
    this.name = 'NotFound'
  }
}

/** 405: the path exists but not for this method. Carries the `Allow` header (RFC 9110 §15.5.6). */
export class MethodNotAllowed extends HttpError {
  /** Methods the resource supports. */
  readonly allow: readonly string[]
  constructor(allow: readonly string[], options: Opts = {}) {
    const list = allow.join(', ')
    const headers: Record<string, string> = Object.assign({}, options.headers, { allow: list })
    super(405, withDetail(options, options.detail ?? `Allowed methods: ${list}.`, headers))
    this.name = 'MethodNotAllowed'
    this.allow = allow
  }
}

/** 406: no representation matches `Accept`. */
export class NotAcceptable extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(406, withDetail(options, detail))
    this.name = 'NotAcceptable'
  }
}

/** 409: the request conflicts with the current state. */
export class Conflict extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(409, withDetail(options, detail))
    this.name = 'Conflict'
  }
}

/** 410: the resource is gone for good. */
export class Gone extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(410, withDetail(options, detail))
    this.name = 'Gone'
  }
}

/** 413: the body is larger than the limit. */
export class PayloadTooLarge extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(413, withDetail(options, detail))
    this.name = 'PayloadTooLarge'
  }
}

/** 415: the body's content type is not one the view accepts. */
export class UnsupportedMediaType extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(415, withDetail(options, detail))
    this.name = 'UnsupportedMediaType'
  }
}

/** One validation failure: a JSON pointer (RFC 6901) into the input and a message. */
export interface ValidationIssue {
  pointer: string
  detail: string
}

/** 422: the body parsed but does not validate. `errors` lists what is wrong and where. */
export class UnprocessableEntity extends HttpError {
  /** The validation issues, also sent as the problem's `errors` member. */
  readonly errors: readonly ValidationIssue[]
  constructor(errors: readonly ValidationIssue[] = [], options: Opts = {}) {
    const out = withDetail(options, options.detail ?? 'The request did not validate.')
    out.extensions = Object.assign({}, options.extensions, { errors })
    super(422, out)
    this.name = 'UnprocessableEntity'
    this.errors = errors
  }
}

/** Options of {@link TooManyRequests} and {@link ServiceUnavailable}. */
export interface RetryOptions extends Opts {
  /** Seconds until the client may retry, sent as `Retry-After`. */
  retryAfter?: number
}

function retryHeaders(options: RetryOptions): Record<string, string> {
  const headers: Record<string, string> = Object.assign({}, options.headers)
  if (options.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(options.retryAfter))
  return headers
}

/** 429: rate limited. */
export class TooManyRequests extends HttpError {
  constructor(detail?: string, options: RetryOptions = {}) {
    super(429, withDetail(options, detail, retryHeaders(options)))
    this.name = 'TooManyRequests'
  }
}

/** 431: the request's header section is too large. */
export class RequestHeaderFieldsTooLarge extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(431, withDetail(options, detail))
    this.name = 'RequestHeaderFieldsTooLarge'
  }
}

/** 500: something broke. The detail is never shown to clients unless `expose` is set. */
export class InternalServerError extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(500, withDetail(options, detail))
    this.name = 'InternalServerError'
  }
}

/** 501: the server does not support this functionality. */
export class NotImplemented extends HttpError {
  constructor(detail?: string, options: Opts = {}) {
    super(501, withDetail(options, detail))
    this.name = 'NotImplemented'
  }
}

/** 503: temporarily unavailable (shutting down, overloaded, dependency down). */
export class ServiceUnavailable extends HttpError {
  constructor(detail?: string, options: RetryOptions = {}) {
    super(503, withDetail(options, detail, retryHeaders(options)))
    this.name = 'ServiceUnavailable'
  }
}

/** Django's name for {@link NotFound}. */
export const Http404: typeof NotFound = NotFound
/** Django's name for {@link Forbidden}. */
export const PermissionDenied: typeof Forbidden = Forbidden

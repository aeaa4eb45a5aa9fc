/**
 * @module
 * Framework errors: mistakes in how an app is put together (bad URL conf, a view that returned
 * nothing, a middleware that called `next()` twice). Each has a stable `code` documented in
 * `docs/errors.md` and a message that says what to fix. They are programmer errors, not client
 * errors: at request time they surface as a 500 (with the message on the debug page only).
 */

/** Stable codes of {@link ImproperlyConfigured} errors. */
export type CycleErrorCode =
  | 'ERR_BAD_PATTERN'
  | 'ERR_UNKNOWN_CONVERTER'
  | 'ERR_DUPLICATE_ROUTE'
  | 'ERR_SHADOWED_ROUTE'
  | 'ERR_DUPLICATE_NAME'
  | 'ERR_NO_REVERSE_MATCH'
  | 'ERR_BAD_MIDDLEWARE'
  | 'ERR_NEXT_CALLED_TWICE'
  | 'ERR_NEXT_NOT_AWAITED'
  | 'ERR_MIDDLEWARE_RETURNED_NOTHING'
  | 'ERR_VIEW_RETURNED_NOTHING'
  | 'ERR_BAD_VIEW'
  | 'ERR_BAD_HEADER'
  | 'ERR_BAD_OPTION'
  | 'ERR_BODY_USED'
  | 'ERR_ABORT_UNSUPPORTED'

/**
 * A framework error with a stable code (Django's `ImproperlyConfigured`, Fastify's `FST_ERR_*`).
 *
 * @example
 * ```ts
 * try { reverse('nope') } catch (e) { if (e instanceof ImproperlyConfigured) console.log(e.code) }
 * ```
 */
export class ImproperlyConfigured extends Error {
  /** Stable, documented code. */
  readonly code: CycleErrorCode
  constructor(code: CycleErrorCode, message: string) {
    super(message)
    this.name = 'ImproperlyConfigured'
    this.code = code
  }
}

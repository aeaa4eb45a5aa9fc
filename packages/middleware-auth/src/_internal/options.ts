/**
 * @module
 * Eager option validation. Every factory in this package checks its options when it is called
 * (at startup), so a misconfiguration fails the boot instead of the first request.
 */
import { ImproperlyConfigured, isToken } from '@cycle/core'

/** An `ImproperlyConfigured('ERR_BAD_OPTION')` naming the factory that refused its options. */
export function badOption(factory: string, message: string): ImproperlyConfigured {
  return new ImproperlyConfigured('ERR_BAD_OPTION', `${factory}(): ${message}`)
}

// RFC 9110 §5.5: header field values may not carry CR, LF or NUL; a quoted-string may not hold
// other control characters either, so realms and names are limited to visible ASCII and space.
const VISIBLE = /^[\x20-\x7e]*$/

/** Checks a value that ends up inside a `WWW-Authenticate` quoted-string. */
export function checkParam(factory: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || !VISIBLE.test(value)) {
    throw badOption(factory, `${name} must be a string of printable ASCII characters.`)
  }
  return value
}

/** Checks an HTTP header name (RFC 9110 §5.1 token) and lower-cases it. */
export function checkHeaderName(factory: string, name: unknown): string {
  if (typeof name !== 'string' || !isToken(name)) {
    throw badOption(factory, `header must be an HTTP header name, got ${JSON.stringify(name)}.`)
  }
  return name.toLowerCase()
}

/** Checks an authentication scheme name (RFC 9110 §11.1: a token). */
export function checkScheme(factory: string, scheme: unknown): string {
  if (typeof scheme !== 'string' || !isToken(scheme)) {
    throw badOption(
      factory,
      `scheme must be an authentication scheme name, got ${JSON.stringify(scheme)}.`
    )
  }
  return scheme
}

/** Checks that `value` is a function when given. */
export function checkFunction(
  factory: string,
  name: string,
  value: unknown,
  required: boolean
): void {
  if (value === undefined && !required) return
  if (typeof value !== 'function') {
    throw badOption(factory, `${name} must be a function${required ? ' (it is required)' : ''}.`)
  }
}

/** Checks a positive integer limit. */
export function checkLimit(factory: string, name: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw badOption(factory, `${name} must be a positive integer, got ${String(value)}.`)
  }
}

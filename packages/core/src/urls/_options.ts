/**
 * @module
 * Validation of `path()`/`include()` options and the compilation of method-map views.
 */
import { ImproperlyConfigured } from '../codes'
import { MethodNotAllowed } from '../errors'
import { isToken } from '../headers'
import type { ViewFunction } from '../middleware'
import type { CycleRequest } from '../request'
import type { IncludeOptions, MethodViews, PathOptions, TypedView } from './conf'

/** An `ERR_BAD_OPTION` error. */
export function badOption(message: string): ImproperlyConfigured {
  return new ImproperlyConfigured('ERR_BAD_OPTION', message)
}

/** Checks a route name or namespace: a non-empty string without `:`. */
export function checkName(value: unknown, what: string, where: string): void {
  if (value === undefined) return
  if (typeof value !== 'string' || value === '' || value.includes(':')) {
    const got = JSON.stringify(value) ?? String(value)
    throw badOption(
      `The ${what} of ${where} must be a non-empty string without ":" (namespaces come from include()), got ${got}.`
    )
  }
}

/** Checks the options `path()` and `include()` share (middleware, bodyLimit). */
export function checkCommon(options: PathOptions | IncludeOptions, where: string): void {
  if (options.middleware !== undefined && !Array.isArray(options.middleware)) {
    throw badOption(`The middleware of ${where} must be an array.`)
  }
  const limit = options.bodyLimit
  if (
    limit !== undefined &&
    !(typeof limit === 'number' && limit >= 0 && limit <= Number.MAX_SAFE_INTEGER)
  ) {
    throw badOption(
      `The bodyLimit of ${where} must be a non-negative number of bytes, got ${String(limit)}.`
    )
  }
}

/** Validates a method list and upper-cases it, without duplicates. */
export function normalizeMethods(methods: unknown, where: string): string[] {
  if (!Array.isArray(methods) || methods.length === 0) {
    throw badOption(`The methods of ${where} must be a non-empty array like ['GET', 'POST'].`)
  }
  const out: string[] = []
  for (const m of methods) {
    if (typeof m !== 'string' || !isToken(m)) {
      throw badOption(`${where} lists an invalid HTTP method ${JSON.stringify(m)}.`)
    }
    const upper = m.toUpperCase()
    if (!out.includes(upper)) out.push(upper)
  }
  return out
}

/** Compiles a method map into one view that dispatches on `request.method` (HEAD → GET). */
export function compileMethodViews(views: MethodViews, where: string): ViewFunction {
  const handlers: Record<string, TypedView> = Object.create(null) as Record<string, TypedView>
  for (const key of Object.keys(views)) {
    const handler = views[key]
    if (typeof handler !== 'function') {
      throw new ImproperlyConfigured(
        'ERR_BAD_VIEW',
        `The "${key}" view of ${where} is not a function.`
      )
    }
    const method = normalizeMethods([key], where)[0] as string
    handlers[method] = handler
  }
  const allow = Object.keys(handlers)
  if (allow.length === 0) {
    throw new ImproperlyConfigured(
      'ERR_BAD_VIEW',
      `The method map of ${where} has no views; give at least { GET: view }.`
    )
  }
  if (handlers['HEAD'] === undefined && handlers['GET'] !== undefined)
    handlers['HEAD'] = handlers['GET']
  const dispatch = (request: CycleRequest): unknown => {
    const handler = handlers[request.method]
    if (handler === undefined) throw new MethodNotAllowed(allow)
    return handler(request)
  }
  return Object.assign(dispatch, { methods: allow })
}

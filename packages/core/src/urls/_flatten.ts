/**
 * @module
 * Flattens a URL conf (nested `include()`s) into routes with full patterns, qualified names and
 * the middleware, error handlers and body limit they inherit.
 */
import type { ErrorHandler, Middleware } from '../middleware'
import type { UrlEntry } from './conf'
import { parsePattern, segmentsToRegex, type ParsedPattern } from './pattern'
import type { CompiledRoute } from './resolver'

/** An include with an error handler: its full prefix as a start-anchored regex, and its depth. */
export interface ScopedHandler {
  /** Matches the start of a path (without its leading `/`) under the include. */
  readonly prefix: RegExp
  /** Include nesting depth (1 = top level). */
  readonly depth: number
  /** The include's error handler. */
  readonly handler: ErrorHandler
}

interface Scope {
  readonly prefix: string
  readonly namespace: string | undefined
  readonly middleware: readonly Middleware[]
  readonly errorHandlers: readonly ErrorHandler[]
  readonly bodyLimit: number | undefined
  readonly depth: number
}

/** Routes and parsed full patterns, in declaration order, plus the scoped error handlers. */
export interface Flattened {
  /** Every route, with what it inherits. */
  readonly routes: CompiledRoute[]
  /** The parsed full pattern of each route (same index). */
  readonly parsed: ParsedPattern[]
  /** Includes with an error handler. */
  readonly handlers: ScopedHandler[]
}

/** Flattens `entries` depth first, in declaration order. */
export function flatten(entries: readonly UrlEntry[]): Flattened {
  const out: Flattened = { routes: [], parsed: [], handlers: [] }
  const root: Scope = {
    prefix: '',
    namespace: undefined,
    middleware: [],
    errorHandlers: [],
    bodyLimit: undefined,
    depth: 0,
  }
  visit(entries, root, out)
  return out
}

function visit(entries: readonly UrlEntry[], scope: Scope, out: Flattened): void {
  for (const entry of entries) {
    if (entry.kind === 'path') {
      const pattern = scope.prefix + entry.pattern
      out.parsed.push(parsePattern(pattern))
      const name = entry.name
      const namespace = scope.namespace
      out.routes.push({
        pattern,
        name,
        namespace,
        qualifiedName:
          name === undefined ? undefined : namespace === undefined ? name : `${namespace}:${name}`,
        methods: entry.methods,
        view: entry.view,
        middleware:
          entry.middleware.length === 0
            ? scope.middleware
            : [...scope.middleware, ...entry.middleware],
        errorHandlers: scope.errorHandlers,
        bodyLimit: entry.bodyLimit ?? scope.bodyLimit,
        serializers: entry.serializers,
        resolved: undefined,
        chain: undefined,
      })
      continue
    }
    const prefix = scope.prefix + entry.prefix
    const parsed = parsePattern(prefix, 'include prefix')
    const handler = entry.errorHandler
    const inner: Scope = {
      prefix,
      namespace:
        entry.namespace === undefined
          ? scope.namespace
          : scope.namespace === undefined
          ? entry.namespace
          : `${scope.namespace}:${entry.namespace}`,
      middleware:
        entry.middleware.length === 0
          ? scope.middleware
          : [...scope.middleware, ...entry.middleware],
      errorHandlers:
        handler === undefined ? scope.errorHandlers : [handler, ...scope.errorHandlers],
      bodyLimit: entry.bodyLimit ?? scope.bodyLimit,
      depth: scope.depth + 1,
    }
    if (handler !== undefined) {
      const source = segmentsToRegex(parsed.segments, [])
      out.handlers.push({ prefix: new RegExp(`^(?:${source})`), depth: inner.depth, handler })
    }
    visit(entry.children, inner, out)
  }
}

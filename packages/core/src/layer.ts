/**
 * @module
 * Middlewares as the pipeline sees them: each one normalized once, at `createApp()`, into a
 * `Layer` with its hooks looked up (Django's `load_middleware`), and the checks that turn a hook's
 * return value into a response.
 */
import { ImproperlyConfigured } from './codes'
import type { HookMiddleware, Middleware, OnionMiddleware } from './middleware'
import { middlewareName } from './middleware'
import { CycleResponse } from './response'

/** The hooks a hook middleware may have, in the order of the cycle. */
export const HOOKS = ['request', 'view', 'render', 'exception', 'response'] as const

/** A middleware normalized at startup. */
export interface Layer {
  /** Shown by `describe()`, traces and the debug page. */
  readonly name: string
  /** The middleware object, the `this` of its hooks (`null` for an onion). */
  readonly hooks: HookMiddleware | null
  /** The onion function, or `null` for a hook middleware. */
  readonly onion: OnionMiddleware | null
  readonly request: HookMiddleware['request']
  readonly view: HookMiddleware['view']
  readonly render: HookMiddleware['render']
  readonly exception: HookMiddleware['exception']
  readonly response: HookMiddleware['response']
}

/**
 * Normalizes a middleware, validating its shape eagerly: a bad middleware is an error at
 * `createApp()`, global or route-scoped, never on the first request that meets it.
 *
 * @param m the middleware
 * @param index its position, for the default name
 * @param where where it was given (`createApp()`, `path("notes/")`), for the message
 */
export function toLayer(m: Middleware, index: number, where = 'createApp()'): Layer {
  if (typeof m === 'function') {
    const name = middlewareName(m, index)
    return { name, hooks: null, onion: m, ...NO_HOOKS }
  }
  if (typeof m !== 'object' || m === null) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `Middleware #${index} of ${where} is ${
        m === null ? 'null' : typeof m
      }; expected a function (request, next) or an object of hooks.`
    )
  }
  const name = middlewareName(m, index)
  for (const h of HOOKS) {
    if (m[h] !== undefined && typeof m[h] !== 'function') {
      throw new ImproperlyConfigured(
        'ERR_BAD_MIDDLEWARE',
        `Middleware "${name}" of ${where} has a "${h}" that is not a function.`
      )
    }
  }
  if (!HOOKS.some((h) => m[h] !== undefined)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      `Middleware "${name}" of ${where} has no hook; give it request, view, render, exception or response.`
    )
  }
  return {
    name,
    hooks: m,
    onion: null,
    request: m.request,
    view: m.view,
    render: m.render,
    exception: m.exception,
    response: m.response,
  }
}

const NO_HOOKS = {
  request: undefined,
  view: undefined,
  render: undefined,
  exception: undefined,
  response: undefined,
} as const

/** Whether a hook returned a promise (or any thenable). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
}

/** The global `Response`, looked up once: on node it is a lazy getter, a call per read. */
let WebResponse: typeof Response | null | undefined

/** Whether `v` is a WHATWG `Response`. */
export function isWebResponse(v: object): v is Response {
  if (WebResponse === undefined) WebResponse = typeof Response === 'function' ? Response : null
  return WebResponse !== null && v instanceof WebResponse
}

/**
 * A hook's answer as a `CycleResponse` (a WHATWG `Response` is wrapped, its body left a stream).
 * @throws ImproperlyConfigured `ERR_MIDDLEWARE_RETURNED_NOTHING` for anything else
 */
export function toResponse(v: unknown, who: string): CycleResponse {
  if (v instanceof CycleResponse || CycleResponse.isCycleResponse(v)) return v
  if (typeof v === 'object' && v !== null && isWebResponse(v)) return CycleResponse.fromResponse(v)
  throw new ImproperlyConfigured(
    'ERR_MIDDLEWARE_RETURNED_NOTHING',
    `${who} returned ${
      v === null ? 'null' : typeof v
    }; hooks must return a response (CycleResponse or Response) or nothing.`
  )
}

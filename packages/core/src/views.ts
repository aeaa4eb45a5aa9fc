/**
 * @module
 * Class-based views (Django's `View`): one method per HTTP method, dispatched by `asView()`.
 * Methods without a handler get a 405 with `Allow` (the resolver learns the list at startup).
 */
import { MethodNotAllowed } from './errors'
import type { CycleRequest } from './request'
import type { ViewFunction } from './middleware'

const HANDLERS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const

/** A view function that also tells the resolver which methods it answers. */
export type DispatchingView = ViewFunction & { readonly methods: readonly string[] }

/**
 * Base class for class-based views. Define `get`, `post`, … and mount with `asView()`.
 * A fresh instance is made per request, so instance fields are request-local.
 *
 * @example
 * ```ts
 * class NoteDetail extends View {
 *   get(request: CycleRequest) { return { id: request.params.id } }
 *   delete() { return noContent() }
 * }
 * path('notes/<uuid:id>/', NoteDetail.asView(), { name: 'detail' })
 * ```
 */
export class View {
  /** The current request (set before dispatch). */
  request!: CycleRequest

  /** Compiles the class into a view function with its allowed methods. */
  static asView<T extends new () => View>(this: T): DispatchingView {
    const proto = this.prototype as unknown as Record<string, unknown>
    const methods = HANDLERS.filter((m) => typeof proto[m] === 'function').map((m) =>
      m.toUpperCase()
    )
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD')
    const Cls = this
    const view = (request: CycleRequest): unknown => {
      const instance = new Cls()
      instance.request = request
      return instance.dispatch(request)
    }
    Object.defineProperty(view, 'name', { value: Cls.name })
    return Object.assign(view, { methods })
  }

  /** Calls the handler for `request.method`, or raises 405. HEAD falls back to `get`. */
  dispatch(request: CycleRequest): unknown {
    const self = this as unknown as Record<string, ((r: CycleRequest) => unknown) | undefined>
    let handler = self[request.method.toLowerCase()]
    if (handler === undefined && request.method === 'HEAD') handler = self['get']
    if (typeof handler !== 'function' || !HANDLERS.includes(request.method.toLowerCase() as 'get')) {
      const allowed = HANDLERS.filter((m) => typeof self[m] === 'function').map((m) => m.toUpperCase())
      throw new MethodNotAllowed(allowed)
    }
    return handler.call(this, request)
  }
}

/**
 * @module
 * `precondition()`: Django's `condition()` decorator as route-scoped middleware. The route's
 * current validators are loaded before the view, and the conditional fields are checked against
 * them there: a PATCH with a stale `If-Match` is refused with 412 before anything is written
 * (optimistic concurrency), and a GET whose `If-None-Match` matches is answered with 304 without
 * running the view or hashing anything.
 */
import {
  CycleResponse,
  ImproperlyConfigured,
  type CycleRequest,
  type HeaderMap,
  type HookMiddleware,
  type MaybePromise,
} from '@cycle/core'
import { evaluate, isGetOrHead } from './evaluate'
import { preconditionFailed, preconditionRequired } from './respond'
import { toEntityTag, toHttpDate, type Validators } from './validators'

/**
 * Loads the current validators of the resource a request targets (a version column, an
 * `updated_at`): `null` or `undefined` when the resource does not exist. Keep it cheap: it runs
 * before the view on every request of the route that needs it.
 */
export type ValidatorLoader = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: CycleRequest<any, any>
) => MaybePromise<Validators | null | undefined>

/** Options of {@link precondition}. */
export interface PreconditionOptions {
  /**
   * Refuse an unsafe request (anything but GET, HEAD, OPTIONS and TRACE) that carries neither
   * `If-Match` nor `If-Unmodified-Since` with 428 Precondition Required (RFC 6585 §3), so that
   * no client can overwrite a change it has not seen. Default `false`.
   */
  required?: boolean
  /**
   * Fields the route's 200 answers carry that a 304 must repeat (RFC 9110 §15.4.5:
   * `Cache-Control`, `Expires`, `Content-Location`, `Vary`). A 304 answered before the view has
   * only what is set here (and what other middlewares' response hooks add), since the view did not
   * run; they are also set on the view's GET/HEAD 2xx answers that lack them, so both agree.
   * Checked at startup (no CR/LF).
   */
  headers?: Record<string, string>
}

const kLoaded: unique symbol = Symbol('cycle.conditional.loaded') as never

type LoadedState = { [kLoaded]?: Validators }

function isSafe(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE'
}

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `precondition(): ${message}`)
}

function decide(
  request: CycleRequest<object, unknown>,
  v: Validators | null | undefined,
  fixed: HeaderMap | undefined
): CycleResponse | undefined {
  const getOrHead = isGetOrHead(request.method)
  if (v === null || v === undefined) {
    // GET/HEAD of a missing resource: the view answers (a 404), conditions are not evaluated
    // (RFC 9110 §13.2.1). An unsafe method: `If-Match` fails, `If-None-Match: *` passes.
    if (getOrHead) return undefined
    const ev = evaluate(request, undefined, NaN, false)
    return ev.outcome === 'failed'
      ? preconditionFailed(ev.field ?? 'if-match', undefined, undefined)
      : undefined
  }
  const tag = v.etag === undefined ? undefined : toEntityTag(v.etag)
  const lm = v.lastModified === undefined ? undefined : toHttpDate(v.lastModified)
  if (getOrHead) (request.state as LoadedState)[kLoaded] = v
  const ev = evaluate(request, tag, lm === undefined ? NaN : Date.parse(lm), true)
  if (ev.outcome === 'proceed') return undefined
  if (ev.outcome === 'failed') return preconditionFailed(ev.field ?? 'if-match', tag, lm)
  const res = new CycleResponse(
    null,
    fixed === undefined ? { status: 304 } : { status: 304, headers: fixed }
  )
  if (tag !== undefined) res.headers.set('etag', tag)
  else if (lm !== undefined) res.headers.set('last-modified', lm)
  return res
}

/**
 * Route-scoped preconditions, checked **before the view** against validators loaded by `load`
 * (Django's `condition(etag_func, last_modified_func)`), in RFC 9110 §13.2.2's order:
 *
 * - `If-Match` (strong comparison; `*` passes when the resource exists) and, without it,
 *   `If-Unmodified-Since`: a failure is a 412 problem and the view never runs;
 * - `If-None-Match` (weak comparison) and, without it, `If-Modified-Since` on GET/HEAD: 304
 *   without running the view; `If-None-Match` that matches on an unsafe method (`*` on a PUT of
 *   an existing resource) is a 412.
 *
 * On GET/HEAD the loader runs on every request, and its validators are set on the view's 2xx
 * answer unless the view set its own: the `ETag` a client reads is the one its `If-Match` is
 * compared with, and {@link conditional} never hashes these answers. On unsafe methods the
 * loader runs only when the request is conditional; set the new validators on the answer
 * yourself ({@link etag}).
 *
 * @param load the current validators of the target resource, `null` when it does not exist
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` when `load` is not a function or an option is unknown
 * @example
 * ```ts
 * const noteVersion = precondition((req) => {
 *   const row = db.prepare('SELECT version FROM notes WHERE id = ?').get(req.params.id)
 *   return row ? { etag: row.version } : null
 * })
 * path('notes/<int:id>/', noteView, { middleware: [noteVersion] })
 * ```
 */
export function precondition(
  load: ValidatorLoader,
  options: PreconditionOptions = {}
): HookMiddleware {
  if (typeof load !== 'function') bad('the loader must be a function.')
  if (typeof options !== 'object' || options === null) bad('options must be an object.')
  for (const key of Object.keys(options)) {
    if (key !== 'required' && key !== 'headers') bad(`unknown option "${key}".`)
  }
  const required = options.required === true
  let fixed: HeaderMap | undefined
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null)
      bad('"headers" must be an object.')
    try {
      fixed = new CycleResponse(null, { headers: options.headers }).headers
    } catch (error) {
      bad(`"headers": ${(error as Error).message}`)
    }
  }

  return {
    name: 'precondition',
    view(request) {
      const method = request.method
      if (!isGetOrHead(method)) {
        if (isSafe(method)) return
        const ifMatch = request.header('if-match')
        const ius = request.header('if-unmodified-since')
        if (ifMatch === null && ius === null) {
          if (required) return preconditionRequired()
          if (request.header('if-none-match') === null) return
        }
      }
      const loaded = load(request)
      if (
        loaded !== null &&
        typeof loaded === 'object' &&
        typeof (loaded as Promise<unknown>).then === 'function'
      ) {
        return (loaded as Promise<Validators | null | undefined>).then((v) =>
          decide(request, v, fixed)
        )
      }
      return decide(request, loaded as Validators | null | undefined, fixed)
    },
    response(request, res) {
      const v = (request.state as LoadedState)[kLoaded]
      if (v === undefined) return
      const status = res.status
      if (status < 200 || status > 299 || status === 204 || status === 206) return
      const h = res.headers
      // The view's own validators win: it may know better (a representation of its own).
      if (v.etag !== undefined && !h.has('etag')) h.set('etag', toEntityTag(v.etag))
      if (v.lastModified !== undefined && !h.has('last-modified')) {
        h.set('last-modified', toHttpDate(v.lastModified))
      }
      if (fixed !== undefined)
        for (const [name, value] of fixed) if (!h.has(name)) h.set(name, value)
    },
  }
}

/**
 * @module
 * `timeout()`: a deadline for the work after it in the cycle. When it passes, `request.signal`
 * aborts (the view and whatever it handed the signal to stop) and the client gets a 503 or 504
 * problem at once; the view's answer, if it still comes, is dropped.
 */
import {
  ImproperlyConfigured,
  problem,
  type CycleRequest,
  type CycleResponse,
  type OnionMiddleware,
} from '@cycle/core'

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** The deadline in milliseconds, counted from when the middleware is entered. */
  ms: number
  /**
   * The status of the deadline answer: 503 Service Unavailable (the default: this server is the
   * origin and ran out of time) or 504 Gateway Timeout (for views that wait on an upstream).
   */
  status?: 503 | 504
  /** The problem's `detail`. Default: `The request did not complete within <ms> ms.` */
  detail?: string
  /**
   * Called with the answer the rest of the cycle made after the deadline had answered (a view
   * that ignored `request.signal`, or the error response of one that stopped). It is dropped
   * (a stream body is cancelled) and never sent; an error thrown in the cycle was already
   * reported to the app's `requestException` listeners. What this callback throws is ignored.
   */
  onLate?: (request: CycleRequest, response: CycleResponse) => void
}

const KNOWN = new Set(['ms', 'status', 'detail', 'onLate'])

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `timeout(): ${message}`)
}

/** Releases a body that will not be sent, so that its cleanup runs. */
function release(body: unknown): void {
  if (body instanceof ReadableStream) {
    body.cancel().catch(() => {})
  } else if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    const it = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    it.return?.()?.catch(() => {})
  }
}

/** One request's race between its deadline and the rest of the cycle. */
interface Race {
  request: CycleRequest
  resolve: (response: CycleResponse) => void
  timer: ReturnType<typeof setTimeout> | undefined
  late: boolean
}

/**
 * A deadline for everything after it in the cycle: when `ms` pass before an answer,
 * `request.signal` aborts with a `TimeoutError` `DOMException` and the client gets a `status`
 * problem at once, exactly once; whatever the view answers later is dropped (see
 * {@link TimeoutOptions.onLate}). An answer in time passes through untouched and the timer is
 * cleared.
 *
 * As route middleware (`path(…, { middleware: [timeout({ ms: 2000 })] })`) the deadline covers
 * the route's later middleware and its view; in the app's list, everything after it.
 *
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an invalid or unknown option
 * @example
 * ```ts
 * path('report/', slowReport, { middleware: [timeout({ ms: 2000, status: 504 })] })
 * ```
 */
export function timeout(options: TimeoutOptions): OnionMiddleware {
  if (typeof options !== 'object' || options === null) bad('options are required: { ms }.')
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) bad(`unknown option "${key}".`)
  const { ms, onLate } = options
  // setTimeout's range: a longer delay would fire at once.
  if (typeof ms !== 'number' || !(ms > 0) || ms > 2_147_483_647) {
    bad(`"ms" must be a number of milliseconds from 1 to 2147483647, got ${String(ms)}.`)
  }
  const status = options.status ?? 503
  if (status !== 503 && status !== 504) bad(`"status" must be 503 or 504, got ${String(status)}.`)
  if (onLate !== undefined && typeof onLate !== 'function') bad('"onLate" must be a function.')
  const detail = options.detail ?? `The request did not complete within ${ms} ms.`
  if (typeof detail !== 'string') bad('"detail" must be a string.')
  const title = status === 503 ? 'Service Unavailable' : 'Gateway Timeout'

  function expire(race: Race): void {
    race.late = true
    try {
      race.request.abort(new DOMException(detail, 'TimeoutError'))
    } catch {
      // A gateway without request.abort(): core then reports ERR_NEXT_NOT_AWAITED as a 500.
    }
    race.resolve(problem({ status, title, detail }))
  }

  function settle(race: Race, response: CycleResponse): void {
    if (!race.late) {
      clearTimeout(race.timer)
      race.resolve(response)
      return
    }
    release(response.body)
    if (onLate !== undefined) {
      try {
        onLate(race.request, response)
      } catch {
        // Documented: ignored. The deadline answer is already on its way.
      }
    }
  }

  const middleware: OnionMiddleware = (request, next) =>
    new Promise<CycleResponse>((resolve) => {
      const race: Race = { request, resolve, timer: undefined, late: false }
      race.timer = setTimeout(expire, ms, race)
      void next().then((response) => settle(race, response))
    })
  // The name app.describe() and traces show. Set, not inferred: a bundler renames a function
  // named like its enclosing factory (`timeout2`).
  Object.defineProperty(middleware, 'name', { value: 'timeout' })
  return middleware
}

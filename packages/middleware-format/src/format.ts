/**
 * @module
 * The `format()` middleware: one standard answer for every response on the way out.
 *
 * It works on responses whose body is still pending (`response.body === undefined`: `json()`,
 * plain view data, core's problem responses), so it must sit **first** in the middleware list:
 * its response hook then runs last and sees every response, including the ones core and other
 * middlewares produce. It shapes the data (envelope or problem), negotiates the representation
 * and serializes it itself, so a value that cannot be serialized becomes a clean 500 here.
 */
import {
  CycleResponse,
  JSON_TYPE,
  NotAcceptable,
  PROBLEM_TYPE,
  STATUS_TEXT,
  TEXT_TYPE,
  serializerFor,
  type CycleRequest,
  type HookMiddleware,
  type ProblemDetails,
} from '@cycle/core'
import { isWithMeta, metaOf, type Meta } from './meta'
import { negotiate } from './negotiate'
import { resolveOptions, type FormatOptions, type Representation } from './options'
import { formattable, internalError, isProblemLike, toProblem } from './problem'
import { isRaw, routeIsRaw } from './raw'
import { renderHtml, renderText } from './render'
import { stringifyPlain, toPlain, type PlainValue } from './serialize'

const HTML_TYPE = 'text/html; charset=utf-8'

// Offers carry `charset=utf-8` so `Accept: text/html;charset=utf-8` matches them.
const OFFERS: Record<Representation, readonly string[]> = {
  json: ['application/json;charset=utf-8'],
  html: ['text/html;charset=utf-8'],
  text: ['text/plain;charset=utf-8'],
}
const PROBLEM_OFFER = 'application/problem+json;charset=utf-8'

/** One negotiation table: the offers in order and the representation each stands for. */
interface Table {
  offers: string[]
  kinds: Map<string, Representation>
}

function table(reps: readonly Representation[], problem: boolean): Table {
  const offers: string[] = []
  const kinds = new Map<string, Representation>()
  for (const rep of reps) {
    // An error's JSON form is problem+json; a client asking for application/json gets it too.
    const list = rep === 'json' && problem ? [PROBLEM_OFFER, ...OFFERS.json] : OFFERS[rep]
    for (const offer of list) {
      offers.push(offer)
      kinds.set(offer, rep)
    }
  }
  return { offers, kinds }
}

function pick(t: Table, accept: string | null): Representation | null {
  const offer = negotiate(accept, t.offers)
  return offer === null ? null : (t.kinds.get(offer) as Representation)
}

/** An error response already rendered (core's HTML page) whose `data` is still its problem. */
function isRenderedProblem(response: CycleResponse): boolean {
  const status = response.status
  return status >= 400 && typeof response.body === 'string' && isProblemLike(response.data, status)
}

function wantsPretty(request: CycleRequest): boolean {
  const v = request.query.get('pretty')
  return v !== null && v !== '0' && v !== 'false'
}

function addVary(response: CycleResponse): void {
  const vary = response.headers.get('vary')
  if (vary === null) response.headers.set('vary', 'Accept')
  else if (!vary.split(',').some((v) => ['accept', '*'].includes(v.trim().toLowerCase()))) {
    response.headers.set('vary', `${vary}, Accept`)
  }
}

/**
 * The standard-format middleware. Put it first in `middleware` so it sees every response.
 *
 * - success data → the envelope (`{ data, meta }` by default), errors → RFC 9457 problems;
 * - JSON, HTML or plain text by `Accept` (with `Vary: Accept`), pretty JSON on `?pretty`;
 * - BigInt, Date, Map, Set and typed arrays serialize; a cycle or a throwing getter is a 500;
 * - bodies that are already strings, bytes or streams, and {@link raw} routes, are left alone.
 *
 * @param options see {@link FormatOptions}
 * @returns a hook middleware named `format`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` on an invalid option, at once
 *
 * @example
 * ```ts
 * const app = createApp({
 *   middleware: [format({ strict: true })],
 *   urls: [path('notes/', () => [{ id: 1 }])],
 * })
 * // GET /notes/ → 200 {"data":[{"id":1}],"meta":{}}
 * // GET /nope/  → 404 application/problem+json {"type":"about:blank","title":"Not Found",…}
 * ```
 */
export function format(options?: FormatOptions): HookMiddleware {
  const o = resolveOptions(options)
  const success = table(o.representations, false)
  const failure = table(o.representations, o.errors === 'problem')

  const pretty = (request: CycleRequest): boolean =>
    o.pretty === true || (o.pretty === 'query' && wantsPretty(request))

  const metaFor = (request: CycleRequest, response: CycleResponse, own: Meta | undefined): Meta => {
    const base = o.meta?.(request, response)
    return { ...base, ...metaOf(request), ...own }
  }

  /** Writes a shaped, plain document into `response` in the chosen representation. */
  const write = (
    request: CycleRequest,
    response: CycleResponse,
    kind: Representation,
    shaped: PlainValue,
    problem: ProblemDetails | null,
    useSchema = true
  ): CycleResponse => {
    const status = response.status
    // The route's response schema holds for every representation: JSON is written by its
    // serializer, HTML and text render the document projected on it (only declared fields).
    const schema = useSchema ? serializerFor(request, status) : undefined
    const compact = schema === undefined ? undefined : schema(shaped)
    const doc = compact === undefined ? shaped : (JSON.parse(compact) as PlainValue)
    let body: string
    let type: string
    if (kind === 'html') {
      const title = `${status} ${problem?.title ?? STATUS_TEXT[status] ?? ''}`.trim()
      body = renderHtml(doc, title, `${request.method} ${request.target}`, problem !== null)
      type = HTML_TYPE
    } else if (kind === 'text') {
      body = renderText(doc)
      type = TEXT_TYPE
    } else {
      const indent = pretty(request) ? 2 : undefined
      body = compact !== undefined && indent === undefined ? compact : stringifyPlain(doc, indent)
      type = problem !== null && o.errors === 'problem' ? PROBLEM_TYPE : JSON_TYPE
    }
    response.body = body
    response.data = doc
    response.headers.set('content-type', type)
    response.headers.delete('content-length')
    addVary(response)
    return response
  }

  /** Shapes an error response's problem (inside the envelope when `errors: 'envelope'`). */
  const shapeError = (
    request: CycleRequest,
    response: CycleResponse,
    problem: ProblemDetails
  ): PlainValue =>
    toPlain(
      o.errors === 'envelope'
        ? { error: problem, meta: metaFor(request, response, undefined) }
        : problem
    )

  /** A clean 500 in the standard shape, after the real answer could not be shaped or serialized. */
  const broken = (
    request: CycleRequest,
    original: CycleResponse,
    error: unknown
  ): CycleResponse => {
    try {
      o.onError?.(error, request)
    } catch {
      // A logging callback must not turn a 500 into a crash.
    }
    const res = new CycleResponse(null, { status: 500 })
    res.headers.set('x-cycle-original-status', String(original.status))
    const problem = internalError()
    const doc = toPlain(o.errors === 'envelope' ? { error: problem, meta: {} } : problem)
    // Format's own 500 is not held to the route's schema: it replaces a response that failed.
    return write(request, res, pick(failure, request.header('accept')) ?? 'json', doc, problem, false)
  }

  const shape = (request: CycleRequest, response: CycleResponse): CycleResponse => {
    const isError = response.status >= 400
    const accept = request.header('accept')
    let kind = pick(isError ? failure : success, accept)
    if (kind === null && !isError && o.strict) {
      // Nothing acceptable and the view already ran (its answer came from elsewhere): still 406.
      const refused = new CycleResponse(null, { status: 406 })
      refused.data = { detail: notAcceptableDetail(o.representations) }
      return shape(request, refused)
    }
    // Errors, and non-strict successes, fall back to JSON / the first representation (RFC 9110
    // §12.5.1 lets a server ignore Accept rather than answer 406).
    kind ??= isError ? 'json' : (o.representations[0] as Representation)
    try {
      if (isError) {
        const problem = toProblem(response)
        return write(request, response, kind, shapeError(request, response, problem), problem)
      }
      const data = response.data
      const [payload, own] = isWithMeta(data) ? [data.data, data.meta] : [data, undefined]
      const doc =
        o.envelope === false
          ? payload
          : o.envelope(payload, metaFor(request, response, own), request)
      return write(request, response, kind, toPlain(doc), null)
    } catch (error) {
      return broken(request, response, error)
    }
  }

  const middleware: HookMiddleware = {
    name: 'format',
    response(request, response) {
      if (isRaw(request) || isRaw(response)) return
      const status = response.status
      if (status < 200 || status === 204 || status === 304) return
      if (response.body !== undefined) {
        // Already rendered (text, bytes, stream, HTML): left alone, unless it is an error page
        // that still carries its problem document, which is re-rendered in the standard shape.
        if (!isRenderedProblem(response)) return
      } else if (!formattable(response)) return
      const out = shape(request, response)
      return out === response ? undefined : out
    },
  }
  if (o.strict) {
    middleware.view = (request, _view, route) => {
      if (routeIsRaw(route) || isRaw(request)) return
      if (pick(success, request.header('accept')) === null) {
        throw new NotAcceptable(notAcceptableDetail(o.representations))
      }
    }
  }
  return middleware
}

const MEDIA: Record<Representation, string> = {
  json: 'application/json',
  html: 'text/html',
  text: 'text/plain',
}

function notAcceptableDetail(reps: readonly Representation[]): string {
  return `None of the available representations is acceptable: ${reps.map((r) => MEDIA[r]).join(', ')}.`
}

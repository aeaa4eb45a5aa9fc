/**
 * @module
 * The `format()` middleware: one standard answer for every response that carries data.
 *
 * It is a render hook (Django's `process_template_response`): core calls it at the end of the
 * phase that produced a pending response (`json()`, a view's plain data, core's own problem
 * documents), before any response hook runs. It shapes the data (envelope or problem), negotiates
 * the representation and writes the body once; `response.data` keeps the shaped document, so
 * response middlewares can read it without parsing. A value it cannot serialize throws, which
 * core treats as a failure of the view: exception hooks, then core's 500, shaped here too.
 */
import {
  NotAcceptable,
  PROBLEM_TYPE,
  JSON_TYPE,
  STATUS_TEXT,
  TEXT_TYPE,
  serializerFor,
  type CycleRequest,
  type CycleResponse,
  type HookMiddleware,
  type ProblemDetails,
} from '@cycle/core'
import { addedMeta, isWithMeta, type Meta } from './meta'
import { negotiate } from './negotiate'
import { resolveOptions, type FormatOptions, type Representation } from './options'
import { formattable, toProblem } from './problem'
import { isRaw, routeIsRaw } from './raw'
import { renderHtml, renderText } from './render'
import { isPlainJson, stringifyPlain, toPlain, type PlainValue } from './serialize'

const HTML_TYPE = 'text/html; charset=utf-8'

/**
 * Writes a document as compact JSON. Data JSON can write as it is (the common case) goes straight
 * to the engine's serializer; anything else (BigInt, Map, Set, typed arrays, a cycle, a throwing
 * getter) through the safe tree, which also names what failed.
 */
function jsonText(doc: unknown): string {
  return isPlainJson(doc) ? JSON.stringify(doc) : stringifyPlain(toPlain(doc))
}

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
  /** `Accept` value (`''` when absent) → what it negotiated to. */
  picked: Map<string, Representation | null>
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
  return { offers, kinds, picked: new Map() }
}

/**
 * Negotiated answers by `Accept` value, per table. Clients repeat their `Accept` on every request
 * (a browser, an SDK), so parsing it once per distinct value saves the parse on nearly every
 * request. Bounded: values built by clients cannot grow it without limit.
 */
const PICKED_MAX = 256

function pick(t: Table, accept: string | null): Representation | null {
  const key = accept ?? ''
  const known = t.picked.get(key)
  if (known !== undefined) return known
  const offer = negotiate(accept, t.offers)
  const rep = offer === null ? null : (t.kinds.get(offer) as Representation)
  if (t.picked.size < PICKED_MAX) t.picked.set(key, rep)
  return rep
}

function wantsPretty(request: CycleRequest): boolean {
  // Most requests have no query string at all: do not parse one to learn that (the target is a
  // field; `search` is computed on read).
  if (!request.target.includes('pretty')) return false
  const v = request.query.get('pretty')
  return v !== null && v !== '0' && v !== 'false'
}

/**
 * The standard-format middleware. Put it first in `middleware`: its render hook then runs last
 * among render hooks (innermost first) and its place covers every response.
 *
 * - success data → the envelope (`{ data, meta }` by default), errors → RFC 9457 problems;
 * - JSON, HTML or plain text by `Accept` (with `Vary: Accept`), pretty JSON on `?pretty`;
 * - BigInt, Date, Map, Set and typed arrays serialize; a cycle or a throwing getter is a 500
 *   (the failure goes through the exception hooks and the app's `requestException` listeners);
 * - a route's response schema describes the document sent (the envelope included);
 * - bodies that are already strings, bytes or streams, and {@link raw} routes, are left alone.
 *
 * @param options see {@link FormatOptions}
 * @returns a hook middleware named `format`
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` on an invalid option, at once
 *
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { format } from '@cycle/middleware-format'
 *
 * const app = createApp({
 *   middleware: [format({ strict: true })],
 *   urls: [path('notes/', () => [{ id: 1 }])],
 * })
 * const res = await app.fetch(new Request('http://localhost/notes/'))
 * console.log(await res.json()) // { data: [{ id: 1 }], meta: {} }
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
    const added = addedMeta(request)
    // The common case, one source of metadata, is used as it is: no merged copy to build.
    if (added === undefined && own === undefined) return base ?? {}
    if (base === undefined && own === undefined) return added as Meta
    return Object.assign({}, base, added, own)
  }

  /** Renders the shaped document into `response` in the chosen representation. */
  const write = (
    request: CycleRequest,
    response: CycleResponse,
    kind: Representation,
    doc: unknown,
    problem: ProblemDetails | null
  ): void => {
    const status = response.status
    // The route's response schema describes the document sent: JSON is written by its
    // serializer; HTML and text draw the document projected on it (only declared fields).
    const schema = serializerFor(request, status)
    const headers = response.headers
    headers.delete('content-length')
    headers.vary('Accept')
    response.data = doc
    if (kind === 'json') {
      const indent = pretty(request) ? 2 : undefined
      const type = problem !== null && o.errors === 'problem' ? PROBLEM_TYPE : JSON_TYPE
      // Usually already so (core's JSON answers): a set() checks the value again.
      if (headers.get('content-type') !== type) headers.set('content-type', type)
      // Static functions on the common path (no closure per response).
      if (indent === undefined) {
        if (schema === undefined) response.render(jsonText)
        else response.render(isPlainJson(doc) ? schema : (d) => schema(toPlain(d)))
      } else {
        const plain: unknown = isPlainJson(doc) ? doc : toPlain(doc)
        const text = schema === undefined ? JSON.stringify(plain) : schema(plain)
        response.render(() => stringifyPlain(JSON.parse(text) as PlainValue, indent))
      }
      return
    }
    const tree = toPlain(doc)
    const shown = schema === undefined ? tree : (JSON.parse(schema(tree)) as PlainValue)
    if (kind === 'html') {
      const title = `${status} ${problem?.title ?? STATUS_TEXT[status] ?? ''}`.trim()
      const where = `${request.method} ${request.target}`
      headers.set('content-type', HTML_TYPE)
      response.render(() => renderHtml(shown, title, where, problem !== null))
    } else {
      headers.set('content-type', TEXT_TYPE)
      response.render(() => renderText(shown))
    }
  }

  const renderError = (
    request: CycleRequest,
    response: CycleResponse,
    kind: Representation
  ): void => {
    const problem = toProblem(response)
    // Core's debug page (traceback, patterns tried) says more than a table would: keep it.
    if (kind === 'html' && problem['debug'] !== undefined) return
    const doc =
      o.errors === 'envelope'
        ? { error: problem, meta: metaFor(request, response, undefined) }
        : problem
    write(request, response, kind, doc, problem)
  }

  const middleware: HookMiddleware = {
    name: 'format',
    render(request, response) {
      if (isRaw(request) || isRaw(response) || !formattable(response)) return
      const status = response.status
      if (status < 200 || status === 204 || status === 304) return
      const accept = request.header('accept')
      if (status >= 400) {
        // Errors fall back to JSON when nothing is acceptable (RFC 9110 §12.5.1).
        renderError(request, response, pick(failure, accept) ?? 'json')
        return
      }
      const kind = pick(success, accept)
      if (kind === null && o.strict) {
        // Nothing acceptable, and the view already ran (a response made before the view phase
        // reached here): still a 406, rendered in the error shape.
        throw new NotAcceptable(notAcceptableDetail(o.representations))
      }
      const data = response.data
      const withMeta = isWithMeta(data)
      const payload = withMeta ? data.data : data
      const doc =
        o.envelope === false
          ? payload
          : o.envelope(
              payload,
              metaFor(request, response, withMeta ? data.meta : undefined),
              request
            )
      write(request, response, kind ?? (o.representations[0] as Representation), doc, null)
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
  return `None of the available representations is acceptable: ${reps
    .map((r) => MEDIA[r])
    .join(', ')}.`
}

/**
 * @module
 * The one place where an exception becomes a response (Django's `response_for_exception`).
 *
 * - `HttpError` keeps its status and headers; anything else is a 500.
 * - The body is an RFC 9457 `application/problem+json` document, or an HTML page when the client
 *   prefers HTML.
 * - In debug mode the document carries the stack, the URL patterns tried and the middleware path
 *   taken; outside debug mode nothing internal leaks (5xx details are hidden unless `expose`).
 */
import { HttpError, STATUS_TEXT } from './errors'
import { CycleResponse, PROBLEM_TYPE } from './response'
import type { CycleRequest } from './request'

/**
 * The members RFC 9457 §3.1 defines. An error's `extensions` may add members but never replace
 * these: the document's `status` must be the status it is answered with, and `title`/`type`/
 * `detail`/`instance` are the error's own (`detail` obeys `expose`). `__proto__` is refused too: as
 * an assignment it would set the document's prototype.
 */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', '__proto__'])

/** What the debug page can show besides the error itself. */
export interface DebugInfo {
  /** URL patterns tried, in order (for 404s). */
  tried?: readonly string[]
  /** The middleware path taken (from the trace, or the configured list). */
  middleware?: readonly string[]
}

/** The problem document for an error, without rendering. */
export function problemFor(
  error: unknown,
  debug: boolean,
  info?: DebugInfo
): Record<string, unknown> & { status: number; title: string } {
  if (HttpError.isHttpError(error)) {
    const doc: Record<string, unknown> & { status: number; title: string } = {
      type: error.type,
      title: error.title,
      status: error.status,
    }
    if (error.detail !== undefined && (error.expose || debug)) doc['detail'] = error.detail
    const ext = error.extensions
    if (ext) for (const k of Object.keys(ext)) if (!RESERVED.has(k)) doc[k] = ext[k]
    if (debug) addDebug(doc, error, info)
    return doc
  }
  const doc: Record<string, unknown> & { status: number; title: string } = {
    type: 'about:blank',
    title: STATUS_TEXT[500] as string,
    status: 500,
  }
  if (debug) {
    doc['detail'] = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    addDebug(doc, error, info)
  }
  return doc
}

function addDebug(doc: Record<string, unknown>, error: unknown, info?: DebugInfo): void {
  doc['debug'] = {
    error: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error && error.stack ? error.stack.split('\n') : [],
    cause:
      error instanceof Error && error.cause !== undefined
        ? String((error.cause as Error)?.stack ?? error.cause)
        : undefined,
    tried: info?.tried,
    middleware: info?.middleware,
  }
}

/** Whether the client prefers HTML over JSON (a browser navigating), by `Accept` order and q. */
export function prefersHtml(accept: string | null): boolean {
  if (accept === null || accept.indexOf('text/html') === -1) return false
  let html = -1
  let json = -1
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    let q = 1
    for (const p of params) {
      const [k, v] = p.trim().split('=')
      if (k === 'q' && v !== undefined) q = Number(v) || 0
    }
    if (type === 'text/html') html = Math.max(html, q)
    else if (type === 'application/json' || type === 'application/problem+json' || type === '*/*') {
      json = Math.max(json, type === '*/*' ? q - 0.001 : q)
    }
  }
  return html > 0 && html >= json
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

function renderHtml(doc: Record<string, unknown> & { status: number; title: string }): string {
  const title = `${doc.status} ${escapeHtml(doc.title)}`
  const detail = typeof doc['detail'] === 'string' ? `<p>${escapeHtml(doc['detail'])}</p>` : ''
  const dbg = doc['debug'] as
    | { stack: string[]; tried?: string[]; middleware?: string[]; cause?: string }
    | undefined
  let debugHtml = ''
  if (dbg) {
    const list = (items: readonly string[] | undefined, empty: string): string =>
      items && items.length
        ? `<ol>${items.map((t) => `<li><code>${escapeHtml(t)}</code></li>`).join('')}</ol>`
        : `<p>${empty}</p>`
    debugHtml =
      `<h2>Traceback</h2><pre>${escapeHtml(dbg.stack.join('\n'))}</pre>` +
      (dbg.cause ? `<h2>Cause</h2><pre>${escapeHtml(dbg.cause)}</pre>` : '') +
      `<h2>URL patterns tried</h2>${list(dbg.tried, 'Resolution was not reached or matched.')}` +
      `<h2>Middleware path</h2>${list(dbg.middleware, 'No middleware.')}` +
      `<p class="note">You see this page because debug mode is on. Turn it off in production.</p>`
  }
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}` +
    `pre{background:#f6f6f6;padding:1rem;overflow:auto}h1{color:#b00}.note{color:#666}</style>` +
    `</head><body><h1>${title}</h1>${detail}${debugHtml}</body></html>`
  )
}

/**
 * Turns any thrown value into a problem response, not rendered yet: `data` is the problem
 * document, the content type `application/problem+json`, and an `HttpError`'s headers are set
 * (ones that are not valid header fields are dropped: the error answer must never fail itself).
 * Core renders it with {@link renderProblem} at the end of the phase that produced it.
 */
export function problemResponse(error: unknown, debug: boolean, info?: DebugInfo): CycleResponse {
  const doc = problemFor(error, debug, info)
  const res = new CycleResponse(null, { status: doc.status })
  if (HttpError.isHttpError(error)) {
    for (const k in error.headers) {
      try {
        res.headers.set(k, error.headers[k] as string)
      } catch {
        // An invalid name or a CR/LF in a value (ERR_BAD_HEADER): leave that field out.
      }
    }
  }
  res.headers._map['content-type'] = PROBLEM_TYPE
  res.data = doc
  return res
}

/**
 * Renders a pending problem response: an HTML page when the request prefers HTML, else the
 * document as JSON (through `serialize`, a route's response schema, when given). Both forms
 * depend on `Accept`, so the answer always says `Vary: Accept` (a shared cache must not hand
 * the HTML page to a JSON client).
 */
export function renderProblem(
  request: CycleRequest | null,
  res: CycleResponse,
  serialize?: (data: unknown) => string
): void {
  res.headers.vary('Accept')
  if (request !== null && prefersHtml(request.header('accept'))) {
    const doc = res.data as Record<string, unknown> & { status: number; title: string }
    res.headers._map['content-type'] = 'text/html; charset=utf-8'
    res.render(() => renderHtml(doc))
  } else {
    res.render(serialize)
  }
}

/**
 * Turns any thrown value into a rendered response: problem+json by default, HTML when the
 * request prefers it, with internals only in debug mode. For gateways answering before or
 * outside the cycle (a bad Host, a server shutting down).
 */
export function responseForError(
  request: CycleRequest | null,
  error: unknown,
  debug: boolean,
  info?: DebugInfo
): CycleResponse {
  const res = problemResponse(error, debug, info)
  renderProblem(request, res)
  return res
}

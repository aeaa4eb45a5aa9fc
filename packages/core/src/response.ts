/**
 * @module
 * `CycleResponse`, the response every phase passes along, and its helpers.
 *
 * A response may hold structured `data` that is not rendered yet. Core renders it at the end of
 * the view phase (render hooks first, then JSON), so response middlewares see the final body and
 * can still read `data`; one that assigns new `data` gets it rendered again after the phase.
 */
import { serializeCookie, type CookieOptions } from './cookies'
import { HeaderMap, type HeadersInit } from './headers'

/** What a response body may be. */
export type BodyInit =
  | string
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | null

/** Status and headers of a new response. */
export interface ResponseInit {
  status?: number
  headers?: HeadersInit
}

const kCycleResponse: symbol = Symbol.for('cycle.response')

/**
 * The response that travels back through the cycle.
 *
 * @example
 * ```ts
 * const res = new CycleResponse('Hello', { status: 200, headers: { 'content-type': 'text/plain' } })
 * res.headers.append('set-cookie', 'a=1')
 * ```
 */
export class CycleResponse {
  // `declare`d: set once in the constructor, with no class-field definition before it.
  /** HTTP status code. */
  declare status: number
  /** Response headers (repeated `Set-Cookie` kept apart). */
  declare headers: HeaderMap
  #body: BodyInit | undefined
  #data: unknown

  constructor(body: BodyInit = null, init?: ResponseInit) {
    this.status = init?.status ?? 200
    this.headers = init?.headers === undefined ? new HeaderMap() : new HeaderMap(init.headers)
    this.#body = body
    this.#data = undefined
  }

  /**
   * The body. `undefined` means "not rendered yet": core renders {@link CycleResponse.data} at
   * the end of the view phase (see {@link CycleResponse.render}). Setting a body drops `data`,
   * which no longer describes it.
   */
  get body(): BodyInit | undefined {
    return this.#body
  }
  set body(value: BodyInit | undefined) {
    this.#body = value
    this.#data = undefined
  }

  /**
   * The structured value the body is rendered from (`json(data)`, a view's plain data, a problem
   * document). It stays readable after rendering, so a response middleware can inspect it without
   * parsing the body. Setting it makes the response pending again: core renders the new value
   * once the response phase is over.
   */
  get data(): unknown {
    return this.#data
  }
  set data(value: unknown) {
    this.#data = value
    this.#body = undefined
  }

  /** Whether the body still has to be rendered from {@link CycleResponse.data}. */
  get pending(): boolean {
    return this.#body === undefined
  }

  /**
   * Renders {@link CycleResponse.data} into the body and keeps `data` (a render hook's tool).
   * Without `serialize` the data is written as JSON (`null` for `undefined`); a JSON content type
   * is set when the response has none.
   *
   * @param serialize turns the data into the body text (a response schema's serializer, an HTML
   *   template…); a throw propagates, and the response stays pending
   * @returns the body text
   * @example
   * ```ts
   * const res = json({ id: 1 })
   * res.render() // '{"id":1}'; res.data is still { id: 1 }
   * ```
   */
  render(serialize?: (data: unknown) => string | undefined): string {
    const data = this.#data
    const text =
      serialize !== undefined
        ? serialize(data)
        : data === undefined
          ? 'null'
          : JSON.stringify(data)
    // JSON.stringify gives undefined for a function or a symbol: there is no JSON for those.
    const body = text === undefined ? 'null' : text
    this.#body = body
    const map = this.headers._map
    if (map['content-type'] === undefined) map['content-type'] = JSON_TYPE
    return body
  }

  static {
    // The brand lives on the prototype: a per-instance defineProperty costs on every response.
    Object.defineProperty(CycleResponse.prototype, kCycleResponse, { value: true })
  }

  /** Brand check that works across duplicated copies of `@cycle/core`. */
  static isCycleResponse(value: unknown): value is CycleResponse {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[kCycleResponse] === true
    )
  }

  /** Wraps a WHATWG `Response` (its body stays a stream; nothing is buffered). */
  static fromResponse(response: Response): CycleResponse {
    const res = new CycleResponse(response.body, { status: response.status, headers: response.headers })
    return res
  }

  /**
   * Adds a `Set-Cookie` header.
   * @param name cookie name (RFC 6265 token)
   * @param value cookie value, percent-encoded for you
   * @param options attributes; `HttpOnly`, `Secure` and `SameSite=Lax` are up to you
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    this.headers.append('set-cookie', serializeCookie(name, value, options))
    return this
  }

  /** Expires a cookie on the client. */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain'> = {}): this {
    return this.setCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) })
  }

  /**
   * Converts to a WHATWG `Response`. Pending data is serialized as JSON here.
   * Bodies are dropped for 204/304 and when `head` is true.
   */
  toResponse(head = false): Response {
    const status = this.status
    const noBody = head || status === 204 || status === 304 || (status >= 100 && status < 200)
    let body: BodyInit | undefined = this.#body
    if (body === undefined) body = this.render()
    let out: globalThis.BodyInit | null = null
    if (!noBody && body !== null) {
      if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
        out = body as globalThis.BodyInit
      } else if (body instanceof ReadableStream) out = body
      else out = iterableToStream(body)
    }
    // The field map itself is a valid HeadersInit record: the Response validates it once, where
    // building a Headers first would validate every field twice. Cookies need the pairs form.
    const h = this.headers
    // `text()`'s answer needs no header work at all: a string body gets exactly this type.
    if (typeof out === 'string' && h._cookies === undefined && onlyTextType(h._map)) {
      // No init at all for a 200 (as `new Response('hi')`): the runtime's defaults are this
      // answer. It saves one object literal, no more (undici defaults init to {} anyway).
      return status === 200 ? new Response(out) : new Response(out, { status })
    }
    const headers = h._cookies === undefined ? h._map : h.toPairs()
    return new Response(out, { status, headers })
  }
}

/** Whether the only field is `content-type: text/plain;charset=UTF-8`. */
function onlyTextType(map: Record<string, string>): boolean {
  let n = 0
  for (const k in map) if (++n > 1 || k !== 'content-type') return false
  return n === 1 && map['content-type'] === TEXT_TYPE
}

/**
 * Renders pending data as JSON (or with `serializer`), stores it as the body and returns it.
 * Same as `res.render(serializer)`; kept for gateways that hold a response from a hand-rolled app.
 * @param serializer A compiled response schema's serializer (see `compileSerializer`); default
 *   `JSON.stringify`.
 */
export function serializeData(res: CycleResponse, serializer?: (value: unknown) => string): string {
  return res.render(serializer)
}

const encoder = new TextEncoder()

/** Turns an async iterable of chunks into a byte stream (pull-based: backpressure is kept). */
export function iterableToStream(
  source: AsyncIterable<Uint8Array | string>
): ReadableStream<Uint8Array> {
  let it: AsyncIterator<Uint8Array | string> | undefined
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      it ??= source[Symbol.asyncIterator]()
      const { value, done } = await it.next()
      if (done) controller.close()
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value)
    },
    async cancel(reason) {
      await it?.return?.(reason)
    },
  })
}

/** `application/json` with charset. */
export const JSON_TYPE = 'application/json; charset=utf-8'
/**
 * `text/plain` with charset, spelt the way the Fetch standard spells the type it gives a string
 * body (`new Response('hi')`): a fetch gateway can then leave the header to the runtime.
 */
export const TEXT_TYPE = 'text/plain;charset=UTF-8'
const HTML_TYPE = 'text/html; charset=utf-8'

function withType(init: ResponseInit | number | undefined, type: string): CycleResponse {
  if (init === undefined) {
    // The common case (`text('hi')`): a fresh map has no content-type to keep.
    const fresh = new CycleResponse(null)
    fresh.headers._map['content-type'] = type
    return fresh
  }
  const res =
    typeof init === 'number'
      ? new CycleResponse(null, { status: init })
      : new CycleResponse(null, init)
  if (!res.headers.has('content-type')) res.headers._map['content-type'] = type
  return res
}

/**
 * A JSON response. The data is rendered at the end of the view phase (a route's response schema,
 * a render hook such as the format middleware's, else `JSON.stringify`); response middlewares
 * can still read it, and reshape it, through `response.data`.
 *
 * @example
 * ```ts
 * path('notes/', () => json({ notes: [] }, 200))
 * ```
 */
export function json(data: unknown, init?: ResponseInit | number): CycleResponse {
  const res = withType(init, JSON_TYPE)
  res.data = data
  return res
}

/** A `text/plain` response. */
export function text(body: string, init?: ResponseInit | number): CycleResponse {
  if (init === undefined) {
    // The common case (`text('hi')`): the body straight into the constructor, one type field.
    const res = new CycleResponse(body)
    res.headers._map['content-type'] = TEXT_TYPE
    return res
  }
  const res = withType(init, TEXT_TYPE)
  res.body = body
  return res
}

/** A `text/html` response. */
export function html(body: string, init?: ResponseInit | number): CycleResponse {
  const res = withType(init, HTML_TYPE)
  res.body = body
  return res
}

/**
 * A redirect. `status` is 302 by default; use 301/308 for permanent ones, 303 after a POST.
 * The location is refused if it holds CR/LF (no header injection through user data).
 */
export function redirect(location: string, status: 301 | 302 | 303 | 307 | 308 = 302): CycleResponse {
  const res = new CycleResponse(null, { status })
  res.headers.set('location', location)
  return res
}

/**
 * A streaming response from a `ReadableStream` or an async iterable (an async generator works).
 * Gateways write it with backpressure and stop it when the client goes away.
 *
 * @example
 * ```ts
 * path('events/', () => stream((async function* () { yield 'data: hi\n\n' })(), {
 *   headers: { 'content-type': 'text/event-stream' },
 * }))
 * ```
 */
export function stream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  init?: ResponseInit | number
): CycleResponse {
  const res = withType(init, 'application/octet-stream')
  res.body = source
  return res
}

/** An empty response (204 by default). */
export function noContent(init?: ResponseInit | number): CycleResponse {
  return typeof init === 'number'
    ? new CycleResponse(null, { status: init })
    : new CycleResponse(null, { status: 204, ...init })
}

/** An RFC 9457 problem document. */
export interface ProblemDetails {
  type?: string
  title?: string
  status: number
  detail?: string
  instance?: string
  [extension: string]: unknown
}

/** `application/problem+json`. */
export const PROBLEM_TYPE = 'application/problem+json'

/**
 * An RFC 9457 `application/problem+json` response.
 *
 * @example
 * ```ts
 * return problem({ status: 409, title: 'Conflict', detail: 'Title already used.' })
 * ```
 */
export function problem(details: ProblemDetails, init?: Omit<ResponseInit, 'status'>): CycleResponse {
  const res = new CycleResponse(null, { ...init, status: details.status })
  res.headers.set('content-type', PROBLEM_TYPE)
  res.data = { type: 'about:blank', ...details }
  return res
}

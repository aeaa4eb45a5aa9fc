/**
 * @module
 * `CycleRequest`: the request every phase sees (Django's `HttpRequest`).
 *
 * Gateways subclass it and fill in a handful of primitives (`header()`, `headers`, `signal`,
 * `openBody()`). Everything else is derived lazily on first read and cached: the decoded path,
 * the query, cookies, the full URL, and the body readers, which enforce the body size limit on
 * the raw byte stream before any parser sees the bytes.
 */
import { BadRequest, UnsupportedMediaType } from './errors'
import { charsetProblem, encodingProblem, limitedStream, readLimited, tooLarge } from './body'
import { parseJson, type JsonOptions } from './json'
import { decodePath } from './_path'
import { ImproperlyConfigured } from './codes'
import { parseCookies } from './cookies'
import type { RequestState } from './state'
import type { RegisteredUrls } from './app'
import type { ReverseArgsOf, ReverseQuery, RouteNames } from './urls/types'

/**
 * The type of `request.reverse()`: a `reverse()` for the registered URL conf (see `Register`).
 * An interface rather than `Reverse<RegisteredUrls>`, so that the registered conf is looked up
 * only where `reverse()` is called: a view of that same conf can call it without a circular type.
 */
export interface RequestReverse {
  <N extends RouteNames<RegisteredUrls>>(name: N, ...args: ReverseArgsOf<RegisteredUrls, N>): string
}

/** The body reads of one request, cached: each reader runs once, the raw body is taken once. */
interface BodyReads {
  taken: boolean
  bytes: Promise<Uint8Array> | undefined
  text: Promise<string> | undefined
  json: Promise<unknown> | undefined
  form: Promise<FormData> | undefined
}

/** What a request asks of the app handling it: its URL conf, and how it parses JSON. */
interface UrlReverser {
  reverse(name: string, params?: Record<string, unknown>, query?: ReverseQuery): string
  /** `createApp({ json })`, for `request.json()`. */
  readonly json?: JsonOptions
}

let setUrls: (request: CycleRequest<object, unknown>, urls: UrlReverser) => void

/** Route parameters (converted values), keyed by name. */
export type Params = Record<string, unknown>

/** What URL resolution found (Django's `ResolverMatch`), stored on `request.route`. */
export interface RouteMatch {
  /** The full pattern, include prefixes joined: `api/notes/<uuid:id>/`. */
  readonly pattern: string
  /** The route's own name (`detail`), if named. */
  readonly name: string | undefined
  /** The namespace path (`api:notes`), if inside namespaced includes. */
  readonly namespace: string | undefined
  /** `namespace:name` (`api:notes:detail`), the name `reverse()` takes. */
  readonly qualifiedName: string | undefined
  /** Methods the route answers, or `null` for all. */
  readonly methods: readonly string[] | null
}

/** A raw body source handed over by a gateway. */
export type RawBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>

/** Default body size limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT: number = 1024 * 1024

const EMPTY_PARAMS: Params = Object.freeze({}) as Params
const decoder = new TextDecoder()

/**
 * The request. `S` is the typed state middlewares add; `P` the route parameters.
 *
 * @example
 * ```ts
 * path('notes/<uuid:id>/', async (request) => {
 *   request.params.id // string, typed from the pattern
 *   const body = await request.json()
 *   return json({ id: request.params.id, body })
 * })
 * ```
 */
export abstract class CycleRequest<S extends object = RequestState, P = Params> {
  /** Upper-case method. */
  declare readonly method: string
  /** Request target as sent, origin-form: raw path plus query (`/a%20b/?x=1`). */
  declare readonly target: string
  /** Route parameters, set by URL resolution (converted by the converters). */
  params: P = EMPTY_PARAMS as P
  /** What URL resolution matched, or `null` before resolution and on 404. */
  route: RouteMatch | null = null
  /** Body size limit in bytes for this request (app default, then the route's override). */
  bodyLimit: number = DEFAULT_BODY_LIMIT
  /** Platform bindings (`env` on Workers), passed through by the gateway. */
  env: unknown = undefined
  /** Per-phase trace of this request, when tracing is on (`createApp({ trace: true })`). */
  trace: TraceEntry[] | undefined = undefined
  /** `performance.now()` when the request entered the app (set only when tracing). */
  traceStart = 0

  #state: S | undefined
  #path: string | undefined
  #query: URLSearchParams | undefined
  #cookies: Record<string, string> | undefined
  /** What was read of the body, made on the first read (most requests never read one). */
  #reads: BodyReads | undefined
  #urls: UrlReverser | null = null

  static {
    setUrls = (request, urls) => {
      request.#urls = urls
    }
    Object.defineProperty(CycleRequest.prototype, 'reverse', {
      value: function reverse(this: CycleRequest<object, unknown>, name: string, ...args: unknown[]) {
        const urls = this.#urls
        if (urls === null) {
          throw new ImproperlyConfigured(
            'ERR_NO_REVERSE_MATCH',
            `request.reverse("${name}") was called on a request no app is handling; use app.reverse() outside a request.`
          )
        }
        const [params, query] = args as [Record<string, unknown> | undefined, ReverseQuery | undefined]
        return urls.reverse(name, params, query)
      },
      writable: true,
      configurable: true,
    })
  }

  constructor(method: string, target: string) {
    this.method = method
    this.target = target
  }

  /**
   * Builds the URL of a named route of the app handling this request (Django's `reverse()`
   * within a request: the URL conf is the request's own, never a process-wide one). Typed once
   * `Register` is augmented with the root URL conf.
   *
   * @throws ImproperlyConfigured `ERR_NO_REVERSE_MATCH` for an unknown name or bad parameters,
   *   or when no app is handling the request yet
   * @example
   * ```ts
   * path('notes/', (request) => redirect(request.reverse('notes:detail', { id: 1 }), 303), { methods: ['POST'] })
   * ```
   */
  // A declared member typed as `Reverse<…>` (implemented on the prototype below), not a generic
  // method: a view of the registered URL conf can then call it without TypeScript needing the
  // URL conf's type while it is still inferring it (no circular-type error).
  declare readonly reverse: RequestReverse

  /** The value of one request header (name in lower case), or `null`. Cheapest way to read one. */
  abstract header(name: string): string | null
  /** All request headers as WHATWG `Headers` (built on first read). */
  abstract get headers(): Headers
  /**
   * Aborts when the client goes away before the response is done, when the server shuts down,
   * or when the app aborts the request itself ({@link CycleRequest.abort}).
   */
  abstract get signal(): AbortSignal
  /** `'https'` when the connection is TLS (or a trusted proxy says so). */
  abstract get protocol(): 'http' | 'https'
  /** Client address (from the socket, or a trusted proxy header). */
  abstract get remoteAddress(): string | undefined
  /** Hands over the raw body once. `null` when the request has none. */
  protected abstract openBody(): RawBody | null

  /**
   * Aborts {@link CycleRequest.signal} with `reason` (default: an `AbortError` `DOMException`):
   * the app stops its own work on this request, for instance at a deadline
   * (`@cycle/middleware-timeout`). Whatever the view handed the signal to (a `fetch`, a database
   * query, a stream) stops too. An onion middleware that aborted the request may answer before
   * `next()` settles (docs/lifecycle.md, "Onion middleware"). A second call, or a call after the
   * client went away, changes nothing.
   *
   * Gateways implement it with the controller behind their signal (both shipped gateways and
   * `WebRequest` do); this base version throws.
   *
   * @param reason what `request.signal.reason` becomes
   * @throws {ImproperlyConfigured} `ERR_ABORT_UNSUPPORTED` when the request class does not implement it
   * @example
   * ```ts
   * const timer = setTimeout(() => request.abort(new DOMException('Too slow.', 'TimeoutError')), 5000)
   * ```
   */
  abort(reason?: unknown): void {
    void reason
    throw new ImproperlyConfigured(
      'ERR_ABORT_UNSUPPORTED',
      `${this.constructor.name} cannot abort its signal: its gateway does not implement request.abort().`
    )
  }

  /** Lets the platform keep running `promise` after the response (Workers' `waitUntil`). */
  waitUntil(promise: Promise<unknown>): void {
    promise.catch(() => {})
  }

  /** Typed request state that middlewares fill in. */
  get state(): S {
    return (this.#state ??= {} as S)
  }
  set state(value: S) {
    this.#state = value
  }

  /** Whether the request came over TLS. */
  get secure(): boolean {
    return this.protocol === 'https'
  }

  /** The `Host` the client asked for (`example.com:8080`). */
  get host(): string {
    return this.header('host') ?? ''
  }

  /** The raw, still percent-encoded path (`/a%20b/`). */
  get rawPath(): string {
    const t = this.target
    const q = t.indexOf('?')
    return q === -1 ? t : t.slice(0, q)
  }

  /**
   * The decoded path (`/a b/`). An encoded slash stays `%2F` (`/files/a%2Fb` is one segment,
   * never `/files/a/b`); malformed percent-encoding and `.`/`..` segments raise a 400.
   */
  get path(): string {
    if (this.#path !== undefined) return this.#path
    // One pass finds the end of the path, whether it needs decoding and whether it may hold a
    // dot segment: cheaper than several indexOf calls on the short targets requests carry (this
    // runs on every request).
    const t = this.target
    const n = t.length
    let end = 0
    let slow = false
    for (; end < n; end++) {
      const c = t.charCodeAt(end)
      if (c === 63 /* ? */) break
      if (c === 37 /* % */ || (c === 46 /* . */ && t.charCodeAt(end - 1) === 47)) slow = true
    }
    const raw = end === n ? t : t.slice(0, end)
    return (this.#path = slow ? decodePath(raw, raw.includes('%')) : raw)
  }

  /** The raw query string without `?` (empty when absent). */
  get search(): string {
    const t = this.target
    const q = t.indexOf('?')
    return q === -1 ? '' : t.slice(q + 1)
  }

  /** Parsed query string. */
  get query(): URLSearchParams {
    return (this.#query ??= new URLSearchParams(this.search))
  }

  /** The full URL as a string (`https://host/path?query`). */
  get url(): string {
    return `${this.protocol}://${this.host || 'localhost'}${this.target}`
  }

  /** Parsed `Cookie` header. */
  get cookies(): Record<string, string> {
    return (this.#cookies ??= parseCookies(this.header('cookie')))
  }

  /** The media type of the body without parameters, lower-cased (`application/json`). */
  get contentType(): string | null {
    const ct = this.header('content-type')
    if (ct === null) return null
    const semi = ct.indexOf(';')
    return (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase()
  }

  /** Whether the body was (or is being) consumed. */
  get bodyUsed(): boolean {
    return this.#reads?.taken === true
  }

  /**
   * The raw body as a byte stream with the size limit enforced (the stream errors with a 413
   * `PayloadTooLarge` once the limit is passed). `null` when there is no body.
   */
  get body(): ReadableStream<Uint8Array> | null {
    const source = this.#take()
    return source === null ? null : limitedStream(source, this.bodyLimit)
  }

  /**
   * The whole body as bytes (read once, cached). 413 past the limit; 415 when the body declares
   * a `Content-Encoding` (core decodes none; `body` still hands over the raw stream).
   */
  bytes(): Promise<Uint8Array> {
    const reads = this.#bodyReads()
    return (reads.bytes ??= this.#readAll())
  }

  /** The body decoded as UTF-8 text (cached). */
  text(): Promise<string> {
    const reads = this.#bodyReads()
    return (reads.text ??= this.bytes().then((b) => decoder.decode(b)))
  }

  /**
   * The body parsed as JSON (cached). Requires a JSON content type in UTF-8 and no content
   * coding (415 otherwise); malformed JSON is a 400; a `__proto__` key or a `constructor.prototype`
   * in any spelling is a 400 (or removed: `createApp({ json: { protoAction: 'remove' } })`).
   */
  json<T = unknown>(): Promise<T> {
    const reads = this.#bodyReads()
    if (reads.json === undefined) {
      const type = this.contentType
      if (type === null || !(type === 'application/json' || type.endsWith('+json'))) {
        return Promise.reject(
          new UnsupportedMediaType(
            `Expected a JSON body (Content-Type: application/json), got ${type ?? 'no content type'}.`
          )
        )
      }
      const charset = charsetProblem(this.header('content-type') as string)
      if (charset !== null) return Promise.reject(charset)
      const options = this.#urls?.json
      reads.json = this.text().then((text) => parseJson(text, options))
    }
    return reads.json as Promise<T>
  }

  /**
   * The body parsed as a form (`application/x-www-form-urlencoded` or `multipart/form-data`),
   * as `FormData`. Other content types get a 415.
   */
  form(): Promise<FormData> {
    const reads = this.#bodyReads()
    if (reads.form === undefined) {
      const type = this.contentType
      if (type === 'application/x-www-form-urlencoded') {
        reads.form = this.text().then((t) => {
          const fd = new FormData()
          for (const [k, v] of new URLSearchParams(t)) fd.append(k, v)
          return fd
        })
      } else if (type === 'multipart/form-data') {
        const ct = this.header('content-type') as string
        reads.form = this.bytes().then(async (b) => {
          try {
            return await new Response(b as Uint8Array<ArrayBuffer>, { headers: { 'content-type': ct } }).formData()
          } catch {
            throw new BadRequest('The multipart body is malformed.')
          }
        })
      } else {
        return Promise.reject(
          new UnsupportedMediaType(`Expected a form body, got ${type ?? 'no content type'}.`)
        )
      }
    }
    return reads.form
  }

  #bodyReads(): BodyReads {
    return (this.#reads ??= { taken: false, bytes: undefined, text: undefined, json: undefined, form: undefined })
  }

  #take(): RawBody | null {
    const reads = this.#bodyReads()
    if (reads.taken) {
      throw new ImproperlyConfigured(
        'ERR_BODY_USED',
        'The request body was already consumed as a stream; read it once (bytes/text/json/form are cached).'
      )
    }
    reads.taken = true
    return this.openBody()
  }

  async #readAll(): Promise<Uint8Array> {
    // Encoded bytes never reach a parser: refused before reading, like an oversized length.
    const encoded = encodingProblem(this.header('content-encoding'))
    if (encoded !== null) throw encoded
    const limit = this.bodyLimit
    const declared = this.header('content-length')
    // Refuse on the declared length before reading a byte (RFC 9110 §15.5.14).
    if (declared !== null && Number(declared) > limit) {
      this.#bodyReads().taken = true
      throw tooLarge(limit)
    }
    const source = this.#take()
    return source === null ? new Uint8Array(0) : readLimited(source, limit)
  }
}

/** Gives `request.reverse()` the URL conf of the app that handles the request (core-internal). */
export function bindUrls(request: CycleRequest<object, unknown>, urls: UrlReverser): void {
  setUrls(request, urls)
}

/** One phase of a request's trace (see `createApp({ trace: true })`). */
export interface TraceEntry {
  /** `gateway`, `request`, `resolve`, `view`, `exception`, `response`, … */
  phase: string
  /** Middleware name, view name, or route pattern. */
  name: string
  /** Milliseconds since the request started. */
  start: number
  /** Duration in milliseconds. */
  duration: number
  /** What happened: `next`, `responded`, `threw`, `replaced`, `skipped`, or a status. */
  outcome: string
}

/**
 * @module
 * A `CycleRequest` over a WHATWG `Request`: what `app.fetch()` and `@cycle/gateway-fetch` use.
 */
import { CycleRequest, type RawBody } from './request'
import type { RequestState } from './state'

/** Extras a fetch-style platform passes along with the request. */
export interface WebRequestInit {
  /** Client address, when the platform knows it. */
  remoteAddress?: string
  /** Platform bindings (Workers' `env`). */
  env?: unknown
  /** The platform's `waitUntil` (Workers' `ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void
  /** An extra abort signal (server shutdown), combined with the request's own. */
  signal?: AbortSignal
}

/**
 * Wraps a WHATWG `Request`. The URL string is split by hand (no `URL` object) and the request
 * target is the origin-form path plus query, so `//evil` in a path never becomes a host.
 */
export class WebRequest<S extends object = RequestState> extends CycleRequest<S> {
  /** The wrapped request. */
  readonly raw: Request
  #init: WebRequestInit | undefined
  #protocol: 'http' | 'https'
  #host: string
  #signal: AbortSignal | undefined
  /** Behind `abort()`: joined to the request's own signal on the first read of `signal`. */
  #abort: AbortController | undefined

  constructor(request: Request, init?: WebRequestInit) {
    const url = request.url
    // One pass over the authority finds where the path (or query, or fragment) starts.
    const authorityStart =
      url.charCodeAt(4) === 58 /* http: */
        ? 7
        : url.charCodeAt(5) === 58 /* https: */
          ? 8
          : url.indexOf('://') + 3
    const n = url.length
    let pathStart = n
    for (let i = authorityStart; i < n; i++) {
      const c = url.charCodeAt(i)
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
        pathStart = i
        break
      }
    }
    // workerd hands `OPTIONS *` over as `http://host*`: no path, a `*` glued to the authority
    // (a WHATWG URL cannot hold the asterisk-form). Keep it the `*` target core answers.
    const asterisk = pathStart === n && url.charCodeAt(n - 1) === 42 /* * */
    if (asterisk) pathStart = n - 1
    const hash = pathStart === n ? -1 : url.indexOf('#', pathStart)
    const end = hash === -1 ? n : hash
    let target = asterisk ? '*' : pathStart >= end ? '/' : url.slice(pathStart, end)
    if (target.charCodeAt(0) === 63 /* ? */) target = '/' + target
    super(request.method, target)
    this.raw = request
    this.#init = init
    this.#protocol = url.charCodeAt(authorityStart - 4) === 115 /* s */ ? 'https' : 'http'
    this.#host = url.slice(authorityStart, pathStart)
    if (init?.env !== undefined) this.env = init.env
  }

  header(name: string): string | null {
    const value = this.raw.headers.get(name)
    // An in-process `new Request(url)` has no Host header: the URL's authority is the host.
    return value === null && name === 'host' ? this.#host || null : value
  }

  get headers(): Headers {
    return this.raw.headers
  }

  override get host(): string {
    return this.raw.headers.get('host') ?? this.#host
  }

  /** The authority of the request URL (`example.com:8080`), empty when it has none. */
  protected get urlHost(): string {
    return this.#host
  }

  get protocol(): 'http' | 'https' {
    return this.#protocol
  }

  get remoteAddress(): string | undefined {
    return this.#init?.remoteAddress
  }

  get signal(): AbortSignal {
    if (this.#signal) return this.#signal
    const extra = this.#init?.signal
    // Joined on the first read, so that abort() reaches a signal a view read before it.
    const own = (this.#abort ??= new AbortController()).signal
    return (this.#signal = AbortSignal.any(
      extra ? [this.raw.signal, extra, own] : [this.raw.signal, own]
    ))
  }

  override abort(reason?: unknown): void {
    ;(this.#abort ??= new AbortController()).abort(reason)
  }

  override waitUntil(promise: Promise<unknown>): void {
    const wait = this.#init?.waitUntil
    if (wait) wait(promise)
    else super.waitUntil(promise)
  }

  protected openBody(): RawBody | null {
    return this.raw.body
  }
}

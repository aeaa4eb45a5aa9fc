/**
 * @module
 * `NodeRequest`: a `CycleRequest` over node's `IncomingMessage`, built lazily. The constructor
 * stores references and the request target; headers, the abort signal, the client address and
 * the body are only touched when something reads them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { CycleRequest, type RequestState } from '@cycle/core'
import { type RawBody, resolveForwarded, type ForwardedInfo } from '@cycle/core/gateway'
import { createContext, report, type GatewayContext } from './_context'
import { readBody } from './_body'
import { parseTarget, type ParsedTarget } from './_target'
import { isComplete, isGone } from './send'

let fallbackContext: GatewayContext | undefined
let formOf: (request: NodeRequest) => ParsedTarget | undefined

/**
 * The request the app sees when it runs behind `node:http` (or `node:https`/`node:http2`).
 *
 * @example
 * ```ts
 * http.createServer((req, res) => {
 *   const request = new NodeRequest(req, res)
 *   request.header('user-agent') // no Headers object built
 * })
 * ```
 */
export class NodeRequest<S extends object = RequestState> extends CycleRequest<S> {
  // `declare`d: set once in the constructor, with no class-field definition before it.
  /** The node request (escape hatch; reading it is fine, consuming it is yours to manage). */
  declare readonly raw: IncomingMessage
  /** The node response. Write to it only if you then return nothing from the app. */
  declare readonly res: ServerResponse
  readonly #ctx: GatewayContext
  #headers: Headers | undefined
  #controller: AbortController | undefined
  #forwarded: ForwardedInfo | undefined
  /** The parsed target, when it was not plain origin-form (absolute-form, `*`, a fragment). */
  #form: ParsedTarget | undefined

  static {
    formOf = (request) => request.#form
  }

  /** @internal The gateway makes requests; an app only reads them. */
  constructor(req: IncomingMessage, res: ServerResponse, context?: GatewayContext) {
    const url = req.url ?? '/'
    // The usual target (origin-form, no fragment) is taken as is; the rest is parsed once.
    const form =
      url.charCodeAt(0) === 47 /* / */ && !hasFragment(url)
        ? undefined
        : parseTarget(url, req.headers.host)
    super(req.method ?? 'GET', form === undefined ? url : form.target)
    this.raw = req
    this.res = res
    if (form !== undefined) this.#form = form
    const ctx = (this.#ctx = context ?? (fallbackContext ??= createContext(undefined)))
    if (ctx.bodyLimit !== this.bodyLimit) this.bodyLimit = ctx.bodyLimit
  }

  header(name: string): string | null {
    const headers = this.raw.headers
    let value = headers[name]
    if (value === undefined) {
      // An absent header is common (`accept` from a script): skip toLowerCase() for a name that
      // is lower case already, the usual spelling.
      const lower = isLowerCase(name) ? name : name.toLowerCase()
      if (lower !== name) value = headers[lower]
      // HTTP/2 carries the host in the :authority pseudo-header (RFC 9113 §8.3.1).
      if (value === undefined && lower === 'host') value = headers[':authority']
      if (value === undefined) return null
    }
    return typeof value === 'string' ? value : value.join(', ')
  }

  get headers(): Headers {
    if (this.#headers !== undefined) return this.#headers
    const out = new Headers()
    const src = this.raw.headers
    for (const name in src) {
      if (name.charCodeAt(0) === 58 /* : */) continue // HTTP/2 pseudo-headers
      const value = src[name]
      if (value === undefined) continue
      if (typeof value === 'string') out.append(name, value)
      else for (const v of value) out.append(name, v)
    }
    if (!out.has('host') && typeof src[':authority'] === 'string')
      out.set('host', src[':authority'])
    return (this.#headers = out)
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#watch()).signal
  }

  override abort(reason?: unknown): void {
    ;(this.#controller ??= this.#watch()).abort(reason)
  }

  override get host(): string {
    if (this.#ctx.trust !== null) {
      const host = this.#forwardedInfo().host
      if (host !== undefined) return host
    }
    // An absolute-form target names the host; Host is then ignored (RFC 9112 §3.2.2).
    const authority = this.#form?.authority
    if (authority !== undefined) return authority
    // A named load (the app reads this on every request); header() handles HTTP/2's :authority.
    const host = this.raw.headers.host
    return host !== undefined ? host : (this.header('host') ?? '')
  }

  get protocol(): 'http' | 'https' {
    if (this.#ctx.trust !== null) return this.#forwardedInfo().protocol
    return (this.raw.socket as TLSSocket | null)?.encrypted === true ? 'https' : 'http'
  }

  get remoteAddress(): string | undefined {
    if (this.#ctx.trust !== null) return this.#forwardedInfo().address
    return this.raw.socket?.remoteAddress
  }

  /** Tracks `promise` so graceful shutdown waits for it (within its deadline). */
  override waitUntil(promise: Promise<unknown>): void {
    const pending = this.#ctx.pending
    const tracked: Promise<unknown> = Promise.resolve(promise).then(
      (): boolean => pending.delete(tracked),
      (error: unknown): void => {
        pending.delete(tracked)
        report(this.#ctx, error, this)
      }
    )
    pending.add(tracked)
  }

  protected openBody(): RawBody | null {
    const req = this.raw
    const h = req.headers
    // `Expect: 100-continue` is answered only now, when the app really reads the body: a request
    // refused first (401, or 413 on its declared length against the route's limit) never gets
    // the client to send it (RFC 9110 §10.1.1). `serve()` routes 'checkContinue' here.
    const expect = h['expect']
    if (expect !== undefined && expect.toLowerCase() === '100-continue' && !this.res.headersSent) {
      this.res.writeContinue()
    }
    const length = h['content-length']
    if (length === undefined) {
      if (h['transfer-encoding'] !== undefined) return readBody(req)
      // HTTP/2 frames the body itself: a stream not ended with its HEADERS frame has one.
      if (req.httpVersionMajor === 2 && !endedWithHeaders(req)) return readBody(req)
      return null
    }
    return length === '0' ? null : readBody(req)
  }

  #watch(): AbortController {
    const controller = new AbortController()
    const res = this.res
    // Never abort after a normal completion: a finished response is not a disconnect.
    if (isComplete(res)) return controller
    if (isGone(res)) {
      controller.abort(clientGone())
      return controller
    }
    const live = this.#ctx.live
    live.add(controller)
    res.once('close', () => {
      live.delete(controller)
      if (!isComplete(res)) controller.abort(clientGone())
    })
    return controller
  }

  #forwardedInfo(): ForwardedInfo {
    if (this.#forwarded !== undefined) return this.#forwarded
    const socket = this.raw.socket as TLSSocket | null
    // `this` is the header source: header() joins repeated fields with ', ', as Headers.get() does.
    return (this.#forwarded = resolveForwarded(
      this,
      socket?.remoteAddress,
      socket?.encrypted === true ? 'https' : 'http',
      this.#ctx.trust as NonNullable<GatewayContext['trust']>
    ))
  }
}

function endedWithHeaders(req: IncomingMessage): boolean {
  const stream = (req as unknown as { stream?: { endAfterHeaders?: boolean } }).stream
  return stream?.endAfterHeaders === true
}

function clientGone(): DOMException {
  return new DOMException(
    'The client closed the connection before the response was complete.',
    'AbortError'
  )
}

/**
 * Why the gateway refuses the request's target with a 400 (a scheme other than http(s), userinfo,
 * no target at all), or `null`. Always `null` for plain origin-form targets.
 */
export function targetProblem(request: NodeRequest): string | null {
  return formOf(request)?.problem ?? null
}

/**
 * Whether the target holds a `#` (a fragment a client sent anyway). A loop for the short targets
 * most requests have: `indexOf()` is a builtin call (about 100 instructions) even on `/`.
 */
function hasFragment(url: string): boolean {
  if (url.length > 64) return url.indexOf('#') !== -1
  for (let i = 1; i < url.length; i++) if (url.charCodeAt(i) === 35 /* # */) return true
  return false
}

/** Whether `name` has no ASCII upper-case letter (header names in code are nearly always so). */
function isLowerCase(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c >= 65 && c <= 90) return false
  }
  return true
}

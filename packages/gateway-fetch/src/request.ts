import {
  WebRequest,
  type WebRequestInit,
  resolveForwarded,
  type CompiledTrust,
  type ForwardedInfo,
} from '@cycle/core/gateway'
/**
 * @module
 * The `CycleRequest` the fetch gateway hands to the app: core's `WebRequest`, plus the Host
 * fallback to the URL, the platform's client address (asked for on first read only) and, with
 * `trustProxy`, what trusted proxies say (core's resolver, parsed on first read only).
 */
import { hostProblem, isJoinedCredentials, isJoinedMediaType } from './_fields'
import type { ExecutionContext } from './options'

/** What every request of one handler shares. */
export interface FetchContext {
  /** Compiled `trustProxy`; `null`: no forwarding field is ever read. */
  readonly trust: CompiledTrust | null
  /** The platform's client address (Bun's `requestIP`, Deno's `info.remoteAddr`). */
  readonly getRemoteAddress:
    | ((
        request: Request,
        env: never,
        ctx: ExecutionContext | undefined
      ) => string | null | undefined)
    | undefined
}

const UNREAD = Symbol('unread')

/**
 * A `WebRequest` over the platform's `Request`.
 *
 * `header('host')` falls back to the URL's authority: a `Request` built in memory
 * (`new Request('http://localhost/x')`) has no `Host` header, and the app's `allowedHosts` check
 * reads it.
 */
export class FetchRequest extends WebRequest {
  readonly #context: FetchContext
  readonly #ctx: ExecutionContext | undefined
  #peer: string | undefined | typeof UNREAD = UNREAD
  #forwarded: ForwardedInfo | undefined
  #authorization: string | null | typeof UNREAD = UNREAD
  #contentType: string | null | typeof UNREAD = UNREAD

  constructor(
    request: Request,
    init: WebRequestInit | undefined,
    context: FetchContext,
    ctx: ExecutionContext | undefined
  ) {
    super(request, init)
    this.#context = context
    this.#ctx = ctx
  }

  /**
   * Why the gateway refuses the request with a 400 before the app runs (a repeated `Host`,
   * `Authorization` or `Content-Type` the runtime joined into one value), or `null`.
   */
  fieldsProblem(): string | null {
    const headers = this.raw.headers
    const host = headers.get('host')
    if (host !== null) {
      const problem = hostProblem(host, this.urlHost)
      if (problem !== null) return problem
    }
    // Read once here, and kept: the app reads both again (authentication, body parsers), and
    // on Node each `Headers.get()` costs about a thousand instructions.
    const credentials = (this.#authorization = headers.get('authorization'))
    if (credentials !== null && isJoinedCredentials(credentials)) {
      return 'The request has more than one Authorization header.'
    }
    const type = (this.#contentType = headers.get('content-type'))
    if (type !== null && isJoinedMediaType(type)) {
      return 'The request has more than one Content-Type header.'
    }
    return null
  }

  override header(name: string): string | null {
    if (name === 'host') return this.host || null
    if (name === 'authorization' && this.#authorization !== UNREAD) return this.#authorization
    if (name === 'content-type' && this.#contentType !== UNREAD) return this.#contentType
    return this.raw.headers.get(name)
  }

  /**
   * The URL's authority: Workers, Deno, Bun and node adapters build the request URL from the Host
   * header, so it is the Host, without a header lookup per request. Behind a trusted proxy, the
   * forwarded host wins.
   */
  override get host(): string {
    if (this.#context.trust !== null) {
      const forwarded = this.#proxied().host
      if (forwarded !== undefined) return forwarded
    }
    return this.urlHost
  }

  override get protocol(): 'http' | 'https' {
    return this.#context.trust === null ? super.protocol : this.#proxied().protocol
  }

  override get remoteAddress(): string | undefined {
    return this.#context.trust === null ? this.#peerAddress() : this.#proxied().address
  }

  /** The address the platform says the connection came from (`undefined` on workerd). */
  #peerAddress(): string | undefined {
    if (this.#peer !== UNREAD) return this.#peer
    const get = this.#context.getRemoteAddress
    if (get === undefined) return (this.#peer = undefined)
    return (this.#peer = get(this.raw, this.env as never, this.#ctx) ?? undefined)
  }

  #proxied(): ForwardedInfo {
    // Only reached with trust on: `resolveForwarded` reads `forwarded`/`x-forwarded-*` through
    // header(), so several fields of one name arrive joined with ', ', as gateway-node joins them.
    return (this.#forwarded ??= resolveForwarded(
      this,
      this.#peerAddress(),
      super.protocol,
      this.#context.trust as CompiledTrust
    ))
  }
}

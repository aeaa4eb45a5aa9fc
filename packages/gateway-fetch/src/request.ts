/**
 * @module
 * The `CycleRequest` the fetch gateway hands to the app: core's `WebRequest`, plus the Host
 * fallback to the URL and, with `trustProxy`, what the proxy headers say.
 */
import { WebRequest, type WebRequestInit } from '@cycle/core'
import { readForwarded, type ForwardedInfo } from './forwarded'

/**
 * A `WebRequest` over the platform's `Request`.
 *
 * `header('host')` falls back to the URL's authority: a `Request` built in memory
 * (`new Request('http://localhost/x')`) has no `Host` header, and the app's `allowedHosts` check
 * reads it. With `trustProxy`, scheme, host and client address come from the proxy headers,
 * parsed on first read only.
 */
export class FetchRequest extends WebRequest {
  readonly #trustProxy: boolean
  #forwarded: ForwardedInfo | undefined

  constructor(request: Request, init: WebRequestInit | undefined, trustProxy: boolean) {
    super(request, init)
    this.#trustProxy = trustProxy
  }

  #proxy(): ForwardedInfo | undefined {
    if (!this.#trustProxy) return undefined
    return (this.#forwarded ??= readForwarded((name) => this.raw.headers.get(name)))
  }

  override header(name: string): string | null {
    if (name === 'host') return this.host || null
    return this.raw.headers.get(name)
  }

  /**
   * The URL's authority: Workers, Deno, Bun and node adapters build the request URL from the Host
   * header, so it is the Host, without a header lookup per request. Behind a trusted proxy, the
   * forwarded host wins.
   */
  override get host(): string {
    if (this.#trustProxy) {
      const forwarded = this.#proxy()?.host
      if (forwarded !== undefined) return forwarded
    }
    return this.urlHost
  }

  override get protocol(): 'http' | 'https' {
    return this.#proxy()?.proto ?? super.protocol
  }

  override get remoteAddress(): string | undefined {
    return this.#proxy()?.for ?? super.remoteAddress
  }
}

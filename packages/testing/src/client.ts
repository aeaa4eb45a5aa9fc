/**
 * @module
 * `createTestClient(app)`: drives an app in process, without a socket (like Django's test
 * `Client`, Fastify's `inject()` or Hono's `app.request()`).
 *
 * Each call builds a WHATWG `Request`, wraps it in core's `WebRequest` and calls `app.handle()`,
 * so the test sees exactly what a fetch gateway would produce, plus the handled `CycleRequest`.
 */
import { type CycleRequest, type CycleResponse, isToken } from '@cycle/core'
import { WebRequest } from '@cycle/core/gateway'
import { CookieJar } from './cookie-jar'
import { buildBody, buildHeaders, buildUrl } from './_build'

/** Anything with core's `app.handle()`: a Cycle `App`. */
export interface Handler {
  handle(request: CycleRequest): CycleResponse | Promise<CycleResponse>
}

/** Options of {@link createTestClient}. */
export interface TestClientOptions {
  /** Origin the request URLs are built on. Default `http://localhost`. */
  baseUrl?: string
  /** Headers sent with every request (a call's own headers win). */
  headers?: Record<string, string>
  /** Keep `Set-Cookie` values between calls and send them back. Default false. */
  cookies?: boolean
  /** Platform bindings handed to the app as `request.env`. */
  env?: unknown
  /** Client address the app sees as `request.remoteAddress`. */
  remoteAddress?: string
  /** Receives what the app passes to `request.waitUntil()` (default: let it run). */
  waitUntil?: (promise: Promise<unknown>) => void
}

/** A query string given as an object (arrays repeat the key) or as `URLSearchParams`. */
export type QueryInit =
  | URLSearchParams
  | Record<string, string | number | boolean | readonly (string | number | boolean)[] | undefined>

/** One request's options. At most one of `json`, `body` and `form`. */
export interface TestRequestInit {
  /** Request headers. */
  headers?: HeadersInit
  /** Added to the path's own query string. */
  query?: QueryInit
  /** A JSON body (`Content-Type: application/json` unless given). */
  json?: unknown
  /** A raw body; a `ReadableStream` is sent without `Content-Length`. */
  body?: BodyInit
  /** A form: an object or `URLSearchParams` is URL-encoded, a `FormData` is multipart. */
  form?: Record<string, string> | URLSearchParams | FormData
  /** Aborts the request (becomes `request.signal` in the app). */
  signal?: AbortSignal
}

/** What a call resolves to: the response, read whole, and the request the app handled. */
export interface TestResponse<T = unknown> {
  /** HTTP status. */
  status: number
  /** Response headers (`headers.getSetCookie()` lists each cookie). */
  headers: Headers
  /** The body decoded as UTF-8. */
  text: string
  /** The parsed body when the content type is JSON or `+json` (problem+json), else `undefined`. */
  json: T | undefined
  /** The body bytes. */
  body: Uint8Array
  /** The WHATWG `Response` (its body is still readable). */
  raw: Response
  /** The request the app handled: inspect `request.route`, `request.state`, `request.trace`. */
  request: CycleRequest
}

/** The in-process client returned by {@link createTestClient}. */
export interface TestClient {
  /** Sends any method. `path` is absolute (`/notes/?page=2`) or a full URL. */
  request<T = unknown>(
    method: string,
    path: string,
    init?: TestRequestInit
  ): Promise<TestResponse<T>>
  /** GET `path`. */
  get<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** POST `path`. */
  post<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** PUT `path`. */
  put<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** PATCH `path`. */
  patch<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** DELETE `path`. */
  delete<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** HEAD `path` (the body is always empty). */
  head<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** OPTIONS `path`. */
  options<T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>
  /** The cookies the jar holds (empty unless `cookies: true`). */
  readonly cookies: Record<string, string>
  /** Empties the cookie jar. */
  clearCookies(): void
}

const JSON_MEDIA = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i
const decoder = new TextDecoder()

/**
 * Creates an in-process client for `app`.
 *
 * @param app a Cycle app (anything with `handle(request)`)
 * @param options base URL, default headers, cookie jar, env, remote address, waitUntil
 * @returns the client; each call resolves once the whole response body is read
 * @throws TypeError on a bad `baseUrl` or an app without `handle()`
 * @example
 * ```ts
 * const client = createTestClient(app, { cookies: true })
 * const res = await client.post('/notes/', { json: { title: 'Hi' } })
 * expect(res.status).toBe(201)
 * expect(res.request.route?.name).toBe('create')
 * ```
 */
export function createTestClient(app: Handler, options: TestClientOptions = {}): TestClient {
  if (typeof app?.handle !== 'function') {
    throw new TypeError('createTestClient() needs a Cycle app (an object with handle(request)).')
  }
  const base = parseBase(options.baseUrl ?? 'http://localhost')
  const jar = options.cookies === true ? new CookieJar() : null
  const defaults = options.headers ?? {}

  async function send<T>(
    method: string,
    path: string,
    init: TestRequestInit = {}
  ): Promise<TestResponse<T>> {
    if (!isToken(method)) throw new TypeError(`Invalid HTTP method ${JSON.stringify(method)}.`)
    const upper = method.toUpperCase()
    const url = buildUrl(base, path, init.query)
    const request = new Request(url, {
      method: upper,
      ...buildBody(init),
      headers: buildHeaders(new URL(url).host, defaults, init, jar),
      signal: init.signal,
    })
    const cycleRequest = new WebRequest(request, {
      env: options.env,
      remoteAddress: options.remoteAddress,
      waitUntil: options.waitUntil,
    })
    const response = await app.handle(cycleRequest)
    const raw = response.toResponse(upper === 'HEAD')
    const body = new Uint8Array(await raw.clone().arrayBuffer())
    jar?.store(raw.headers.getSetCookie())
    const text = decoder.decode(body)
    return {
      status: raw.status,
      headers: raw.headers,
      text,
      json: parseJsonBody<T>(raw.headers.get('content-type'), text, `${upper} ${path}`),
      body,
      raw,
      request: cycleRequest,
    }
  }

  const verb =
    (method: string) =>
    <T = unknown>(path: string, init?: TestRequestInit): Promise<TestResponse<T>> =>
      send<T>(method, path, init)

  return {
    request: send,
    get: verb('GET'),
    post: verb('POST'),
    put: verb('PUT'),
    patch: verb('PATCH'),
    delete: verb('DELETE'),
    head: verb('HEAD'),
    options: verb('OPTIONS'),
    get cookies(): Record<string, string> {
      return jar === null ? {} : jar.toObject()
    },
    clearCookies(): void {
      jar?.clear()
    },
  }
}

function parseBase(baseUrl: string): URL {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new TypeError(`createTestClient(): baseUrl ${JSON.stringify(baseUrl)} is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`createTestClient(): baseUrl must be http: or https:, got ${url.protocol}`)
  }
  return url
}

function parseJsonBody<T>(type: string | null, text: string, what: string): T | undefined {
  if (type === null || !JSON_MEDIA.test(type) || text === '') return undefined
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw new Error(
      `${what}: the response says ${type} but its body is not JSON: ${(error as Error).message}`
    )
  }
}

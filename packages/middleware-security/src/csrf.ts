/**
 * @module
 * `csrf()`: cross-site request forgery protection for unsafe requests. The browser's own
 * `Sec-Fetch-Site` first, then `Origin` compared exactly with the request's origin (scheme, host
 * and port as core reports them, trusted proxies included) or a trusted list, then, for clients
 * that send neither header, an optional signed double-submit token. A refusal is core's
 * `Forbidden` (a 403 problem) whose `detail` says why.
 */
import {
  Forbidden,
  ImproperlyConfigured,
  defineMiddleware,
  type CookieOptions,
  type CycleRequest,
  type HookMiddleware,
  type Middleware,
  isToken,
} from '@cycle/core'
import { isOrigin } from './headers'
import { TokenSigner, sameString } from './token'

/** Options of the token mode (`csrf({ token })`). */
export interface CsrfTokenOptions {
  /** HMAC key for the tokens: at least 32 characters, kept secret, the same on every instance. */
  secret: string
  /** Cookie holding the token. Default `'csrftoken'` (Django's); `'__Host-csrftoken'` on HTTPS-only sites. */
  cookieName?: string
  /** Request header carrying the token back (for `fetch`). Default `'x-csrftoken'` (Django's). */
  headerName?: string
  /** Form field carrying the token back (urlencoded or multipart bodies). Default `'csrfmiddlewaretoken'`. */
  formField?: string
  /**
   * Cookie attributes. Defaults: `path: '/'`, `sameSite: 'Lax'`, `maxAge` one year, `secure`
   * when the request is HTTPS, `httpOnly: false` (scripts may read it to set the header).
   */
  cookie?: Pick<
    CookieOptions,
    'path' | 'domain' | 'maxAge' | 'sameSite' | 'secure' | 'httpOnly' | 'partitioned'
  >
  /**
   * Binds each token to something of the user's (a session id) so a token issued to one user is
   * refused for another. Return `undefined` when there is nothing to bind to.
   */
  binding?: (request: CycleRequest) => string | undefined
}

/** Options of {@link csrf}. */
export interface CsrfOptions {
  /**
   * Other origins allowed to send unsafe requests, exactly as browsers send `Origin`
   * (`'https://admin.example.com'`), or every subdomain of a domain (`'https://*.example.com'`,
   * which does not match `https://example.com` itself). Checked at startup.
   */
  trustedOrigins?: readonly string[]
  /** Accept `Sec-Fetch-Site: same-site` (a sibling subdomain) as well as same-origin. Default `false`. */
  allowSameSite?: boolean
  /**
   * Refuse every unsafe request that carries neither `Sec-Fetch-Site` nor `Origin` unless a
   * token validates, as Django does. Default `false`: such a request passes when it carries no
   * `Cookie` (a non-browser client: it has no ambient credentials a forgery could borrow).
   */
  strict?: boolean
  /** Double-submit signed tokens for clients that send neither header. Default `false`. */
  token?: CsrfTokenOptions | false
  /** Requests not to check (a webhook receiver with its own signature check). */
  exempt?: (request: CycleRequest) => boolean
}

/** The per-middleware token settings; stored as is on `request.state` (no allocation per request). */
class TokenMode {
  constructor(
    readonly signer: TokenSigner,
    readonly cookieName: string,
    readonly headerName: string,
    readonly formField: string,
    readonly cookie: CsrfTokenOptions['cookie'] & object,
    readonly binding: ((request: CycleRequest) => string | undefined) | undefined
  ) {}
  bind(request: CycleRequest): string {
    return this.binding === undefined ? '' : this.binding(request) ?? ''
  }
}

/** The record made once `csrfToken()` was called for a request. */
class TokenRecord {
  /** A token made for this request, to set as the cookie. */
  issued: string | undefined = undefined
  /** The request's token, once known. */
  token: Promise<string> = Promise.resolve('')
  constructor(readonly mode: TokenMode) {}
}

/** The slot on `request.state`: the middleware's `TokenMode`, then a `TokenRecord`. */
const SLOT: unique symbol = Symbol('@cycle/middleware-security csrf')

type Slots = Record<typeof SLOT, TokenMode | TokenRecord | undefined>

function slots(request: CycleRequest): Slots {
  return request.state as unknown as Slots
}

async function resolveToken(
  request: CycleRequest,
  record: TokenRecord,
  mode: TokenMode
): Promise<string> {
  const binding = mode.bind(request)
  const cookie = request.cookies[mode.cookieName]
  if (cookie !== undefined && (await mode.signer.verify(cookie, binding))) return cookie
  const token = await mode.signer.issue(binding)
  record.issued = token
  return token
}

/**
 * The CSRF token of this request, for a template's hidden field or a page that hands it to its
 * scripts (Django's `get_token()`). Issues one (set as a cookie on the response) when the request
 * has no valid one. Needs `csrf({ token })` in the request's middleware list.
 *
 * @throws {ImproperlyConfigured} `ERR_BAD_MIDDLEWARE` when no `csrf({ token })` ran for the request
 * @example
 * ```ts
 * import { html, path } from '@cycle/core'
 * import { csrfToken } from '@cycle/middleware-security'
 *
 * path('form/', async (req) =>
 *   html(`<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${await csrfToken(req)}"></form>`)
 * )
 * ```
 */
export function csrfToken(request: CycleRequest): Promise<string> {
  const state = slots(request)
  const slot = state[SLOT]
  if (slot instanceof TokenRecord) return slot.token
  if (!(slot instanceof TokenMode)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_MIDDLEWARE',
      'csrfToken(): no csrf({ token }) middleware ran for this request; add it to the middleware list.'
    )
  }
  // The record is in place before any await, so concurrent calls share one token.
  const record = new TokenRecord(slot)
  record.token = resolveToken(request, record, slot)
  state[SLOT] = record
  return record.token
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])
const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'] as const

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `csrf(): ${message}`)
}

/** A `https://*.example.com` entry: scheme, `.example.com`, and the port part (`:8443` or ''). */
interface Wildcard {
  prefix: string
  suffix: string
}

function compileTrusted(list: unknown): { exact: Set<string>; wildcards: Wildcard[] } {
  const exact = new Set<string>()
  const wildcards: Wildcard[] = []
  if (list === undefined) return { exact, wildcards }
  if (!Array.isArray(list)) bad('trustedOrigins must be a list of origins.')
  for (const entry of list as readonly unknown[]) {
    if (typeof entry !== 'string') bad(`trustedOrigins: ${JSON.stringify(entry)} is not a string.`)
    if (entry === 'null' || entry === '*') {
      bad(
        `trustedOrigins: ${JSON.stringify(entry)} would trust every page on the web; name origins.`
      )
    }
    const star = /^(https?):\/\/\*(\.[^*/?#@\s]+)$/.exec(entry)
    if (star !== null) {
      const sample = `${star[1] as string}://x${star[2] as string}`
      if (!isOrigin(sample))
        bad(`trustedOrigins: ${JSON.stringify(entry)} is not an origin pattern.`)
      wildcards.push({
        prefix: `${star[1] as string}://`,
        suffix: (star[2] as string).toLowerCase(),
      })
      continue
    }
    if (!isOrigin(entry)) {
      bad(
        `trustedOrigins: ${JSON.stringify(entry)} is not an origin as browsers send it: ` +
          `scheme and host, the port only when not the default, lower case, no path or trailing slash ` +
          `(e.g. "https://app.example.com").`
      )
    }
    exact.add(entry)
  }
  return { exact, wildcards }
}

function tokenMode(value: unknown): TokenMode | null {
  if (value === undefined || value === false) return null
  if (typeof value !== 'object' || value === null) bad('token must be an object or false.')
  const known = ['secret', 'cookieName', 'headerName', 'formField', 'cookie', 'binding']
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      bad(`token: unknown option ${JSON.stringify(key)}; the options are ${known.join(', ')}.`)
  }
  const o = value as CsrfTokenOptions
  if (typeof o.secret !== 'string' || o.secret.length < 32) {
    bad('token.secret must be a string of at least 32 characters (a random key, kept secret).')
  }
  const cookieName = o.cookieName ?? 'csrftoken'
  const headerName = (o.headerName ?? 'x-csrftoken').toLowerCase()
  const formField = o.formField ?? 'csrfmiddlewaretoken'
  if (typeof cookieName !== 'string' || !isToken(cookieName))
    bad('token.cookieName must be a cookie name.')
  if (typeof headerName !== 'string' || !isToken(headerName))
    bad('token.headerName must be a header name.')
  if (typeof formField !== 'string' || formField === '')
    bad('token.formField must be a non-empty string.')
  if (o.binding !== undefined && typeof o.binding !== 'function')
    bad('token.binding must be a function.')
  const cookie = Object.assign(
    { path: '/', sameSite: 'Lax', maxAge: 31449600, httpOnly: false },
    o.cookie
  )
  if (
    cookieName.startsWith('__Host-') &&
    (cookie.domain !== undefined || cookie.path !== '/' || cookie.secure === false)
  ) {
    bad('token: a __Host- cookie needs path "/", no domain, and secure.')
  }
  return new TokenMode(
    new TokenSigner(o.secret),
    cookieName,
    headerName,
    formField,
    cookie,
    o.binding
  )
}

/** Bounded text of a header value for a problem `detail`. */
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value)
}

/**
 * CSRF protection for unsafe requests (every method but GET, HEAD, OPTIONS and TRACE), judged on
 * the method the request really has: an override (`X-HTTP-Method-Override`, `?_method=`) never
 * makes a refused request pass, and a safe request that carries an override naming an unsafe
 * method is judged as unsafe. In order:
 *
 * 1. `Sec-Fetch-Site: same-origin` or `none` passes (`same-site` too with `allowSameSite`); any
 *    other value passes only when `Origin` is in `trustedOrigins`.
 * 2. Without `Sec-Fetch-Site`, `Origin` must equal the request's own origin (scheme, host, port as
 *    core reports them) or a trusted one; `Origin: null` is refused.
 * 3. Without either header: with `token`, the signed token of the cookie must come back in the
 *    header or form field; otherwise a request carrying a `Cookie` (or any request, `strict`) is
 *    refused, and one without cookies passes (a non-browser client).
 *
 * A refusal throws `Forbidden` (403 problem) with a `detail` naming the reason.
 *
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { csrf } from '@cycle/middleware-security'
 *
 * const app = createApp({
 *   middleware: [csrf({ trustedOrigins: ['https://admin.example.com'] })],
 *   urls: [path('notes/', () => ({ ok: true }), { methods: ['POST'] })],
 * })
 * ```
 */
export function csrf(options: CsrfOptions = {}): Middleware {
  if (typeof options !== 'object' || options === null) bad('options must be an object.')
  const known = ['trustedOrigins', 'allowSameSite', 'strict', 'token', 'exempt']
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      bad(`unknown option ${JSON.stringify(key)}; the options are ${known.join(', ')}.`)
  }
  const { exact, wildcards } = compileTrusted(options.trustedOrigins)
  const allowSameSite = options.allowSameSite ?? false
  const strict = options.strict ?? false
  if (typeof allowSameSite !== 'boolean') bad('allowSameSite must be a boolean.')
  if (typeof strict !== 'boolean') bad('strict must be a boolean.')
  const exempt = options.exempt
  if (exempt !== undefined && typeof exempt !== 'function')
    bad('exempt must be a function (request) => boolean.')
  const mode = tokenMode(options.token)
  const anyTrusted = exact.size > 0 || wildcards.length > 0

  function trusted(origin: string): boolean {
    if (!anyTrusted) return false
    if (exact.has(origin)) return true
    for (const w of wildcards) {
      if (
        origin.startsWith(w.prefix) &&
        origin.endsWith(w.suffix) &&
        origin.length > w.prefix.length + w.suffix.length
      ) {
        const label = origin.slice(w.prefix.length, origin.length - w.suffix.length)
        if (/^[a-z0-9.-]+$/.test(label) && !label.startsWith('.') && !label.endsWith('.'))
          return true
      }
    }
    return false
  }

  // The request's own origin, remembered for the last host seen (keep-alive clients repeat it).
  let lastHost = ''
  let lastSecure = false
  let lastOrigin = ''
  function ownOrigin(request: CycleRequest): string {
    const host = request.host
    const secure = request.secure
    if (host === lastHost && secure === lastSecure && lastOrigin !== '') return lastOrigin
    let h = host.toLowerCase()
    if (secure ? h.endsWith(':443') : h.endsWith(':80')) h = h.slice(0, h.lastIndexOf(':'))
    lastHost = host
    lastSecure = secure
    lastOrigin = `${secure ? 'https' : 'http'}://${h}`
    return lastOrigin
  }

  function overridesToUnsafe(request: CycleRequest): boolean {
    for (const name of OVERRIDE_HEADERS) {
      const v = request.header(name)
      if (v !== null && !SAFE_METHODS.has(v.trim().toUpperCase())) return true
    }
    const t = request.target
    if (t.includes('_method=')) {
      const v = request.query.get('_method')
      if (v !== null && !SAFE_METHODS.has(v.trim().toUpperCase())) return true
    }
    return false
  }

  async function checkToken(request: CycleRequest, m: TokenMode): Promise<void> {
    const cookie = request.cookies[m.cookieName]
    if (cookie === undefined) {
      throw new Forbidden(
        `CSRF: the request carries neither Sec-Fetch-Site nor Origin, and no ${m.cookieName} cookie.`
      )
    }
    let sent = request.header(m.headerName)
    if (sent === null) {
      const type = request.contentType
      if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
        const field = (await request.form()).get(m.formField)
        sent = typeof field === 'string' ? field : null
      }
    }
    if (sent === null) {
      throw new Forbidden(
        `CSRF: the request carries neither Sec-Fetch-Site nor Origin, and no token in the ${m.headerName} header or the ${m.formField} field.`
      )
    }
    if (!sameString(sent, cookie))
      throw new Forbidden('CSRF: the token sent does not match the cookie.')
    if (!(await m.signer.verify(cookie, m.bind(request)))) {
      throw new Forbidden(
        'CSRF: the token is not one this server issued (or not for this session).'
      )
    }
  }

  function check(request: CycleRequest): Promise<void> | undefined {
    const site = request.header('sec-fetch-site')
    const origin = request.header('origin')
    if (site !== null) {
      if (site === 'same-origin' || site === 'none') return undefined
      if (site === 'same-site' && allowSameSite) return undefined
      if (origin !== null && trusted(origin)) return undefined
      throw new Forbidden(
        `CSRF: Sec-Fetch-Site is ${quote(site)} and ${
          origin === null ? 'no Origin was sent' : `Origin ${quote(origin)} is not trusted`
        }.`
      )
    }
    if (origin !== null) {
      if (origin === 'null') {
        throw new Forbidden(
          'CSRF: Origin is "null" (a sandboxed frame, a cross-origin redirect or a local file).'
        )
      }
      const own = ownOrigin(request)
      if (origin === own || trusted(origin)) return undefined
      throw new Forbidden(
        `CSRF: Origin ${quote(origin)} does not match ${quote(own)} or a trusted origin.`
      )
    }
    if (mode !== null) return checkToken(request, mode)
    if (strict || request.header('cookie') !== null) {
      throw new Forbidden(
        'CSRF: an unsafe request with cookies must carry Sec-Fetch-Site or Origin (every current browser sends them).'
      )
    }
    return undefined
  }

  const hooks: HookMiddleware = {
    name: 'csrf',
    request(req) {
      if (mode !== null) slots(req)[SLOT] = mode
      if (SAFE_METHODS.has(req.method) && !overridesToUnsafe(req)) return undefined
      if (exempt !== undefined && exempt(req)) return undefined
      return check(req)
    },
  }
  if (mode !== null) {
    hooks.response = function csrfResponse(req, res) {
      const slot = slots(req)[SLOT]
      if (slot instanceof TokenRecord) {
        // The answer holds (or may hold) this user's token: a shared cache must not reuse it.
        res.headers.vary('Cookie')
        if (slot.issued !== undefined) {
          const c = slot.mode.cookie
          res.setCookie(
            slot.mode.cookieName,
            slot.issued,
            c.secure === undefined ? Object.assign({}, c, { secure: req.secure }) : c
          )
        }
      }
      return undefined
    }
  }
  return defineMiddleware(hooks)
}

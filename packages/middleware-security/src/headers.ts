/**
 * @module
 * `securityHeaders()`: Django's SecurityMiddleware and Helmet's header set in one response hook.
 * Every constant header is built once, at creation; per request there is only the HSTS decision
 * (`request.secure`, which the gateway reports with the trusted proxy's scheme), the nonce, and
 * the HTTPS redirect when asked for.
 */
import {
  CycleResponse,
  defineMiddleware,
  ImproperlyConfigured,
  problem,
  type CycleRequest,
  type HeaderMap,
  type HookMiddleware,
  type Middleware,
} from '@cycle/core'
import { compileCsp, createNonce, withNonce, type CspNonceDirective, type CspOptions } from './csp'

/** `Strict-Transport-Security` settings. */
export interface HstsOptions {
  /** `max-age` in seconds. Default 31536000 (one year); 0 tells browsers to forget the host. */
  maxAge?: number
  /** Add `includeSubDomains`. Default `true`. */
  includeSubDomains?: boolean
  /**
   * Add `preload` (hstspreload.org). Needs `includeSubDomains` and a `maxAge` of at least one
   * year; refused at startup otherwise. Default `false`.
   */
  preload?: boolean
}

/** A `Referrer-Policy` token. */
export type ReferrerPolicy =
  | 'no-referrer'
  | 'no-referrer-when-downgrade'
  | 'origin'
  | 'origin-when-cross-origin'
  | 'same-origin'
  | 'strict-origin'
  | 'strict-origin-when-cross-origin'
  | 'unsafe-url'

/**
 * A `Permissions-Policy` allowlist: `[]` (nobody), `'*'` (everyone), or a list of `'self'`,
 * `'src'` and origins (`'https://maps.example.com'`).
 */
export type PermissionsAllowlist = '*' | readonly string[]

/** `httpsRedirect` settings (Django's `SECURE_SSL_REDIRECT`, `SECURE_SSL_HOST`, `SECURE_REDIRECT_EXEMPT`). */
export interface HttpsRedirectOptions {
  /**
   * Status for GET and HEAD: 301 (default, as Django) or 308. Other methods always get 308, so a
   * POST is never turned into a GET by the redirect.
   */
  status?: 301 | 308
  /**
   * The host to redirect to (`'www.example.com'`, Django's `SECURE_SSL_HOST`). Default: the
   * request's host as core validated it against `allowedHosts`, without its port.
   */
  host?: string
  /** The HTTPS port, when not 443. Default: none (443). */
  port?: number
  /** Paths (with their leading slash) that stay on plain HTTP: `[/^\/healthz$/]`. */
  exempt?: readonly RegExp[]
}

/**
 * Options of {@link securityHeaders}. Every header can be turned off with `false` or given
 * another value; a header the view (or an inner middleware) set itself is never replaced.
 */
export interface SecurityHeadersOptions {
  /** `Strict-Transport-Security`, sent only on HTTPS requests. Default one year, `includeSubDomains`. */
  hsts?: HstsOptions | false
  /** `X-Content-Type-Options: nosniff`. Default `true`. */
  contentTypeOptions?: boolean
  /** `Referrer-Policy`: one token or a fallback list. Default `'no-referrer'`. */
  referrerPolicy?: ReferrerPolicy | readonly ReferrerPolicy[] | false
  /** `X-Frame-Options`. Default `'DENY'` (Django's default). */
  frameOptions?: 'DENY' | 'SAMEORIGIN' | false
  /** `Cross-Origin-Opener-Policy`. Default `'same-origin'`. */
  crossOriginOpenerPolicy?:
    | 'same-origin'
    | 'same-origin-allow-popups'
    | 'noopener-allow-popups'
    | 'unsafe-none'
    | false
  /** `Cross-Origin-Resource-Policy`. Default `'same-origin'`. */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false
  /** `Cross-Origin-Embedder-Policy`. Default `false` (it blocks cross-origin embeds without CORP). */
  crossOriginEmbedderPolicy?: 'require-corp' | 'credentialless' | 'unsafe-none' | false
  /** `Origin-Agent-Cluster: ?1`. Default `true`. */
  originAgentCluster?: boolean
  /** `X-DNS-Prefetch-Control`. Default `'off'`. */
  dnsPrefetchControl?: 'on' | 'off' | false
  /** `X-Download-Options: noopen` (old Internet Explorer). Default `true`. */
  downloadOptions?: boolean
  /** `X-Permitted-Cross-Domain-Policies`. Default `'none'`. */
  permittedCrossDomainPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' | false
  /** `X-XSS-Protection: 0` (turns off the buggy legacy XSS auditor). Default `true`. */
  xssProtection?: boolean
  /** `Permissions-Policy`, by feature: `{ camera: [], geolocation: ['self'] }`. Default `false`. */
  permissionsPolicy?: Readonly<Record<string, PermissionsAllowlist>> | false
  /** `Content-Security-Policy` (or `-Report-Only`), with an optional per-request nonce. Default `false`. */
  contentSecurityPolicy?: CspOptions | false
  /** Redirect plain-HTTP requests to HTTPS. Default `false`. */
  httpsRedirect?: HttpsRedirectOptions | boolean
}

/**
 * What {@link securityHeaders} adds to `request.state`: `cspNonce` when the policy has a nonce,
 * nothing otherwise.
 */
export type SecurityHeadersState<O> = O extends {
  contentSecurityPolicy: { nonce: true | readonly CspNonceDirective[] }
}
  ? { cspNonce: string }
  : object

const KNOWN: readonly string[] = [
  'hsts',
  'contentTypeOptions',
  'referrerPolicy',
  'frameOptions',
  'crossOriginOpenerPolicy',
  'crossOriginResourcePolicy',
  'crossOriginEmbedderPolicy',
  'originAgentCluster',
  'dnsPrefetchControl',
  'downloadOptions',
  'permittedCrossDomainPolicies',
  'xssProtection',
  'permissionsPolicy',
  'contentSecurityPolicy',
  'httpsRedirect',
]

const REFERRER: readonly string[] = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
]

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `securityHeaders(): ${message}`)
}

function oneOf<T>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T | false
): T | false {
  if (value === undefined) return fallback
  if (value === false) return false
  if (!allowed.includes(value as T)) {
    bad(
      `${name} must be false or one of ${allowed
        .map((a) => JSON.stringify(a))
        .join(', ')}, got ${JSON.stringify(value)}.`
    )
  }
  return value as T
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') bad(`${name} must be a boolean, got ${JSON.stringify(value)}.`)
  return value
}

function hstsValue(value: unknown): string | null {
  if (value === false) return null
  const o = (value ?? {}) as HstsOptions
  if (typeof o !== 'object' || o === null) bad('hsts must be an object or false.')
  for (const key of Object.keys(o)) {
    if (key !== 'maxAge' && key !== 'includeSubDomains' && key !== 'preload') {
      bad(
        `hsts: unknown option ${JSON.stringify(
          key
        )}; the options are maxAge, includeSubDomains, preload.`
      )
    }
  }
  const maxAge = o.maxAge ?? 31536000
  if (!Number.isSafeInteger(maxAge) || maxAge < 0)
    bad('hsts.maxAge must be a whole number of seconds, 0 or more.')
  const sub = flag('hsts.includeSubDomains', o.includeSubDomains, true)
  const preload = flag('hsts.preload', o.preload, false)
  if (preload && (!sub || maxAge < 31536000)) {
    bad(
      'hsts.preload needs includeSubDomains and a maxAge of at least 31536000 (hstspreload.org refuses less).'
    )
  }
  return `max-age=${maxAge}${sub ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`
}

const FEATURE = /^[a-z][a-z0-9-]*$/

function permissionsValue(value: unknown): string | null {
  if (value === undefined || value === false) return null
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('permissionsPolicy must be an object of feature → allowlist, or false.')
  }
  const items: string[] = []
  for (const [rawName, list] of Object.entries(value)) {
    const name = rawName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    if (!FEATURE.test(name))
      bad(`permissionsPolicy: ${JSON.stringify(rawName)} is not a feature name.`)
    if (list === '*') {
      items.push(`${name}=*`)
      continue
    }
    if (!Array.isArray(list))
      bad(`permissionsPolicy.${rawName} must be '*' or a list of 'self', 'src' and origins.`)
    const members = (list as readonly unknown[]).map((m) => {
      if (m === 'self' || m === 'src') return m
      if (m === '*') bad(`permissionsPolicy.${rawName}: write '*' alone, not inside a list.`)
      if (typeof m !== 'string' || !isOrigin(m)) {
        bad(
          `permissionsPolicy.${rawName}: ${JSON.stringify(
            m
          )} is not 'self', 'src' or an origin like "https://example.com".`
        )
      }
      return `"${m}"`
    })
    items.push(`${name}=(${members.join(' ')})`)
  }
  if (items.length === 0) bad('permissionsPolicy is empty; give features or false.')
  return items.join(', ')
}

/** Whether `value` is exactly a serialized http(s) origin (`https://host[:port]`). */
export function isOrigin(value: string): boolean {
  if (!/^https?:\/\/[^/?#@\s]+$/.test(value)) return false
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}

interface Redirect {
  status: 301 | 308
  host: string | undefined
  port: string
  exempt: readonly RegExp[]
}

const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/

function redirectOptions(value: unknown): Redirect | null {
  if (value === undefined || value === false) return null
  const o = (value === true ? {} : value) as HttpsRedirectOptions
  if (typeof o !== 'object' || o === null) bad('httpsRedirect must be a boolean or an object.')
  for (const key of Object.keys(o)) {
    if (key !== 'status' && key !== 'host' && key !== 'port' && key !== 'exempt') {
      bad(
        `httpsRedirect: unknown option ${JSON.stringify(
          key
        )}; the options are status, host, port, exempt.`
      )
    }
  }
  const status = o.status ?? 301
  if (status !== 301 && status !== 308) bad('httpsRedirect.status must be 301 or 308.')
  if (o.host !== undefined && (typeof o.host !== 'string' || !HOST.test(o.host.toLowerCase()))) {
    bad(
      `httpsRedirect.host must be a host name without scheme or port, got ${JSON.stringify(
        o.host
      )}.`
    )
  }
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) {
    bad('httpsRedirect.port must be a port number (1-65535).')
  }
  const exempt = o.exempt ?? []
  if (!Array.isArray(exempt) || !exempt.every((r) => r instanceof RegExp)) {
    bad('httpsRedirect.exempt must be a list of regular expressions.')
  }
  return {
    status,
    host: o.host?.toLowerCase(),
    port: o.port === undefined || o.port === 443 ? '' : `:${o.port}`,
    exempt,
  }
}

/** The host without its port (`example.com:8080` → `example.com`, `[::1]:80` → `[::1]`). */
function stripPort(host: string): string {
  const colon = host.lastIndexOf(':')
  if (colon === -1 || host.lastIndexOf(']') > colon) return host
  return host.slice(0, colon)
}

const UNSAFE_TARGET = /[^\x21-\x7e]/
const NO_HOST = 'The request has no Host to redirect to over HTTPS.'

function redirectResponse(request: CycleRequest, r: Redirect): CycleResponse | undefined {
  if (r.exempt.length > 0) {
    const p = request.path
    for (const re of r.exempt) if (re.test(p)) return undefined
  }
  let host = r.host
  if (host === undefined) {
    // Core checked this host against `allowedHosts` (and refused a malformed one) before any
    // middleware ran: redirecting there cannot send the client to a host the app does not serve.
    const h = request.host
    // HTTP/1.0 without Host, with `allowedHosts: ['*']`: nowhere to send it. Answered rather than
    // thrown, so this middleware's response hook still puts the headers on the 400.
    if (h === '') return problem({ title: 'Bad Request', status: 400, detail: NO_HOST })
    host = stripPort(h)
  }
  let target = request.target
  if (target.charCodeAt(0) !== 47 /* / */) target = '/'
  else if (UNSAFE_TARGET.test(target)) {
    target = target.replace(/[^\x21-\x7e]/g, (c) => {
      const code = c.charCodeAt(0)
      return code <= 0xff
        ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
        : encodeURIComponent(c)
    })
  }
  const m = request.method
  const res = new CycleResponse(null, { status: m === 'GET' || m === 'HEAD' ? r.status : 308 })
  res.headers.set('location', `https://${host}${r.port}${target}`)
  return res
}

/** Constant headers, prebuilt: names to check, and the map merged when none is set yet. */
interface HeaderSet {
  names: readonly string[]
  values: readonly string[]
  map: HeaderMap
}

function headerSet(pairs: readonly (readonly [string, string])[]): HeaderSet {
  const map = new CycleResponse(null).headers
  for (const [name, value] of pairs) map.set(name, value)
  return { names: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]), map }
}

/** Adds the set's headers a view has not set itself. */
function apply(h: HeaderMap, set: HeaderSet): void {
  const names = set.names
  for (let i = 0; i < names.length; i++) {
    if (h.has(names[i] as string)) {
      // Rare: the view chose some of these. Keep its values, add the rest one by one.
      for (let j = i + 1; j < names.length; j++) {
        const name = names[j] as string
        if (!h.has(name)) h.set(name, set.values[j] as string)
      }
      for (let j = 0; j < i; j++) h.set(names[j] as string, set.values[j] as string)
      return
    }
  }
  // Common: none set. One merge copies the prebuilt fields without checking them again.
  h.merge(set.map)
}

/**
 * Security headers for every response (errors included): Django's `SecurityMiddleware` and
 * Helmet's set. HSTS only on HTTPS requests, as the gateway reports them (`request.secure`,
 * which follows `X-Forwarded-Proto` / `Forwarded` only from proxies in `trustProxy`); an optional
 * Content-Security-Policy with a per-request nonce on `request.state.cspNonce`; an optional
 * redirect to HTTPS. Options are checked at creation (`ImproperlyConfigured`, `ERR_BAD_OPTION`).
 *
 * Place it first in the middleware list, so that its response hook runs on every answer the
 * other middlewares make.
 *
 * @example
 * ```ts
 * import { createApp, html, path } from '@cycle/core'
 * import { securityHeaders } from '@cycle/middleware-security'
 *
 * const app = createApp({
 *   middleware: [
 *     securityHeaders({
 *       contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"] }, nonce: true },
 *     }),
 *   ] as const,
 *   urls: [path('', (req) => html(`<script nonce="${req.state.cspNonce}">go()</script>`))],
 * })
 * ```
 */
export function securityHeaders<const O extends SecurityHeadersOptions = SecurityHeadersOptions>(
  options?: O
): Middleware<SecurityHeadersState<O>> {
  const o: SecurityHeadersOptions = options ?? {}
  if (typeof o !== 'object' || o === null) bad('options must be an object.')
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key))
      bad(`unknown option ${JSON.stringify(key)}; the options are ${KNOWN.join(', ')}.`)
  }
  const pairs: [string, string][] = []
  const add = (name: string, value: string | false | null): void => {
    if (value !== false && value !== null) pairs.push([name, value])
  }
  if (flag('contentTypeOptions', o.contentTypeOptions, true))
    add('x-content-type-options', 'nosniff')
  const referrer = o.referrerPolicy ?? 'no-referrer'
  if (referrer !== false) {
    const list = typeof referrer === 'string' ? [referrer] : referrer
    if (!Array.isArray(list) || list.length === 0)
      bad('referrerPolicy must be a token, a non-empty list of tokens, or false.')
    for (const t of list as readonly unknown[]) oneOf('referrerPolicy', t, REFERRER, false)
    add('referrer-policy', list.join(', '))
  }
  add('x-frame-options', oneOf('frameOptions', o.frameOptions, ['DENY', 'SAMEORIGIN'], 'DENY'))
  add(
    'cross-origin-opener-policy',
    oneOf(
      'crossOriginOpenerPolicy',
      o.crossOriginOpenerPolicy,
      ['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none'],
      'same-origin'
    )
  )
  add(
    'cross-origin-resource-policy',
    oneOf(
      'crossOriginResourcePolicy',
      o.crossOriginResourcePolicy,
      ['same-origin', 'same-site', 'cross-origin'],
      'same-origin'
    )
  )
  add(
    'cross-origin-embedder-policy',
    oneOf(
      'crossOriginEmbedderPolicy',
      o.crossOriginEmbedderPolicy,
      ['require-corp', 'credentialless', 'unsafe-none'],
      false
    )
  )
  if (flag('originAgentCluster', o.originAgentCluster, true)) add('origin-agent-cluster', '?1')
  add(
    'x-dns-prefetch-control',
    oneOf('dnsPrefetchControl', o.dnsPrefetchControl, ['on', 'off'], 'off')
  )
  if (flag('downloadOptions', o.downloadOptions, true)) add('x-download-options', 'noopen')
  add(
    'x-permitted-cross-domain-policies',
    oneOf(
      'permittedCrossDomainPolicies',
      o.permittedCrossDomainPolicies,
      ['none', 'master-only', 'by-content-type', 'all'],
      'none'
    )
  )
  if (flag('xssProtection', o.xssProtection, true)) add('x-xss-protection', '0')
  add('permissions-policy', permissionsValue(o.permissionsPolicy))

  const csp =
    o.contentSecurityPolicy === undefined || o.contentSecurityPolicy === false
      ? null
      : compileCsp(o.contentSecurityPolicy)
  const nonce = csp !== null && csp.parts.length > 1
  if (csp !== null && !nonce) add(csp.name, csp.parts[0] as string)
  const cspName = csp === null ? '' : csp.name
  const cspParts = csp === null ? [] : csp.parts

  const hsts = hstsValue(o.hsts)
  const plain = headerSet(pairs)
  const secure = hsts === null ? plain : headerSet([...pairs, ['strict-transport-security', hsts]])
  const redirect = redirectOptions(o.httpsRedirect)

  const hooks: HookMiddleware<{ cspNonce: string }> = {
    name: 'securityHeaders',
    response(req, res) {
      const h = res.headers
      apply(h, req.secure ? secure : plain)
      if (nonce) {
        const value = req.state.cspNonce
        if (value !== undefined && !h.has(cspName)) h.set(cspName, withNonce(cspParts, value))
      }
      return undefined
    },
  }
  // A request hook only when there is request work: no redirect and no nonce, no hook to call.
  if (redirect !== null || nonce) {
    hooks.request = function securityRequest(req) {
      if (redirect !== null && !req.secure) {
        const res = redirectResponse(req, redirect)
        if (res !== undefined) return res
      }
      if (nonce) req.state.cspNonce = createNonce()
      return undefined
    }
  }
  const middleware = defineMiddleware(hooks)
  return middleware as unknown as Middleware<SecurityHeadersState<O>>
}

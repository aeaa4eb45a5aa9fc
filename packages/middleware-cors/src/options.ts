/**
 * @module
 * Options of the CORS middleware, validated eagerly: a typo, a wildcard with credentials or an
 * origin with a path fails at startup, not per request.
 */
import { ImproperlyConfigured, type CycleRequest, type MaybePromise, isToken } from '@cycle/core'
import { canonicalOrigin } from './origin'

/**
 * Decides per request whether `origin` may read the answer. Called only with a well-formed
 * serialized origin (`scheme://host[:port]`), never with the opaque origin `null`. Only `true`
 * allows; anything else (`false`, `undefined`, a string) refuses. It may return a promise; a
 * throw or a rejection is a 500 without CORS headers (fail closed).
 */
export type OriginFunction = (origin: string, request: CycleRequest) => MaybePromise<boolean>

/**
 * Which origins may read answers:
 *
 * - `'*'`: any origin (never with `credentials`);
 * - an origin string (`'https://app.example.com'`) or `'null'`;
 * - a RegExp tested against the request's `Origin` (anchor it: `/^https:\/\/[a-z]+\.example\.com$/`);
 * - a list of origin strings and RegExps;
 * - an {@link OriginFunction}, deciding per request.
 */
export type OriginOption = string | RegExp | readonly (string | RegExp)[] | OriginFunction

/** Options of {@link cors}. */
export interface CorsOptions {
  /** Which origins may read answers. Required: there is no default policy. */
  origin: OriginOption
  /**
   * Methods a preflight may ask for (`Access-Control-Request-Method`, compared exactly after
   * upper-casing this list). Default `['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']`.
   */
  methods?: readonly string[]
  /**
   * Request headers a preflight is told the actual request may send
   * (`Access-Control-Allow-Headers`): a list, or `'reflect'` to echo the preflight's
   * `Access-Control-Request-Headers` (with `Vary: Access-Control-Request-Headers`).
   * Default `['Accept', 'Authorization', 'Content-Type', 'X-Requested-With']`.
   */
  allowedHeaders?: readonly string[] | 'reflect'
  /** Response headers scripts may read beyond the safelisted ones (`Access-Control-Expose-Headers`). Default none. */
  exposedHeaders?: readonly string[]
  /** Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth). Default `false`. */
  credentials?: boolean
  /** How long a browser may cache a preflight, in seconds (`Access-Control-Max-Age`). Default `7200`. */
  maxAge?: number
  /**
   * Answer Private Network Access preflights (`Access-Control-Request-Private-Network: true`)
   * with `Access-Control-Allow-Private-Network: true`. Default `false`.
   */
  privateNetwork?: boolean
}

/** How origins are matched, decided once. */
export type OriginMatcher =
  | { kind: 'any' }
  | {
      kind: 'list'
      /** Canonical origin → itself (the value sent back, shared). */
      exact: Map<string, string>
      patterns: readonly RegExp[]
    }
  | { kind: 'function'; decide: OriginFunction }

/** Options with defaults applied and header values joined once. */
export interface ResolvedCorsOptions {
  origin: OriginMatcher
  methods: ReadonlySet<string>
  /** `Access-Control-Allow-Methods`. */
  allowMethods: string
  /** `Access-Control-Allow-Headers`, `''` for none, or `null` to reflect. */
  allowHeaders: string | null
  /** `Access-Control-Expose-Headers`, or `''` for none. */
  exposeHeaders: string
  credentials: boolean
  /** `Access-Control-Max-Age`. */
  maxAge: string
  privateNetwork: boolean
}

const KNOWN: readonly string[] = [
  'origin',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'privateNetwork',
]

const DEFAULT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']
const DEFAULT_HEADERS: readonly string[] = [
  'Accept',
  'Authorization',
  'Content-Type',
  'X-Requested-With',
]

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `cors(): ${message}`)
}

function tokenList(name: string, value: unknown, credentials: boolean): readonly string[] {
  if (!Array.isArray(value)) bad(`${name} must be a list of header names.`)
  const list = value as unknown[]
  const seen = new Set<string>()
  for (const item of list) {
    if (typeof item !== 'string' || (item !== '*' && !isToken(item))) {
      bad(`${name}: ${JSON.stringify(item)} is not a header name.`)
    }
    if (item === '*' && credentials) {
      bad(
        `${name}: '*' means "every header" only without credentials; with credentials: true browsers read it as a header named "*". List the headers.`
      )
    }
    const lower = item.toLowerCase()
    if (seen.has(lower)) bad(`${name}: ${JSON.stringify(item)} is listed twice.`)
    seen.add(lower)
  }
  return list as string[]
}

function checkPattern(re: RegExp, where: string): RegExp {
  if (re.global || re.sticky) {
    bad(
      `${where}: the RegExp ${String(re)} has the ${
        re.global ? 'g' : 'y'
      } flag, which makes test() remember lastIndex between requests (every other request would be refused); drop the flag.`
    )
  }
  return re
}

function resolveOrigin(origin: unknown, credentials: boolean): OriginMatcher {
  if (origin === undefined) {
    bad(
      "origin is required: a list of origins (['https://app.example.com']), a RegExp, a function (origin, request) => boolean, or '*' for any origin without credentials."
    )
  }
  if (typeof origin === 'function') return { kind: 'function', decide: origin as OriginFunction }
  if (origin === '*') {
    if (credentials) {
      bad(
        "origin '*' cannot be combined with credentials: true: browsers refuse a wildcard on credentialed requests, and reflecting any origin instead would let every site read your users' data. List the origins that may send credentials."
      )
    }
    return { kind: 'any' }
  }
  if (origin === true || origin === false) {
    bad(
      `origin: ${String(
        origin
      )} is not supported: reflecting every origin is what '*' says without its safety. Use '*', a list, a RegExp or a function.`
    )
  }
  const items: unknown[] =
    typeof origin === 'string' || origin instanceof RegExp
      ? [origin]
      : Array.isArray(origin)
      ? (origin as unknown[])
      : bad(
          `origin must be a string, a RegExp, a list of them or a function, got ${
            origin === null ? 'null' : typeof origin
          }.`
        )
  if (items.length === 0) bad('origin: the list is empty, so no origin would ever be allowed.')
  const exact = new Map<string, string>()
  const patterns: RegExp[] = []
  items.forEach((item, i) => {
    const where = Array.isArray(origin) ? `origin[${i}]` : 'origin'
    if (item instanceof RegExp) {
      patterns.push(checkPattern(item, where))
      return
    }
    if (typeof item !== 'string') bad(`${where} must be an origin string or a RegExp.`)
    if (item === '*') {
      bad(`${where}: '*' stands alone (origin: '*'), never inside a list.`)
    }
    const c = canonicalOrigin(item)
    if ('error' in c) bad(`${where}: ${JSON.stringify(item)} is not an origin: ${c.error}.`)
    if (c.origin === 'null' && credentials) {
      bad(
        `${where}: 'null' cannot be combined with credentials: true: null is the origin of every sandboxed iframe and data: document, which any site can create, so it would let any site read your users' data.`
      )
    }
    if (exact.has(c.origin)) bad(`${where}: ${JSON.stringify(item)} is listed twice.`)
    exact.set(c.origin, c.origin)
  })
  return { kind: 'list', exact, patterns }
}

/** Checks options and fills in defaults; throws `ImproperlyConfigured` (`ERR_BAD_OPTION`). */
export function resolveOptions(options: CorsOptions): ResolvedCorsOptions {
  if (typeof options !== 'object' || options === null) {
    bad("options are required: cors({ origin: ['https://app.example.com'] }).")
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      bad(`unknown option ${JSON.stringify(key)}; the options are ${KNOWN.join(', ')}.`)
    }
  }
  const { credentials = false, privateNetwork = false, maxAge = 7200 } = options
  if (typeof credentials !== 'boolean') bad('credentials must be a boolean.')
  if (typeof privateNetwork !== 'boolean') bad('privateNetwork must be a boolean.')
  if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 0) {
    bad(`maxAge must be a whole number of seconds ≥ 0, got ${JSON.stringify(maxAge)}.`)
  }
  const origin = resolveOrigin(options.origin, credentials)

  const methodList = options.methods ?? DEFAULT_METHODS
  if (!Array.isArray(methodList) || methodList.length === 0) {
    bad("methods must be a non-empty list of methods (['GET', 'POST']).")
  }
  const methods = new Set<string>()
  for (const m of methodList as unknown[]) {
    if (typeof m !== 'string' || !isToken(m)) bad(`methods: ${JSON.stringify(m)} is not a method.`)
    if (m === '*') {
      bad("methods: '*' is not supported; list the methods (a preflight asks for one at a time).")
    }
    const upper = m.toUpperCase()
    if (methods.has(upper)) bad(`methods: ${JSON.stringify(m)} is listed twice.`)
    methods.add(upper)
  }

  let allowHeaders: string | null
  const ah = options.allowedHeaders ?? DEFAULT_HEADERS
  if (ah === 'reflect') allowHeaders = null
  else if (typeof ah === 'string') {
    bad(`allowedHeaders must be a list of header names or 'reflect', got ${JSON.stringify(ah)}.`)
  } else allowHeaders = tokenList('allowedHeaders', ah, credentials).join(', ')

  const exposeHeaders = tokenList('exposedHeaders', options.exposedHeaders ?? [], credentials).join(
    ', '
  )

  return {
    origin,
    methods,
    allowMethods: [...methods].join(', '),
    allowHeaders,
    exposeHeaders,
    credentials,
    maxAge: String(maxAge),
    privateNetwork,
  }
}

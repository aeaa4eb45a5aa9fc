/**
 * @module
 * A small response header map. It is cheaper than WHATWG `Headers` on the hot path (a plain
 * object under the hood, written to `node:http` in one `writeHead` call) and keeps repeated
 * `Set-Cookie` values apart, which a folded header line cannot do (RFC 6265 §3).
 */
import { ImproperlyConfigured } from './codes'

/** Anything the response helpers accept as headers. */
export type HeadersInit =
  | HeaderMap
  | Headers
  | Record<string, string | readonly string[] | undefined>
  | Iterable<readonly [string, string]>

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Whether `value` is an RFC 9110 §5.6.2 `token`: one or more of the letters, digits and
 * ``!#$%&'*+-.^_`|~``. Header names, methods, media-type and parameter names, authentication
 * schemes, cookie names and `Vary` members are tokens; checking options against it at startup
 * turns a typo into an error instead of a header that peers refuse.
 *
 * @param value the candidate
 * @returns whether it is a non-empty token
 * @example
 * ```ts
 * isToken('X-Request-Id') // true
 * isToken('bad name') // false
 * ```
 */
export function isToken(value: string): boolean {
  return TOKEN.test(value)
}

/**
 * Checked names and their lower-case form. Header names are nearly always literals in the code,
 * so a few dozen entries cover an app, and a hit (the literal's hash is cached) is cheaper than
 * the token regex plus `toLowerCase()` on every `set()`. Bounded: names built from input cannot
 * grow it without limit.
 */
const NAMES = new Map<string, string>()
const NAMES_MAX = 512
for (const name of [
  'allow',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-length',
  'content-type',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'server-timing',
  'set-cookie',
  'vary',
  'www-authenticate',
]) {
  NAMES.set(name, name)
}

function checkName(name: string): string {
  const known = NAMES.get(name)
  if (known !== undefined) return known
  if (!TOKEN.test(name)) {
    throw new ImproperlyConfigured('ERR_BAD_HEADER', `Invalid header name ${JSON.stringify(name)}.`)
  }
  const lower = name.toLowerCase()
  if (NAMES.size < NAMES_MAX) NAMES.set(name, lower)
  return lower
}

/** `name` in lower case (a checked name from the cache, else `toLowerCase()`). */
function lowerName(name: string): string {
  return NAMES.get(name) ?? name.toLowerCase()
}

/**
 * Whether a field value holds CR, LF or NUL, which RFC 9110 §5.5 forbids: refusing them stops
 * header injection. A loop rather than a regular expression: values are short, and a regex test
 * costs a builtin call on every `set()`.
 */
function hasBadChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c <= 13 && (c === 13 || c === 10 || c === 0)) return true
  }
  return false
}

function checkValue(name: string, value: string): string {
  if (hasBadChar(value)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_HEADER',
      `The value of header "${name}" contains CR, LF or NUL; refusing it to prevent header injection.`
    )
  }
  return value
}

/** Whether a `Vary` value lists `name` (ASCII case-insensitive) or is `*`. */
function listsField(list: string, name: string): boolean {
  const lower = name.toLowerCase()
  for (const part of list.split(',')) {
    const p = part.trim().toLowerCase()
    if (p === lower || p === '*') return true
  }
  return false
}

/**
 * A fast-mode object with no inherited keys. `Object.create(null)` would give a dictionary-mode
 * object, measurably slower to fill and for `node:http`'s `writeHead` to walk (callgrind: about
 * 5% of a request's instructions); a constructor whose prototype has no prototype stays fast and
 * still cannot be polluted through `__proto__`.
 */
const FieldMap = function FieldMap(this: object) {} as unknown as new () => Record<string, string>
FieldMap.prototype = Object.create(null) as object

/**
 * Response headers: case-insensitive, with `Set-Cookie` kept as a list.
 * Names are stored lower-cased (HTTP/2 requires it, HTTP/1.1 does not care).
 */
export class HeaderMap implements Iterable<[string, string]> {
  /** @internal plain field map, lower-case names → value; read by the gateways. */
  _map: Record<string, string> = new FieldMap()
  /** @internal the `set-cookie` values, kept apart. */
  _cookies: string[] | undefined = undefined

  constructor(init?: HeadersInit) {
    if (init !== undefined) this.merge(init)
  }

  /** Adds every header of `init`, replacing fields of the same name (cookies are appended). */
  merge(init: HeadersInit): this {
    if (init instanceof HeaderMap) {
      for (const k in init._map) this._map[k] = init._map[k] as string
      if (init._cookies) for (const c of init._cookies) this.append('set-cookie', c)
    } else if (typeof Headers !== 'undefined' && init instanceof Headers) {
      init.forEach((v, k) => {
        if (k !== 'set-cookie') this._map[k] = v
      })
      for (const c of init.getSetCookie()) this.append('set-cookie', c)
    } else if (Symbol.iterator in init) {
      for (const [k, v] of init as Iterable<readonly [string, string]>) this.append(k, v)
    } else {
      const rec = init as Record<string, string | readonly string[] | undefined>
      for (const k in rec) {
        const v = rec[k]
        if (v === undefined) continue
        if (typeof v === 'string') this.set(k, v)
        else for (const item of v) this.append(k, item)
      }
    }
    return this
  }

  /** The value of `name`, or `null`. Several `Set-Cookie` values are joined with `, `. */
  get(name: string): string | null {
    const key = lowerName(name)
    if (key === 'set-cookie') return this._cookies ? this._cookies.join(', ') : null
    return this._map[key] ?? null
  }

  /** Sets `name` to `value`, replacing any previous value. */
  set(name: string, value: string): this {
    const key = checkName(name)
    checkValue(name, value)
    if (key === 'set-cookie') this._cookies = [value]
    else this._map[key] = value
    return this
  }

  /** Adds a value: `Set-Cookie` gets its own line, other fields are joined with `, `. */
  append(name: string, value: string): this {
    const key = checkName(name)
    checkValue(name, value)
    if (key === 'set-cookie') (this._cookies ??= []).push(value)
    else {
      const prev = this._map[key]
      this._map[key] = prev === undefined ? value : `${prev}, ${value}`
    }
    return this
  }

  /**
   * Adds `name` to the `Vary` field unless it is listed already (case-insensitively) or `Vary`
   * is `*`: the tool of every middleware whose answer depends on a request field (negotiation
   * by `Accept`, CORS by `Origin`, compression by `Accept-Encoding`). Django's
   * `patch_vary_headers()`.
   *
   * @param name a request field name (a token)
   * @throws {ImproperlyConfigured} `ERR_BAD_HEADER` when `name` is not a field name
   * @example
   * ```ts
   * res.headers.vary('Accept') // Vary: Accept
   * res.headers.vary('accept') // unchanged
   * res.headers.vary('Origin') // Vary: Accept, Origin
   * ```
   */
  vary(name: string): this {
    checkName(name)
    const map = this._map
    const current = map['vary']
    if (current === undefined) map['vary'] = name
    else if (!listsField(current, name)) map['vary'] = `${current}, ${name}`
    return this
  }

  /** Whether `name` is set. */
  has(name: string): boolean {
    const key = lowerName(name)
    return key === 'set-cookie' ? this._cookies !== undefined : key in this._map
  }

  /** Removes `name`. */
  delete(name: string): this {
    const key = lowerName(name)
    if (key === 'set-cookie') this._cookies = undefined
    // `delete` of an absent member still takes the runtime's slow path: look first.
    else if (this._map[key] !== undefined) delete this._map[key]
    return this
  }

  /** Every `Set-Cookie` value, one per cookie. */
  getSetCookie(): string[] {
    return this._cookies ? this._cookies.slice() : []
  }

  /** Every field as `[name, value]`, with one entry per `Set-Cookie`. */
  *entries(): IterableIterator<[string, string]> {
    for (const k in this._map) yield [k, this._map[k] as string]
    if (this._cookies) for (const c of this._cookies) yield ['set-cookie', c]
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  /** Calls `fn` for each field (one call per `Set-Cookie`). */
  forEach(fn: (value: string, name: string) => void): void {
    for (const [k, v] of this.entries()) fn(v, k)
  }

  /** A WHATWG `Headers` copy (for `fetch`-style gateways). */
  toHeaders(): Headers {
    const h = new Headers()
    for (const k in this._map) h.set(k, this._map[k] as string)
    if (this._cookies) for (const c of this._cookies) h.append('set-cookie', c)
    return h
  }

  /** Every field as `[name, value]` pairs, one pair per `Set-Cookie` (a `HeadersInit`). */
  toPairs(): [string, string][] {
    const out: [string, string][] = []
    for (const k in this._map) out.push([k, this._map[k] as string])
    if (this._cookies) for (const c of this._cookies) out.push(['set-cookie', c])
    return out
  }

  /** A plain object copy; `set-cookie` is an array when present. */
  toJSON(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = { ...this._map }
    if (this._cookies) out['set-cookie'] = this._cookies.slice()
    return out
  }
}

/**
 * The live field map of `headers`: lower-case names to values, `Set-Cookie` excluded. A gateway
 * hands it to the platform in one call (node's `writeHead`, a `Response`'s `HeadersInit`) and may
 * add framing fields to it (`content-length`, `connection`); what it writes there is not
 * validated, so only framing values the gateway computed itself belong there. Gateways only.
 */
export function headerFields(headers: HeaderMap): Record<string, string> {
  return headers._map
}

/** The live `Set-Cookie` values of `headers`, one per cookie (read, do not change), or `undefined`. */
export function headerCookies(headers: HeaderMap): string[] | undefined {
  return headers._cookies
}

/**
 * @module
 * The Content-Security-Policy builder: a directives object becomes one header string, checked
 * once at startup (unknown directive names, separators or line breaks in a source value, unquoted
 * keywords), plus the per-request nonce.
 */
import { ImproperlyConfigured } from '@cycle/core'

/** A directive's value: a source list, `true` for a directive without value, `false` to drop it. */
export type CspValue = readonly string[] | boolean

/**
 * CSP directives, by name: kebab-case (`'script-src'`) or camelCase (`scriptSrc`). Source lists
 * are written as in the header, keywords quoted: `["'self'", 'https://cdn.example.com']`.
 */
export type CspDirectives = Readonly<Record<string, CspValue | undefined>>

/** The directives a nonce can be added to. */
export type CspNonceDirective = 'script-src' | 'script-src-elem' | 'style-src' | 'style-src-elem'

/** Options of the `contentSecurityPolicy` member of `securityHeaders()`. */
export interface CspOptions {
  /** The policy. Unknown directive names are refused at startup. */
  directives: CspDirectives
  /**
   * Send `Content-Security-Policy-Report-Only` instead of `Content-Security-Policy`: the browser
   * reports violations (to `report-uri` / `report-to`) and blocks nothing. Default `false`.
   */
  reportOnly?: boolean
  /**
   * Add a fresh `'nonce-…'` source per request and expose it as `request.state.cspNonce`.
   * `true` adds it to whichever of `script-src` and `style-src` the policy has; a list names the
   * directives (each must be in `directives`). Default `false`.
   */
  nonce?: boolean | readonly CspNonceDirective[]
}

/** The directive names of CSP Level 3 and its current extensions (lower-case, kebab-case). */
export const CSP_DIRECTIVES: ReadonlySet<string> = new Set([
  'base-uri',
  'block-all-mixed-content',
  'child-src',
  'connect-src',
  'default-src',
  'fenced-frame-src',
  'font-src',
  'form-action',
  'frame-ancestors',
  'frame-src',
  'img-src',
  'manifest-src',
  'media-src',
  'object-src',
  'report-to',
  'report-uri',
  'require-trusted-types-for',
  'sandbox',
  'script-src',
  'script-src-attr',
  'script-src-elem',
  'style-src',
  'style-src-attr',
  'style-src-elem',
  'trusted-types',
  'upgrade-insecure-requests',
  'worker-src',
  'webrtc',
])

/** Directives written without a value (`true`), never with a list. */
const VALUELESS: ReadonlySet<string> = new Set([
  'upgrade-insecure-requests',
  'block-all-mixed-content',
])

/** Directives whose value is a token list rather than sources (may be empty with `true`). */
const TOKEN_LISTS: ReadonlySet<string> = new Set(['sandbox', 'trusted-types'])

/** Keywords that must be single-quoted in a source list. */
const KEYWORDS: ReadonlySet<string> = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'unsafe-hashes',
  'strict-dynamic',
  'report-sample',
  'wasm-unsafe-eval',
  'inline-speculation-rules',
])

const NONCE_DIRECTIVES: readonly CspNonceDirective[] = [
  'script-src',
  'script-src-elem',
  'style-src',
  'style-src-elem',
]

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `contentSecurityPolicy: ${message}`)
}

/** `scriptSrc` → `script-src`; kebab-case names are returned lower-cased. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).toLowerCase()
}

/**
 * Whether a source value is safe to place in the header: printable ASCII without whitespace,
 * `;` (ends the directive) or `,` (starts another policy). CR and LF are below the range.
 */
const SOURCE = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+$/

function checkSource(directive: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    bad(`${directive}: sources must be non-empty strings, got ${JSON.stringify(value)}.`)
  }
  if (!SOURCE.test(value)) {
    bad(
      `${directive}: ${JSON.stringify(value)} holds a space, ';', ',', a line break or a ` +
        `non-ASCII character; each source is one token (a ';' or ',' would inject a directive or a policy).`
    )
  }
  if (KEYWORDS.has(value.toLowerCase())) {
    bad(
      `${directive}: write the keyword ${JSON.stringify(value)} with single quotes: "'${value}'".`
    )
  }
  if (/^'nonce-/i.test(value)) {
    bad(
      `${directive}: do not write a fixed nonce; use { nonce: true } for a fresh one per request.`
    )
  }
  return value
}

/** A compiled policy: the header name and the value split where the nonce goes. */
export interface CompiledCsp {
  /** `content-security-policy` or `content-security-policy-report-only`. */
  readonly name: string
  /** The header value pieces; the nonce goes between consecutive pieces. One piece: no nonce. */
  readonly parts: readonly string[]
}

/** Checks a directives object and builds the header, with a nonce slot where asked. */
export function compileCsp(options: CspOptions): CompiledCsp {
  if (typeof options !== 'object' || options === null) bad('must be an object or false.')
  for (const key of Object.keys(options)) {
    if (key !== 'directives' && key !== 'reportOnly' && key !== 'nonce') {
      bad(`unknown option ${JSON.stringify(key)}; the options are directives, reportOnly, nonce.`)
    }
  }
  const { directives, reportOnly = false, nonce = false } = options
  if (typeof reportOnly !== 'boolean') bad('reportOnly must be a boolean.')
  if (typeof directives !== 'object' || directives === null || Array.isArray(directives)) {
    bad('directives must be an object of directive name → source list.')
  }
  const lists = new Map<string, string[] | true>()
  for (const rawName of Object.keys(directives)) {
    const name = kebab(rawName)
    if (!CSP_DIRECTIVES.has(name)) {
      bad(`unknown directive ${JSON.stringify(rawName)}; known: ${[...CSP_DIRECTIVES].join(', ')}.`)
    }
    if (lists.has(name)) bad(`directive ${name} is given twice (${JSON.stringify(rawName)}).`)
    const value = directives[rawName]
    if (value === undefined || value === false) continue
    if (value === true) {
      if (!VALUELESS.has(name) && !TOKEN_LISTS.has(name)) {
        bad(`${name} needs a source list, not true.`)
      }
      lists.set(name, true)
      continue
    }
    if (!Array.isArray(value)) bad(`${name} must be a list of sources, true or false.`)
    if (VALUELESS.has(name)) bad(`${name} takes no value; write ${JSON.stringify(rawName)}: true.`)
    const sources = (value as readonly unknown[]).map((v) => checkSource(name, v))
    if (sources.length === 0 && !TOKEN_LISTS.has(name)) {
      bad(`${name} has an empty list; write ["'none'"] to allow nothing.`)
    }
    if (sources.includes("'none'") && sources.length > 1) {
      bad(`${name}: 'none' cannot be combined with other sources.`)
    }
    lists.set(name, sources)
  }
  if (lists.size === 0) bad('directives is empty.')

  let nonceIn: readonly CspNonceDirective[]
  if (nonce === false) nonceIn = []
  else if (nonce === true) {
    nonceIn = NONCE_DIRECTIVES.filter((d) => lists.has(d))
    if (nonceIn.length === 0) {
      bad(
        'nonce: true needs a script-src or style-src (script-src-elem, style-src-elem) directive.'
      )
    }
  } else if (Array.isArray(nonce)) {
    for (const d of nonce as readonly unknown[]) {
      if (!NONCE_DIRECTIVES.includes(d as CspNonceDirective)) {
        bad(`nonce: ${JSON.stringify(d)} cannot carry a nonce; use ${NONCE_DIRECTIVES.join(', ')}.`)
      }
      if (!lists.has(d as string)) bad(`nonce: ${d as string} is not in directives.`)
    }
    nonceIn = nonce
  } else bad('nonce must be a boolean or a list of directive names.')

  const parts: string[] = []
  let current = ''
  for (const [name, value] of lists) {
    if (current !== '' || parts.length > 0) current += '; '
    if (value === true) {
      current += name
      continue
    }
    if (nonceIn.includes(name as CspNonceDirective)) {
      if (value.includes("'none'")) bad(`${name}: 'none' cannot be combined with a nonce.`)
      current += `${name} ${value.join(' ')}${value.length > 0 ? ' ' : ''}'nonce-`
      parts.push(current)
      current = "'"
      continue
    }
    current += value.length === 0 ? name : `${name} ${value.join(' ')}`
  }
  parts.push(current)
  return {
    name: reportOnly ? 'content-security-policy-report-only' : 'content-security-policy',
    parts,
  }
}

/**
 * Builds a Content-Security-Policy header value from a directives object, checked as
 * `securityHeaders()` checks it (throws `ImproperlyConfigured` on an unknown directive, a source
 * with `;`, `,`, whitespace or a line break, an unquoted keyword).
 *
 * @example
 * ```ts
 * buildCsp({ defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: true })
 * // "default-src 'self'; img-src 'self' data:; upgrade-insecure-requests"
 * ```
 */
export function buildCsp(directives: CspDirectives): string {
  return compileCsp({ directives }).parts.join('')
}

/** Joins compiled parts around one nonce. */
export function withNonce(parts: readonly string[], nonce: string): string {
  let out = parts[0] as string
  for (let i = 1; i < parts.length; i++) out += nonce + (parts[i] as string)
  return out
}

// ── nonces ─────────────────────────────────────────────────────────────────────────────────────

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const NONCE_BYTES = 16
/** Random bytes drawn 256 nonces at a time: one `getRandomValues` call per 256 requests. */
const pool = new Uint8Array(NONCE_BYTES * 256)
let poolAt = pool.length

/**
 * A fresh nonce: 128 random bits from WebCrypto's `crypto.getRandomValues`, base64-encoded
 * (24 characters). Each byte of the pool is used once.
 */
export function createNonce(): string {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool)
    poolAt = 0
  }
  const p = poolAt
  poolAt += NONCE_BYTES
  let out = ''
  for (let i = p; i < p + 15; i += 3) {
    const n = ((pool[i] as number) << 16) | ((pool[i + 1] as number) << 8) | (pool[i + 2] as number)
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!
  }
  const last = pool[p + 15] as number
  return out + B64[last >> 2]! + B64[(last & 3) << 4]! + '=='
}

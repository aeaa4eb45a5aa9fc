/**
 * @module
 * Proactive content negotiation on `Accept` (RFC 9110 §12.5.1).
 *
 * The parser is a single linear scan (no backtracking regular expression sees the header), keeps
 * at most {@link MAX_RANGES} ranges and {@link MAX_PARAMS} parameters each, and drops malformed
 * ranges instead of failing: a hostile `Accept` costs time proportional to its length and can
 * only make the client's own choice worse.
 */

/** One media range of an `Accept` header. */
export interface MediaRange {
  /** Lower-cased type, or `*`. */
  readonly type: string
  /** Lower-cased subtype, or `*`. */
  readonly subtype: string
  /** Media type parameters (names lower-cased), `q` and accept-extensions excluded. */
  readonly params: Readonly<Record<string, string>>
  /** Quality weight from 0 to 1. */
  readonly q: number
}

/** Ranges kept from one header; the rest is ignored. */
export const MAX_RANGES = 64
/** Parameters kept per range. */
export const MAX_PARAMS = 8

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/
// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/

/** Splits `text` on `sep` outside quoted strings (with `\` escapes), at most `max` parts. */
function split(text: string, sep: number, max: number): string[] {
  const parts: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (quoted) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) quoted = false
    } else if (c === 34) quoted = true
    else if (c === sep) {
      parts.push(text.slice(start, i))
      start = i + 1
      if (parts.length === max) return parts
    }
  }
  parts.push(text.slice(start))
  return parts
}

function unquote(value: string): string {
  if (value.length < 2 || value.charCodeAt(0) !== 34 || value.charCodeAt(value.length - 1) !== 34) {
    return value
  }
  return value.slice(1, -1).replace(/\\(.)/g, '$1')
}

function parseRange(part: string): MediaRange | null {
  const [full = '', ...rest] = split(part, 59 /* ; */, MAX_PARAMS + 2)
  const mediaType = full.trim().toLowerCase()
  const slash = mediaType.indexOf('/')
  if (slash === -1) return null
  const type = mediaType.slice(0, slash)
  const subtype = mediaType.slice(slash + 1)
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null
  if (type === '*' && subtype !== '*') return null // `*/json` is not a media range
  const params: Record<string, string> = Object.create(null) as Record<string, string>
  let q = 1
  for (const raw of rest) {
    const eq = raw.indexOf('=')
    if (eq === -1) continue
    const name = raw.slice(0, eq).trim().toLowerCase()
    const value = unquote(raw.slice(eq + 1).trim())
    if (name === 'q') {
      if (!QVALUE.test(value)) return null // a weight we cannot read: ignore the whole range
      q = Number(value)
      break // what follows `q` is accept-ext, not media type parameters
    }
    if (TOKEN.test(name)) params[name] = value
  }
  return { type, subtype, params, q }
}

/**
 * Parses an `Accept` header into media ranges, in header order. Malformed ranges are skipped.
 *
 * @example
 * ```ts
 * parseAccept('text/html;q=0.9, application/json')
 * // [{ type: 'text', subtype: 'html', params: {}, q: 0.9 }, { type: 'application', … q: 1 }]
 * ```
 */
export function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = []
  // split() stops at the limit: whatever follows is never even looked at.
  const parts = split(header, 44 /* , */, MAX_RANGES)
  for (let i = 0; i < parts.length && i < MAX_RANGES; i++) {
    const range = parseRange(parts[i] as string)
    if (range !== null) out.push(range)
  }
  return out
}

/** How well a range matches an offer: -1 none, 0 `*\/*`, 1 `type/*`, 2+ exact (+1 per param). */
function specificity(range: MediaRange, offer: MediaRange): number {
  if (range.type === '*') return 0
  if (range.type !== offer.type) return -1
  if (range.subtype === '*') return 1
  if (range.subtype !== offer.subtype) return -1
  let score = 2
  for (const name in range.params) {
    const want = range.params[name] as string
    const have = offer.params[name]
    // Parameter values are case-insensitive for charset (RFC 9110 §8.3.2), exact otherwise.
    const same =
      have !== undefined &&
      (name === 'charset' ? have.toLowerCase() === want.toLowerCase() : have === want)
    if (!same) return -1
    score++
  }
  return score
}

/** The quality the client gives an offer and the specificity of the range that decided it. */
function quality(ranges: readonly MediaRange[], offer: MediaRange): [q: number, spec: number] {
  let best = -1
  let q = 0
  for (const range of ranges) {
    const s = specificity(range, offer)
    // The most specific range decides (RFC 9110 §12.5.1); equally specific ones: the best weight.
    if (s > best || (s === best && range.q > q)) {
      best = s
      q = range.q
    }
  }
  return [best === -1 ? 0 : q, best]
}

const offerCache = new Map<string, MediaRange | null>()

/** Offers are a handful of constant strings: parse each once. */
function parsedOffer(offer: string): MediaRange | null {
  let parsed = offerCache.get(offer)
  if (parsed === undefined) {
    parsed = parseRange(offer)
    if (offerCache.size < 256) offerCache.set(offer, parsed)
  }
  return parsed
}

/**
 * Picks the best of `offers` (media types, optionally with parameters, in server preference
 * order) for an `Accept` header. No header, or an empty one, accepts anything: the first offer.
 * Returns `null` when nothing is acceptable (every offer unmatched or refused with `q=0`).
 *
 * Ties on weight go to the offer matched by the more specific range (`text/html, *\/*` picks
 * HTML), then to server order.
 *
 * @example
 * ```ts
 * negotiate('text/*;q=0.5, application/json', ['application/json', 'text/html']) // 'application/json'
 * negotiate('image/png', ['application/json']) // null
 * ```
 */
export function negotiate(accept: string | null, offers: readonly string[]): string | null {
  if (offers.length === 0) return null
  if (accept === null || accept.trim() === '') return offers[0] as string
  const ranges = parseAccept(accept)
  // Nothing readable in the header: treat it like an absent one rather than refusing everything.
  if (ranges.length === 0) return offers[0] as string
  let chosen: string | null = null
  let bestQ = 0
  let bestSpec = -1
  for (const offer of offers) {
    const parsed = parsedOffer(offer)
    if (parsed === null) continue
    const [q, spec] = quality(ranges, parsed)
    if (q > bestQ || (q === bestQ && q > 0 && spec > bestSpec)) {
      chosen = offer
      bestQ = q
      bestSpec = spec
    }
  }
  return chosen
}

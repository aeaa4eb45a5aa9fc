/**
 * @module
 * `Accept-Encoding` negotiation (RFC 9110 §12.5.3): q-values, `*`, `identity;q=0`, `x-gzip`.
 */

/** A content coding this package can produce. */
export type Encoding = 'br' | 'zstd' | 'gzip' | 'deflate'

/** Every coding, in the default server preference (best ratio for the cost first). */
export const ENCODINGS: readonly Encoding[] = ['br', 'zstd', 'gzip', 'deflate']

// RFC 9110 §5.6.2 token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/
// RFC 9110 §12.4.2 qvalue: 0 with up to three decimals, or 1 with up to three zeros.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * Picks the coding for an `Accept-Encoding` value among `offered` (in server preference order).
 *
 * - No field (`null`) or an empty one: `null` (identity). RFC 9110 lets a server pick any coding
 *   when the field is absent, but clients that send none (curl, scripts) expect plain bytes.
 * - The highest q-value wins; equal q-values go to the server's order (`offered`). `q=0` refuses
 *   a coding. A coding not listed takes the q-value of `*`, or is not acceptable without `*`.
 * - `x-gzip` counts as `gzip` (§12.5.3). Names are case-insensitive. A member repeated keeps its
 *   first q-value.
 * - An explicit `identity` with a higher q-value than every coding keeps the body as is. When
 *   nothing is acceptable (`identity;q=0` and no coding offered), the body is still sent as is:
 *   RFC 9110 allows that instead of a 406, and it never loses the client an answer.
 * - A malformed member (not a token, a q-value that is not one) is ignored; the rest still counts.
 *
 * @param header the `Accept-Encoding` field value, or `null` when absent
 * @param offered the codings the server can produce, best first
 * @returns the chosen coding, or `null` to send the body unencoded
 * @example
 * ```ts
 * negotiate('gzip, deflate, br', ['br', 'gzip']) // 'br'
 * negotiate('gzip;q=1, br;q=0.5', ['br', 'gzip']) // 'gzip'
 * negotiate('*;q=0', ['br', 'gzip']) // null
 * ```
 */
export function negotiate(header: string | null, offered: readonly Encoding[]): Encoding | null {
  if (header === null) return null
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const semi = part.indexOf(';')
    let name = (semi < 0 ? part : part.slice(0, semi)).trim().toLowerCase()
    if (name === '' || !TOKEN.test(name)) continue
    let q = 1
    if (semi >= 0) {
      const params = part.slice(semi + 1).split(';')
      let bad = false
      for (const param of params) {
        const eq = param.indexOf('=')
        const key = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase()
        if (key !== 'q') continue
        const value = eq < 0 ? '' : param.slice(eq + 1).trim()
        if (!QVALUE.test(value)) bad = true
        else q = Number(value)
      }
      if (bad) continue
    }
    if (name === 'x-gzip') name = 'gzip'
    if (!weights.has(name)) weights.set(name, q)
  }
  const star = weights.get('*')
  let best: Encoding | null = null
  let bestQ = 0
  for (const coding of offered) {
    const q = weights.get(coding) ?? star ?? 0
    if (q > bestQ) {
      best = coding
      bestQ = q
    }
  }
  const identity = weights.get('identity')
  if (best !== null && identity !== undefined && identity > bestQ) return null
  return best
}

/** How many distinct `Accept-Encoding` values a negotiator remembers. */
export const CACHE_SIZE = 256
/** Longer values are negotiated every time, not remembered (a hostile value cannot pin memory). */
const CACHE_KEY_MAX = 256

/**
 * A negotiator that remembers its answer per distinct field value (bounded: {@link CACHE_SIZE}
 * values of at most 256 characters; once full, new values are negotiated and not stored).
 * Browsers send one of a handful of values, so the parse runs a few times per process.
 */
export function createNegotiator(
  offered: readonly Encoding[]
): (header: string | null) => Encoding | null {
  const cache = new Map<string, Encoding | null>()
  return function negotiateCached(header) {
    if (header === null) return null
    const hit = cache.get(header)
    if (hit !== undefined) return hit
    const chosen = negotiate(header, offered)
    if (cache.size < CACHE_SIZE && header.length <= CACHE_KEY_MAX) cache.set(header, chosen)
    return chosen
  }
}

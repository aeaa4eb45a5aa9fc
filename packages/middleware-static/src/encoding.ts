/**
 * @module
 * Choosing a precompressed sibling (`app.js.br`, `app.js.gz`) from `Accept-Encoding`
 * (RFC 9110 §12.5.3), quality values included.
 */

/** A content coding this package serves precompressed siblings for, and its file suffix. */
export type Coding = 'br' | 'gzip'

/** The suffix of each coding's sibling file. */
export const SUFFIX: Readonly<Record<Coding, string>> = { br: '.br', gzip: '.gz' }

const NONE: readonly Coding[] = []
const CACHE = new Map<string, readonly Coding[]>()
const CACHE_MAX = 256

/**
 * The codings the client accepts among `br` and `gzip`, best first: by quality, `br` first on a
 * tie (it is smaller). `q=0` refuses a coding; `*` stands for every coding not named;
 * `x-gzip` is `gzip` (§12.5.3). Results are cached per distinct field value (bounded, so that
 * hostile values cannot grow the cache).
 *
 * @example
 * ```ts
 * acceptedCodings('gzip, deflate, br') // ['br', 'gzip']
 * acceptedCodings('br;q=0, *') // ['gzip']
 * ```
 */
export function acceptedCodings(field: string | null): readonly Coding[] {
  if (field === null || field === '') return NONE
  const cached = CACHE.get(field)
  if (cached !== undefined) return cached
  let br: number | undefined
  let gzip: number | undefined
  let any: number | undefined
  for (const part of field.split(',')) {
    const semi = part.indexOf(';')
    const name = (semi < 0 ? part : part.slice(0, semi)).trim().toLowerCase()
    let q = 1
    if (semi >= 0) {
      const m = /(?:^|;)\s*q\s*=\s*([^;\s]*)/i.exec(part.slice(semi))
      if (m !== null) q = Number(m[1])
      // A malformed or out-of-range weight (`q=abc`, `q=2`) is not a yes.
      if (!(q >= 0 && q <= 1)) q = 0
    }
    if (name === 'br') br = q
    else if (name === 'gzip' || name === 'x-gzip') gzip = q
    else if (name === '*') any = q
  }
  const qBr = br ?? any ?? 0
  const qGzip = gzip ?? any ?? 0
  const out: Coding[] = []
  if (qBr > 0) out.push('br')
  if (qGzip > 0) {
    if (qGzip > qBr) out.unshift('gzip')
    else out.push('gzip')
  }
  // Frozen: the cached list is shared by every request that sends the same field.
  Object.freeze(out)
  if (CACHE.size < CACHE_MAX) CACHE.set(field, out)
  return out
}

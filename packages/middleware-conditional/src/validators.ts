/**
 * @module
 * Validators (RFC 9110 §8.8): entity tags and modification dates, how to write them on a
 * response, how to read them from conditional request fields, and how to compare them.
 */
import type { CycleResponse } from '@cycle/core'

/** A resource's current validators, as {@link precondition}'s loader returns them. */
export interface Validators {
  /**
   * The current entity tag: a full entity-tag (`"v3"`, `W/"v3"`) used as is, or a bare opaque
   * value (`v3`, a version number) that becomes a strong tag (`"v3"`).
   */
  etag?: string | number
  /** When the resource last changed (sent with one-second precision, as HTTP dates are). */
  lastModified?: Date | number
}

/** Options of {@link etag}. */
export interface EtagOptions {
  /** Send a weak tag (`W/"…"`): equal meaning, not necessarily equal bytes. Default `false`. */
  weak?: boolean
}

/**
 * Whether `value` is a valid opaque-tag's content (RFC 9110 §8.8.3: `%x21 / %x23-7E / obs-text`,
 * no space, no `"`).
 */
function isOpaque(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x21 || c === 0x22 || c === 0x7f || c > 0xff) return false
  }
  return true
}

/**
 * An entity-tag from a full tag (`"v3"`, `W/"v3"`, kept as it is) or a bare opaque value
 * (`v3` → `"v3"`, `W/"v3"` when `weak`).
 *
 * @throws {TypeError} when the value holds a character an entity tag cannot (a space, a quote,
 *   a control character, anything above U+00FF)
 * @example
 * ```ts
 * toEntityTag(3) // '"3"'
 * toEntityTag('v3', true) // 'W/"v3"'
 * toEntityTag('W/"v3"') // 'W/"v3"'
 * ```
 */
export function toEntityTag(value: string | number, weak = false): string {
  const s = typeof value === 'number' ? String(value) : value
  const n = s.length
  if (n >= 2 && s.charCodeAt(n - 1) === 0x22) {
    const open = s.charCodeAt(0) === 0x22 ? 0 : s.startsWith('W/"') ? 2 : -1
    if (open >= 0 && n - open >= 2 && isOpaque(s, open + 1, n - 1)) return s
  }
  if (!isOpaque(s, 0, n)) {
    throw new TypeError(
      `Invalid entity tag ${JSON.stringify(s)}: use %x21, %x23-7E or %x80-FF only.`
    )
  }
  return weak ? `W/"${s}"` : `"${s}"`
}

/**
 * Sets the response's `ETag` (a validator the view knows without hashing: a version column, a
 * revision id). The conditional middleware then uses it as is and never hashes the body, and
 * a stream with a validator can be answered with a 304 too.
 *
 * @param value a bare opaque value (`3`, `v3`) or a full entity-tag (`"v3"`, `W/"v3"`)
 * @returns the response
 * @throws {TypeError} when `value` cannot be an entity tag
 * @example
 * ```ts
 * path('notes/<int:id>/', (req) => etag(json(note), note.version))
 * ```
 */
export function etag<R extends CycleResponse>(
  res: R,
  value: string | number,
  options?: EtagOptions
): R {
  res.headers.set('etag', toEntityTag(value, options?.weak === true))
  return res
}

/**
 * Sets the response's `Last-Modified` as an HTTP date (one-second precision).
 *
 * @returns the response
 * @throws {TypeError} on an invalid date
 * @example
 * ```ts
 * path('notes/<int:id>/', (req) => lastModified(json(note), note.updatedAt))
 * ```
 */
export function lastModified<R extends CycleResponse>(res: R, date: Date | number): R {
  res.headers.set('last-modified', toHttpDate(date))
  return res
}

/** `date` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`). @throws {TypeError} when invalid */
export function toHttpDate(date: Date | number): string {
  const d = typeof date === 'number' ? new Date(date) : date
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError('Invalid date.')
  return d.toUTCString()
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec'
const IMF =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/
const RFC850 =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d\d)-([A-Z][a-z]{2})-(\d\d) (\d\d):(\d\d):(\d\d) GMT$/
const ASCTIME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ( \d|\d\d) (\d\d):(\d\d):(\d\d) (\d{4})$/

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) in any of its three forms (IMF-fixdate, the obsolete
 * RFC 850 and asctime forms, which recipients must accept) to milliseconds since the epoch.
 * Anything else (another format `Date.parse` would guess at, an impossible day) is `NaN`, and
 * a conditional field holding it is ignored, as RFC 9110 §13.1.3 and §13.1.4 require.
 */
export function parseHttpDate(value: string): number {
  let day: string, mon: string, year: number, h: string, m: string, s: string
  let match = IMF.exec(value)
  if (match !== null) {
    ;[, day = '', mon = '', , h = '', m = '', s = ''] = match
    year = Number(match[3])
  } else if ((match = RFC850.exec(value)) !== null) {
    ;[, day = '', mon = '', , h = '', m = '', s = ''] = match
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    const yy = Number(match[3])
    const now = new Date().getUTCFullYear()
    year = 2000 + yy > now + 50 ? 1900 + yy : 2000 + yy
  } else if ((match = ASCTIME.exec(value)) !== null) {
    ;[, mon = '', day = '', h = '', m = '', s = ''] = match
    year = Number(match[6])
  } else return NaN
  const month = MONTHS.indexOf(mon)
  if (month < 0 || month % 3 !== 0) return NaN
  const d = Number(day)
  const hh = Number(h)
  const mm = Number(m)
  const ss = Number(s)
  if (d < 1 || hh > 23 || mm > 59 || ss > 60) return NaN
  const t = Date.UTC(year, month / 3, d, hh, mm, ss === 60 ? 59 : ss)
  // Reject days the month does not have (31 Feb): Date.UTC would roll them over.
  if (new Date(t).getUTCDate() !== d) return NaN
  return t
}

/** The opaque part of an entity-tag (without `W/`), or `undefined` when malformed. */
function opaqueOf(tag: string): string | undefined {
  const n = tag.length
  const open = tag.charCodeAt(0) === 0x22 ? 0 : tag.startsWith('W/"') ? 2 : -1
  if (open < 0 || n - open < 2 || tag.charCodeAt(n - 1) !== 0x22) return undefined
  return tag.slice(open, n)
}

/**
 * Whether the entity-tag list of an `If-Match` or `If-None-Match` field matches `current`
 * (RFC 9110 §8.8.3.2). `*` matches any current representation; `strong` comparison (If-Match)
 * needs both tags strong and equal, weak comparison (If-None-Match) ignores `W/`. Members are
 * read with their quotes, so a comma inside a tag does not split it; malformed members never
 * match.
 *
 * @param field the field value
 * @param current the representation's entity-tag, `undefined` when it has none
 * @param exists whether there is a current representation at all (what `*` asks)
 */
export function matchesEntityTags(
  field: string,
  current: string | undefined,
  exists: boolean,
  strong: boolean
): boolean {
  const n = field.length
  let i = 0
  let want: string | undefined
  let wantWeak = false
  if (current !== undefined) {
    want = opaqueOf(current)
    wantWeak = current.charCodeAt(0) === 0x57 // 'W'
    if (strong && wantWeak) want = undefined // a weak tag never matches strongly
  }
  while (i < n) {
    let c = field.charCodeAt(i)
    if (c === 0x20 || c === 0x09 || c === 0x2c) {
      i++
      continue
    }
    if (c === 0x2a) {
      // `*`: "any current representation".
      if (exists) return true
      i++
      continue
    }
    let weak = false
    if (c === 0x57 && field.charCodeAt(i + 1) === 0x2f) {
      weak = true
      i += 2
      c = field.charCodeAt(i)
    }
    if (c !== 0x22) {
      // Not an entity-tag: skip to the next comma.
      const next = field.indexOf(',', i)
      if (next < 0) return false
      i = next + 1
      continue
    }
    const close = field.indexOf('"', i + 1)
    if (close < 0) return false
    if (want !== undefined && !(strong && weak) && close + 1 - i === want.length) {
      if (field.startsWith(want, i)) return true
    }
    i = close + 1
  }
  return false
}

/**
 * @module
 * The `Range` request field (RFC 9110 §14.2): byte ranges, one or a few.
 */

/** A satisfiable byte range: `start` to `end`, both inclusive. */
export interface ByteRange {
  start: number
  end: number
}

/** At most this many ranges are answered as `multipart/byteranges`; more get the whole file. */
export const MAX_RANGES = 8

const SPEC = /^\s*(\d*)\s*-\s*(\d*)\s*$/

/** One range-spec against `size` bytes: a range, `null` when unsatisfiable, `undefined` when invalid. */
function spec(text: string, size: number): ByteRange | null | undefined {
  const m = SPEC.exec(text)
  if (m === null) return undefined
  const a = m[1] as string
  const b = m[2] as string
  if (a === '') {
    if (b === '') return undefined // `-`
    const n = Number(b)
    if (n === 0 || size === 0) return null
    return { start: n >= size ? 0 : size - n, end: size - 1 }
  }
  const start = Number(a)
  if (b === '') return start >= size ? null : { start, end: size - 1 }
  const last = Number(b)
  if (last < start) return undefined // invalid range-spec (§14.1.1)
  if (start >= size) return null
  return { start, end: last >= size ? size - 1 : last }
}

/**
 * What a `Range` field asks of a representation of `size` bytes:
 *
 * - `undefined`: ignore the field and answer 200 with the whole file. RFC 9110 §14.2 lets a server
 *   ignore `Range`, and requires it for a field it cannot parse: another unit than `bytes`, a
 *   malformed spec (`bytes=5-2`, `bytes=abc`). More than {@link MAX_RANGES} ranges, or ranges that
 *   overlap or are out of order, are ignored too (§14.2 allows it, and it is the defence against
 *   the "many small or overlapping ranges" denial of service §17.15 describes);
 * - `'unsatisfiable'`: 416 with `Content-Range: bytes *\/size` (no range satisfiable: a first byte
 *   at or past the end, a zero-length suffix `bytes=-0`, any range of an empty file);
 * - a list of ranges, clamped to the file and without the unsatisfiable ones: `bytes=a-b` (`b`
 *   past the end means to the end), `bytes=a-`, `bytes=-n` (the last `n` bytes, or the whole file
 *   when it is shorter). One range is a plain 206; several are a `multipart/byteranges` 206.
 *
 * @example
 * ```ts
 * parseRange('bytes=0-99', 1000) // [{ start: 0, end: 99 }]
 * parseRange('bytes=-100', 1000) // [{ start: 900, end: 999 }]
 * parseRange('bytes=0-1,5-6', 1000) // [{ start: 0, end: 1 }, { start: 5, end: 6 }]
 * parseRange('bytes=1000-', 1000) // 'unsatisfiable'
 * ```
 */
export function parseRange(field: string, size: number): ByteRange[] | 'unsatisfiable' | undefined {
  const eq = field.indexOf('=')
  if (eq < 0 || field.slice(0, eq).trim().toLowerCase() !== 'bytes') return undefined
  const parts = field.slice(eq + 1).split(',')
  if (parts.length > MAX_RANGES) return undefined
  const out: ByteRange[] = []
  for (const part of parts) {
    // Empty list elements are allowed (RFC 9110 §5.6.1: `bytes=0-1,,5-6`).
    if (part.trim() === '') continue
    const r = spec(part, size)
    if (r === undefined) return undefined
    if (r === null) continue
    const prev = out[out.length - 1]
    if (prev !== undefined && r.start <= prev.end) return undefined // overlapping or out of order
    out.push(r)
  }
  return out.length === 0 ? 'unsatisfiable' : out
}

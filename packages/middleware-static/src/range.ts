/**
 * @module
 * The `Range` request field (RFC 9110 §14.2), for one range of bytes.
 */

/** A satisfiable byte range: `start` to `end`, both inclusive. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * What a `Range` field asks of a representation of `size` bytes:
 *
 * - `undefined`: ignore the field and answer 200 with the whole file. RFC 9110 §14.2 lets a server
 *   ignore `Range`, and requires it for a field it cannot parse: another unit than `bytes`, a
 *   malformed spec (`bytes=5-2`, `bytes=abc`), and here also more than one range (answering a
 *   list with `multipart/byteranges` buys little: browsers and download managers ask for one);
 * - `'unsatisfiable'`: 416 with `Content-Range: bytes *\/size` (a first byte at or past the end, a
 *   zero-length suffix `bytes=-0`, any range of an empty file);
 * - a range, clamped to the file: `bytes=a-b` (`b` past the end means to the end), `bytes=a-`,
 *   `bytes=-n` (the last `n` bytes, or the whole file when it is shorter).
 *
 * @example
 * ```ts
 * parseRange('bytes=0-99', 1000) // { start: 0, end: 99 }
 * parseRange('bytes=-100', 1000) // { start: 900, end: 999 }
 * parseRange('bytes=1000-', 1000) // 'unsatisfiable'
 * parseRange('bytes=0-1,5-6', 1000) // undefined
 * ```
 */
export function parseRange(field: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(field)
  if (m === null) return undefined
  const a = m[1] as string
  const b = m[2] as string
  if (a === '') {
    if (b === '') return undefined // `bytes=-`
    const n = Number(b)
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: n >= size ? 0 : size - n, end: size - 1 }
  }
  const start = Number(a)
  if (b === '') return start >= size ? 'unsatisfiable' : { start, end: size - 1 }
  const last = Number(b)
  if (last < start) return undefined // invalid range-spec: ignored (§14.1.1)
  if (start >= size) return 'unsatisfiable'
  return { start, end: last >= size ? size - 1 : last }
}

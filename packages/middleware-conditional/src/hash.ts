/**
 * @module
 * The body hash behind generated entity tags: 64 bits from two 32-bit multiply-xor lanes with a
 * murmur3 finalizer, plus the body's length. Synchronous on purpose: WebCrypto's
 * `crypto.subtle.digest()` returns a promise (a response hook that awaits it leaves the
 * pipeline's synchronous path on every GET), needs the string encoded to bytes first, and on
 * Node runs on the thread pool: measured on Node 20, about 27 µs for a 755-character body where
 * this hash takes about 1.3 µs (see the README's "Cost").
 *
 * It is not a cryptographic hash: an entity tag only has to change when the representation
 * changes, and a client can only collide tags of bodies it can shape itself. Where that
 * matters, pass a `hash` option (for instance `node:crypto`'s SHA-1) or a validator.
 */

/** Mixes the last bits of a lane (murmur3's `fmix32`). */
function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

function hex8(h: number): string {
  const s = (h >>> 0).toString(16)
  return s.length === 8 ? s : '00000000'.slice(s.length) + s
}

/**
 * The tag of a string body, hashed over its UTF-16 code units two at a time (no encoding to
 * bytes: the UTF-8 bytes are a function of the string, so equal strings still give equal tags).
 * Each step `h = (h ^ x) * odd` is a bijection of `h` for a given `x` and of `x` for a given `h`,
 * so two bodies of one length that differ in a single place never share a tag.
 */
export function hashString(body: string): string {
  const n = body.length
  let a = 0x811c9dc5 ^ n
  let b = 0x9e3779b9 ^ n
  let i = 0
  for (; i + 1 < n; i += 2) {
    const x = body.charCodeAt(i) | (body.charCodeAt(i + 1) << 16)
    a = Math.imul(a ^ x, 0x01000193)
    b = Math.imul(b ^ x, 0x5bd1e995)
  }
  if (i < n) {
    const x = body.charCodeAt(i)
    a = Math.imul(a ^ x, 0x01000193)
    b = Math.imul(b ^ x, 0x5bd1e995)
  }
  a = fmix(a ^ Math.imul(b, 0x27d4eb2f))
  b = fmix(b ^ a)
  return `${n.toString(16)}-${hex8(a)}${hex8(b)}`
}

/** The tag of a byte body, hashed four bytes at a time (see {@link hashString}). */
export function hashBytes(body: Uint8Array): string {
  const n = body.length
  let a = 0x811c9dc5 ^ n
  let b = 0x9e3779b9 ^ n
  let i = 0
  for (; i + 3 < n; i += 4) {
    const x =
      (body[i] as number) |
      ((body[i + 1] as number) << 8) |
      ((body[i + 2] as number) << 16) |
      ((body[i + 3] as number) << 24)
    a = Math.imul(a ^ x, 0x01000193)
    b = Math.imul(b ^ x, 0x5bd1e995)
  }
  for (; i < n; i++) {
    const x = body[i] as number
    a = Math.imul(a ^ x, 0x01000193)
    b = Math.imul(b ^ x, 0x5bd1e995)
  }
  a = fmix(a ^ Math.imul(b, 0x27d4eb2f))
  b = fmix(b ^ a)
  return `${n.toString(16)}-${hex8(a)}${hex8(b)}`
}

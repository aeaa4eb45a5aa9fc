/**
 * @module
 * BREACH length masking for gzip, as Django's `GZipMiddleware` does since 4.2 ("Heal the
 * Breach", Paulsen et al. 2023): a random number of bytes (0–100) goes into the gzip header's
 * file-name field (RFC 1952 §2.3, FLG.FNAME), which every decoder skips. The compressed length
 * then no longer tells an attacker, one request at a time, whether a guess matched a secret
 * reflected in the same body. It slows the attack down (many more requests per guessed
 * character); it does not make it impossible: see the README.
 */

const FNAME = 0x08
const HEADER = 10
/** Up to this many padding bytes, as Django's `max_random_bytes`. */
export const MAX_PADDING = 100

function paddingLength(): number {
  const r = new Uint32Array(1)
  crypto.getRandomValues(r)
  return (r[0] as number) % (MAX_PADDING + 1)
}

/**
 * Inserts a random-length file name into a gzip member's header. A member that already has
 * header flags (not what zlib or CompressionStream write) is returned unchanged.
 */
export function padGzip(gz: Uint8Array): Uint8Array {
  if (gz.byteLength < HEADER || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[3] !== 0) return gz
  const n = paddingLength()
  const out = new Uint8Array(gz.byteLength + n + 1)
  out.set(gz.subarray(0, HEADER), 0)
  out[3] = FNAME
  // The name: `n` letters 'a' and its terminating NUL (a Latin-1 string, RFC 1952 §2.3.1).
  out.fill(0x61, HEADER, HEADER + n)
  out[HEADER + n] = 0
  out.set(gz.subarray(HEADER), HEADER + n + 1)
  return out
}

/** A transform that pads the gzip header at the start of a stream and passes the rest on. */
export function padGzipStream(): TransformStream<Uint8Array, Uint8Array> {
  let head: Uint8Array | null = new Uint8Array(0)
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (head === null) {
        controller.enqueue(chunk)
        return
      }
      const joined = new Uint8Array(head.byteLength + chunk.byteLength)
      joined.set(head, 0)
      joined.set(chunk, head.byteLength)
      if (joined.byteLength < HEADER) {
        head = joined
        return
      }
      head = null
      controller.enqueue(padGzip(joined))
    },
    flush(controller) {
      if (head !== null && head.byteLength > 0) controller.enqueue(head)
    },
  })
}

/**
 * @module
 * Reading a request body safely: the size limit is enforced on the raw byte stream, before any
 * parser sees a byte (413), with a short lingering drain so the client gets the 413 instead of a
 * reset; a body in a content coding the app does not decode, or JSON declared in a charset
 * other than UTF-8, is refused (415) before a byte is read.
 */
import { PayloadTooLarge, UnsupportedMediaType } from './errors'
import type { RawBody } from './request'

/**
 * How many bytes past the body limit are still read (and dropped) before the 413 is raised.
 *
 * A server that answers and closes while request bytes are still arriving makes the kernel reset
 * the connection, and the client often gets `ECONNRESET`/`EPIPE` instead of the 413. RFC 9112
 * §9.6 ("lingering close") asks servers to keep reading for a while instead; reading a small
 * overrun to its end here also leaves the connection clean for the next request. Past this
 * budget the source is cancelled, so a huge upload is never read in full.
 */
export const BODY_DRAIN_BUDGET: number = 64 * 1024

/**
 * How long (ms) that drain may wait for the next chunk: bytes already in flight arrive well
 * within it, while a stalled client cannot hold back the 413.
 */
export const BODY_DRAIN_TIMEOUT: number = 1000

/** The body as a byte stream that errors with a 413 `PayloadTooLarge` once `limit` is passed. */
export function limitedStream(source: RawBody, limit: number): ReadableStream<Uint8Array> {
  const it = toIterator(source)
  let seen = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next()
        if (done) return controller.close()
        seen += value.byteLength
        if (seen > limit) {
          await drainOrCancel(it)
          return controller.error(tooLarge(limit))
        }
        controller.enqueue(value)
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await it.return?.()
    },
  })
}

/** Reads the whole body into one buffer; 413 `PayloadTooLarge` once `limit` is passed. */
export async function readLimited(source: RawBody, limit: number): Promise<Uint8Array> {
  const it = toIterator(source)
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { value, done } = await it.next()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await drainOrCancel(it)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

/** The 413 for a body over `limit`. */
export function tooLarge(limit: number): PayloadTooLarge {
  return new PayloadTooLarge(`The request body is larger than the limit of ${limit} bytes.`)
}

const EXPIRED: unique symbol = Symbol('expired')

/**
 * Past the limit: reads and drops up to {@link BODY_DRAIN_BUDGET} more bytes (for at most
 * {@link BODY_DRAIN_TIMEOUT} ms), so that a small overrun is consumed to its end, then cancels
 * the source if anything is left. Never throws: the caller raises the 413 either way.
 */
async function drainOrCancel(it: AsyncIterator<Uint8Array>): Promise<void> {
  let left = BODY_DRAIN_BUDGET
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), BODY_DRAIN_TIMEOUT)
  })
  let pending = false
  try {
    for (;;) {
      const step = await Promise.race([it.next(), expired])
      if (step === EXPIRED) {
        pending = true
        break
      }
      if (step.done === true) return
      left -= step.value.byteLength
      if (left < 0) break
    }
  } catch {
    // The source failed while being drained: it is gone, nothing is left to cancel.
    return
  } finally {
    clearTimeout(timer)
  }
  // With a read still pending, some sources (async generators) only settle return() after it:
  // cancel without waiting then.
  const cancelled = Promise.resolve()
    .then(() => it.return?.())
    .catch(() => {})
  if (!pending) await cancelled
}

function toIterator(source: RawBody): AsyncIterator<Uint8Array> {
  // A stream is read through its reader even where it is async-iterable too: the iterator's
  // return() waits for a pending read, while reader.cancel() cancels at once (drainOrCancel).
  if (typeof (source as Partial<ReadableStream<Uint8Array>>).getReader !== 'function') {
    return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader()
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    return: async () => {
      await reader.cancel()
      return { done: true, value: undefined }
    },
  }
}

/**
 * The content codings request bodies may use: `identity` only. Core does not decode gzip, br or
 * zstd request bodies (why: the core README, "Request bodies"): what is declared encoded is
 * refused before anything reads it, so no parser ever meets compressed bytes.
 */
export const ACCEPTED_ENCODINGS = 'identity'

/**
 * A 415 for a `Content-Encoding` other than `identity`, with `Accept-Encoding` naming what is
 * accepted (RFC 9110 §15.5.16), or `null` when the body is not encoded.
 */
export function encodingProblem(value: string | null): UnsupportedMediaType | null {
  if (value === null) return null
  for (const part of value.split(',')) {
    const coding = part.trim().toLowerCase()
    if (coding === '' || coding === 'identity') continue
    return new UnsupportedMediaType(
      `The request body is encoded with ${JSON.stringify(part.trim())}; this server accepts only unencoded (identity) bodies.`,
      { headers: { 'accept-encoding': ACCEPTED_ENCODINGS } }
    )
  }
  return null
}

/**
 * A 415 when a JSON `Content-Type` names a charset other than UTF-8 (RFC 8259 §8.1: JSON
 * exchanged between systems is UTF-8), or `null`. Decoding `latin1` or `utf-16` bytes as UTF-8
 * would hand the view different text than the client meant, so the body is refused instead.
 */
export function charsetProblem(contentType: string): UnsupportedMediaType | null {
  const semi = contentType.indexOf(';')
  if (semi === -1) return null
  for (const param of contentType.slice(semi + 1).split(';')) {
    const eq = param.indexOf('=')
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue
    let charset = param.slice(eq + 1).trim()
    if (charset.length >= 2 && charset.startsWith('"') && charset.endsWith('"')) {
      charset = charset.slice(1, -1)
    }
    const name = charset.toLowerCase()
    if (name === 'utf-8' || name === 'utf8') continue
    return new UnsupportedMediaType(
      `A JSON body must be UTF-8, but the Content-Type declares charset ${JSON.stringify(charset)}.`
    )
  }
  return null
}

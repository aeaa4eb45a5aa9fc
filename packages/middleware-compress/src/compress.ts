/**
 * @module
 * `compress()`: Django's GZipMiddleware, grown to br, zstd, gzip and deflate, with streams kept
 * as streams.
 */
import {
  ImproperlyConfigured,
  type CycleRequest,
  type CycleResponse,
  type HeaderMap,
  type HookMiddleware,
} from '@cycle/core'
import { padGzip, padGzipStream } from './breach'
import { webEngine, zlibEngine, type Engine, type Levels } from './engine'
import { ENCODINGS, createNegotiator, type Encoding } from './negotiate'

/** Options of {@link compress}. */
export interface CompressOptions {
  /**
   * The codings to offer, best first: among those the client accepts with the same q-value, the
   * first wins. Codings the runtime cannot produce are dropped (zstd needs Node ≥ 22.15/23.8).
   * Default `['br', 'zstd', 'gzip', 'deflate']`.
   */
  encodings?: readonly Encoding[]
  /**
   * Bodies smaller than this many bytes are sent as they are (the coding's header and the
   * CPU cost outweigh the gain). A stream is measured by its `Content-Length` if it has one,
   * and compressed otherwise. Default 1024.
   */
  threshold?: number
  /**
   * Compression level per coding. Defaults are cheap enough for dynamic answers: gzip and
   * deflate 4, brotli quality 4, zstd 3 (see the README's "Cost").
   */
  level?: Partial<Levels>
  /**
   * Which `Content-Type`s to compress: a regular expression tested against the field, or a
   * predicate. Default: text (but never `text/event-stream`), JSON, JavaScript, XML, SVG, and
   * the other textual types of {@link COMPRESSIBLE}. A response without a content type is not
   * compressed. `text/event-stream` is never compressed, whatever this says.
   */
  types?: RegExp | ((contentType: string) => boolean)
  /**
   * Byte and string bodies up to this size are compressed synchronously in the response hook
   * (zlib); larger ones become a compressed stream, so a big body does not hold the event loop
   * (zlib then works on its thread pool). Default 256 KiB.
   */
  syncLimit?: number
  /**
   * For streamed bodies: send each chunk's compressed output at once (a sync flush after every
   * chunk, as Django's `compress_sequence` does), so a client sees progress as it is produced.
   * `false` lets the compressor fill its window first (better ratio, later bytes). Default true.
   * (The `CompressionStream` engine cannot flush on demand.)
   */
  flush?: boolean
  /**
   * Which compressor: `'zlib'` (`node:zlib`, found through `process.getBuiltinModule`), `'web'`
   * (`CompressionStream`: gzip and deflate, always as a stream), or `'auto'` (zlib where the
   * runtime has it, else web). Default `'auto'`.
   */
  engine?: 'auto' | 'zlib' | 'web'
  /**
   * Return `false` to send this response unencoded (a page that reflects user input next to a
   * secret, see BREACH in the README). Called only for responses that would be compressed.
   */
  filter?: (request: CycleRequest, response: CycleResponse) => boolean
  /**
   * BREACH mitigation. `'pad'`: offer gzip only, with 0–100 random bytes in its header (Django's
   * mitigation since 4.2), so that the length of an answer stops telling an attacker whether a
   * guess matched. `false` (default): no padding.
   */
  breach?: 'pad' | false
}

/**
 * Textual media types worth compressing: `text/*` except `text/event-stream`, JSON, JavaScript,
 * XML and every `+json`/`+xml`/`+yaml`/`+text` suffix, SVG, WebAssembly, a few font and
 * uncompressed image formats. Close to Hono's list (itself from the `compressible` database).
 */
export const COMPRESSIBLE: RegExp =
  /^\s*(?:text\/(?!event-stream(?:[;\s]|$))[^;\s]+|application\/(?:javascript|ecmascript|json|xml|xml-dtd|x-javascript|wasm|graphql|toml|yaml|x-yaml|x-www-form-urlencoded|rtf|x-sh|x-tar|vnd\.ms-fontobject|manifest\+json)|font\/(?:otf|ttf)|image\/(?:svg\+xml|bmp|x-icon|vnd\.microsoft\.icon)|[^;\s]+?\+(?:json|text|xml|yaml))(?:[;\s]|$)/i

const EVENT_STREAM = /^\s*text\/event-stream(?:[;\s]|$)/i
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i
const KNOWN = new Set([
  'encodings',
  'threshold',
  'level',
  'types',
  'syncLimit',
  'flush',
  'engine',
  'filter',
  'breach',
])
const DEFAULT_LEVELS: Levels = { br: 4, zstd: 3, gzip: 4, deflate: 4 }
const RANGES: Levels = { br: 11, zstd: 22, gzip: 9, deflate: 9 }

const encoder = new TextEncoder()

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `compress(): ${message}`)
}

function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value >= 0)) bad(`"${name}" must be a number >= 0.`)
  return value
}

/** A one-chunk stream of `bytes`. */
function once(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    },
  })
}

/** An async iterable body as a pull-based byte stream (backpressure kept). */
function fromIterable(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  let it: AsyncIterator<Uint8Array | string> | undefined
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      it ??= source[Symbol.asyncIterator]()
      const { value, done } = await it.next()
      if (done === true) controller.close()
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value)
    },
    async cancel(reason) {
      await it?.return?.(reason)
    },
  })
}

/**
 * `input` through `transform`, driven by the reader: each `pull()` feeds source chunks to the
 * compressor only until it has output to give, so the source is read as fast as the client
 * reads and no faster, whatever the transform's own writable side says. `pipeThrough` relies on
 * that side, and Node 20's `CompressionStream` accepts every write at once (its `ready` never
 * waits): a 32 MiB source was read to the end for a client that had read nothing (found by the
 * "goes away mid-stream" test; Node 24 is fixed). A cancel (the client went away) cancels the
 * source and aborts the compressor at once.
 */
function through(
  input: ReadableStream<Uint8Array>,
  transform: TransformStream<Uint8Array, Uint8Array>
): ReadableStream<Uint8Array> {
  const source = input.getReader()
  const writer = transform.writable.getWriter()
  const output = transform.readable.getReader()
  // A source read or a compressor write still in progress when output arrived; the next pull
  // picks it up. Never awaited alone: the transform may hold a write until its output is read.
  let reading: Promise<ReadableStreamReadResult<Uint8Array>> | undefined
  let writing: Promise<void> | undefined
  let ended = false
  const ignore = (): void => {}
  const written = (): void => {
    writing = undefined
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = output.read()
        let settled = false
        const arrived = next.then(
          () => {
            settled = true
          },
          () => {
            settled = true
          }
        )
        try {
          while (!settled && !ended) {
            if (writing !== undefined) {
              await Promise.race([writing, arrived])
              continue
            }
            reading ??= source.read()
            const step = await Promise.race([reading, arrived])
            if (step === undefined) break // output first; the read stays for the next pull
            reading = undefined
            if (step.done) {
              ended = true
              writer.close().catch(ignore)
              break
            }
            // A failed write errors the transform, so `next` rejects with the cause.
            writing = writer.write(step.value).then(written, written)
          }
        } catch (error) {
          // The source failed: error the compressor, so `next` rejects and the gateway sees it.
          writer.abort(error).catch(ignore)
        }
        const step = await next
        if (step.done) controller.close()
        else controller.enqueue(step.value)
      },
      cancel(reason) {
        source.cancel(reason).catch(ignore)
        writer.abort(reason).catch(ignore)
        output.cancel(reason).catch(ignore)
      },
    },
    { highWaterMark: 0 }
  )
}

/**
 * Response compression. For each answer it picks a coding from `Accept-Encoding` (q-values,
 * `*`, `identity;q=0`) among the ones the runtime has, compresses the body, sets
 * `Content-Encoding`, drops `Content-Length` (the gateway frames the new body), adds
 * `Vary: Accept-Encoding` and turns a strong `ETag` weak (`"x"` → `W/"x"`).
 *
 * Bodies are left as they are (and, where noted, still get `Vary: Accept-Encoding`, because the
 * answer to a GET would have depended on it):
 * - a response with `Content-Encoding` already, or `Cache-Control: no-transform`;
 * - statuses 1xx, 204, 206 (ranges are of the unencoded bytes) and 304, or a `Content-Range`
 *   (a 304 answering the weak form of its strong tag gets that weak tag and `Vary`, as the
 *   encoded 200 it revalidates had);
 * - a content type that is not compressible (see {@link CompressOptions.types}), none at all,
 *   or `text/event-stream` (Server-Sent Events);
 * - a body under the threshold;
 * - a response `filter` refuses;
 * - a client that accepts none of the codings (with Vary);
 * - a byte or string body that would not get smaller (with Vary; checked on the synchronous
 *   path, where the compressed size is known before anything is sent).
 *
 * A HEAD answer gets the GET's fields without the compression work: `Content-Encoding`, the weak
 * tag and `Vary`, and no `Content-Length` (the encoded length is known only by compressing).
 *
 * Byte and string bodies up to `syncLimit` are compressed synchronously (the hook stays on the
 * pipeline's synchronous path); streams, async iterables and larger bodies become a compressed
 * stream with backpressure.
 *
 * Place it first in the middleware list (outermost): its response hook then runs last and sees
 * the final body, after `conditional()` has tagged the unencoded bytes.
 *
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an unknown or invalid option, and
 *   `ERR_BAD_OPTION` when `engine` names one this runtime lacks
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { compress } from '@cycle/middleware-compress'
 *
 * const app = createApp({ middleware: [compress()], urls: [path('', () => ({ ok: true }))] })
 * ```
 */
export function compress(options: CompressOptions = {}): HookMiddleware {
  if (typeof options !== 'object' || options === null) bad('options must be an object.')
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) bad(`unknown option "${key}".`)
  const threshold = nonNegative('threshold', options.threshold, 1024)
  const syncLimit = nonNegative('syncLimit', options.syncLimit, 256 * 1024)
  const flush = options.flush ?? true
  if (typeof flush !== 'boolean') bad('"flush" must be a boolean.')
  const levels: Levels = { ...DEFAULT_LEVELS }
  if (options.level !== undefined) {
    if (typeof options.level !== 'object' || options.level === null)
      bad('"level" must be an object.')
    for (const [coding, value] of Object.entries(options.level)) {
      const max = RANGES[coding as Encoding] as number | undefined
      if (max === undefined) bad(`"level" has an unknown coding "${coding}".`)
      const min = coding === 'zstd' ? 1 : 0
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        bad(`"level.${coding}" must be an integer from ${min} to ${max}.`)
      }
      levels[coding as Encoding] = value
    }
  }
  const types = options.types ?? COMPRESSIBLE
  if (!(types instanceof RegExp) && typeof types !== 'function') {
    bad('"types" must be a RegExp or a function.')
  }
  // A /g or /y expression keeps `lastIndex` between calls and would answer every other request
  // differently: test with a copy without those flags.
  const typeRe =
    types instanceof RegExp ? new RegExp(types.source, types.flags.replace(/[gy]/g, '')) : null
  const compressible =
    typeRe !== null
      ? (type: string) => typeRe.test(type)
      : (type: string) => (types as (contentType: string) => boolean)(type)
  const filter = options.filter
  if (filter !== undefined && typeof filter !== 'function') bad('"filter" must be a function.')
  const breach = options.breach ?? false
  if (breach !== false && breach !== 'pad') bad(`"breach" must be 'pad' or false.`)
  const wanted = options.encodings ?? ENCODINGS
  if (!Array.isArray(wanted)) bad('"encodings" must be an array.')
  if (wanted.length === 0)
    bad('"encodings" must list at least one coding (or leave out compress()).')
  for (const coding of wanted) {
    if (!ENCODINGS.includes(coding)) bad(`unknown coding ${JSON.stringify(coding)} in "encodings".`)
  }

  const which = options.engine ?? 'auto'
  let engine: Engine | undefined
  if (which === 'zlib') engine = zlibEngine(levels) ?? bad('"engine": node:zlib is not available.')
  else if (which === 'web')
    engine = webEngine() ?? bad('"engine": CompressionStream is not available.')
  else if (which === 'auto') engine = zlibEngine(levels) ?? webEngine()
  else bad(`"engine" must be 'auto', 'zlib' or 'web'.`)
  const available = engine?.available ?? []
  // Under BREACH padding only gzip can carry the random bytes.
  const offered = wanted.filter(
    (coding) => available.includes(coding) && (breach === false || coding === 'gzip')
  )
  const negotiate = createNegotiator(offered)

  return {
    name: 'compress',
    response(request, res) {
      const status = res.status
      if (status === 304) return notModified(request, res.headers)
      if (status < 200 || status === 204 || status === 206) return
      const h = res.headers
      if (h.has('content-encoding') || h.has('content-range')) return
      const body = res.body
      // `undefined`: a response hook inside this one assigned `data`; core renders it after the
      // phase, past the point where this hook could encode it.
      if (body === null || body === undefined) return
      const type = h.get('content-type')
      if (type === null || EVENT_STREAM.test(type) || !compressible(type)) return
      const cc = h.get('cache-control')
      if (cc !== null && NO_TRANSFORM.test(cc)) return

      let bytes: Uint8Array | undefined
      let source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | undefined
      if (typeof body === 'string') {
        // UTF-8 is at least one byte per UTF-16 unit and at most three.
        if (body.length * 3 < threshold) return
        bytes = encoder.encode(body)
        if (bytes.byteLength < threshold) return
      } else if (body instanceof Uint8Array) {
        if (body.byteLength < threshold) return
        bytes = body
      } else if (body instanceof ArrayBuffer) {
        if (body.byteLength < threshold) return
        bytes = new Uint8Array(body)
      } else {
        const length = h.get('content-length')
        if (length !== null && Number(length) < threshold) return
        source = body
      }
      if (filter !== undefined && !filter(request, res)) return

      // From here the answer depends on Accept-Encoding, so a cache must key on it.
      h.vary('Accept-Encoding')
      const coding = negotiate(request.header('accept-encoding'))
      if (coding === null || engine === undefined) return
      if (request.method === 'HEAD') {
        // The GET's fields (RFC 9110 §9.3.2) without the work: the coding is known from the
        // negotiation, the encoded length only by compressing, so it is left out (allowed for a
        // value "determined only while generating the content"). An empty stream stands in for
        // the body nobody receives, so no gateway frames the unencoded length.
        res.body = new ReadableStream<Uint8Array>({ start: (c) => c.close() })
        return encoded(h, coding)
      }

      let out: Uint8Array | ReadableStream<Uint8Array> | undefined
      if (bytes !== undefined && bytes.byteLength <= syncLimit) {
        const sync = engine.compressSync(coding, bytes)
        if (sync !== undefined) {
          // Incompressible bytes (already-compressed data under a textual type): keep the
          // original, as Django does, rather than send more bytes than we had.
          if (sync.byteLength >= bytes.byteLength) return
          out = breach === 'pad' ? padGzip(sync) : sync
        }
      }
      if (out === undefined) {
        const input =
          bytes !== undefined
            ? once(bytes)
            : source instanceof ReadableStream
            ? source
            : fromIterable(source as AsyncIterable<Uint8Array | string>)
        let piped = through(input, engine.transform(coding, flush))
        if (breach === 'pad') piped = piped.pipeThrough(padGzipStream())
        out = piped
      }
      res.body = out
      encoded(h, coding)
    },
  }
}

/** The fields of an encoded answer: its coding, no unencoded length, a weak tag. */
function encoded(h: HeaderMap, coding: string): void {
  h.set('content-encoding', coding)
  if (h.has('content-length')) h.delete('content-length')
  const tag = h.get('etag')
  // The bytes changed and a strong tag promises byte equality (RFC 9110 §8.8.1): keep the
  // tag for If-None-Match (weak comparison), never for If-Match or Range.
  if (tag !== null && !tag.startsWith('W/')) h.set('etag', `W/${tag}`)
}

/**
 * A 304 repeats the fields the 200 would carry (RFC 9110 §15.4.5), and a cache freshens the
 * stored answer whose validator it names (RFC 9111 §4.3.4). When the client sent back the weak
 * form of this strong tag, what it holds is an answer this middleware encoded: name it the same
 * way, with the same `Vary`.
 */
function notModified(request: CycleRequest, h: HeaderMap): void {
  const tag = h.get('etag')
  if (tag === null || tag.startsWith('W/')) return
  const held = request.header('if-none-match')
  if (held === null || !held.includes('W/')) return
  const weak = `W/${tag}`
  for (const member of held.split(',')) {
    if (member.trim() === weak) {
      h.set('etag', weak)
      h.vary('Accept-Encoding')
      return
    }
  }
}

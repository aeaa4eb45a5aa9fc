/**
 * @module
 * The compressors: `node:zlib` where the runtime has it (Node, Bun, Deno), the Web
 * `CompressionStream` elsewhere (workerd, browsers' service workers).
 *
 * `node:zlib` is reached through `process.getBuiltinModule()` (Node ≥ 20.16, Bun, Deno), called
 * when `compress()` is created, never by a static import: this module loads unchanged on a
 * runtime without `node:*` modules, and a bundler for Workers has nothing to resolve. One entry
 * point serves every runtime, with no export conditions to get wrong.
 */
import type { Encoding } from './negotiate'

/** The minimal `node:zlib` surface used here (core's build has no Node types). */
interface ZlibStream {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean
  end(): void
  destroy(error?: Error): void
  on(event: 'data', listener: (chunk: Uint8Array) => void): this
  on(event: 'end', listener: () => void): this
  on(event: 'error', listener: (error: Error) => void): this
}
type SyncFn = (data: Uint8Array, options: object) => Uint8Array
type StreamFn = (options: object) => ZlibStream
interface Zlib {
  constants: Record<string, number>
  gzipSync: SyncFn
  deflateSync: SyncFn
  brotliCompressSync: SyncFn
  zstdCompressSync?: SyncFn
  createGzip: StreamFn
  createDeflate: StreamFn
  createBrotliCompress: StreamFn
  createZstdCompress?: StreamFn
}

/** Compression levels per coding (zlib level, brotli quality, zstd level). */
export type Levels = Record<Encoding, number>

/** A way to compress: what it can produce, a synchronous path for bytes, a stream path. */
export interface Engine {
  readonly name: 'zlib' | 'web'
  /** The codings this runtime can produce, in {@link ENCODINGS} order. */
  readonly available: readonly Encoding[]
  /** Compresses bytes now, or `undefined` when the engine has no synchronous path. */
  compressSync(coding: Encoding, bytes: Uint8Array): Uint8Array | undefined
  /** A transform for a streamed body; `flush` sends each chunk's output at once. */
  transform(coding: Encoding, flush: boolean): TransformStream<Uint8Array, Uint8Array>
}

/** `node:zlib` if the runtime exposes it synchronously, else `undefined`. */
function loadZlib(): Zlib | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  if (typeof proc?.getBuiltinModule !== 'function') return undefined
  try {
    const zlib = proc.getBuiltinModule('node:zlib') as Zlib | undefined
    return zlib !== undefined && typeof zlib.gzipSync === 'function' ? zlib : undefined
  } catch {
    return undefined
  }
}

/** The zlib engine, or `undefined` where `node:zlib` is not reachable. */
export function zlibEngine(levels: Levels): Engine | undefined {
  const zlib = loadZlib()
  if (zlib === undefined) return undefined
  const c = zlib.constants
  // zstd arrived in Node 22.15 / 23.8; feature-detected, never assumed.
  const hasZstd =
    typeof zlib.zstdCompressSync === 'function' && typeof zlib.createZstdCompress === 'function'
  const available: Encoding[] = hasZstd
    ? ['br', 'zstd', 'gzip', 'deflate']
    : ['br', 'gzip', 'deflate']

  function options(coding: Encoding, size: number, flush: boolean): object {
    switch (coding) {
      case 'br': {
        const params: Record<number, number> = {
          [c['BROTLI_PARAM_QUALITY'] as number]: levels.br,
          [c['BROTLI_PARAM_MODE'] as number]: c['BROTLI_MODE_TEXT'] as number,
        }
        if (size > 0) params[c['BROTLI_PARAM_SIZE_HINT'] as number] = size
        return flush ? { params, flush: c['BROTLI_OPERATION_FLUSH'] } : { params }
      }
      case 'zstd': {
        const params = { [c['ZSTD_c_compressionLevel'] as number]: levels.zstd }
        return flush ? { params, flush: c['ZSTD_e_flush'] } : { params }
      }
      default: {
        const level = coding === 'gzip' ? levels.gzip : levels.deflate
        return flush ? { level, flush: c['Z_SYNC_FLUSH'] } : { level }
      }
    }
  }

  return {
    name: 'zlib',
    available,
    compressSync(coding, bytes) {
      const opts = options(coding, bytes.byteLength, false)
      switch (coding) {
        case 'br':
          return zlib.brotliCompressSync(bytes, opts)
        case 'zstd':
          return (zlib.zstdCompressSync as SyncFn)(bytes, opts)
        case 'gzip':
          return zlib.gzipSync(bytes, opts)
        case 'deflate':
          return zlib.deflateSync(bytes, opts)
      }
    },
    transform(coding, flush) {
      const opts = options(coding, 0, flush)
      const z =
        coding === 'br'
          ? zlib.createBrotliCompress(opts)
          : coding === 'zstd'
          ? (zlib.createZstdCompress as StreamFn)(opts)
          : coding === 'gzip'
          ? zlib.createGzip(opts)
          : zlib.createDeflate(opts)
      return zlibTransform(z)
    },
  }
}

/**
 * A zlib stream as a Web `TransformStream`. Backpressure holds both ways: `transform()` settles
 * when zlib has consumed the chunk (its output is enqueued by then), and the TransformStream
 * does not call `transform()` again while its readable side is full, so a slow client stops
 * the source.
 */
function zlibTransform(z: ZlibStream): TransformStream<Uint8Array, Uint8Array> {
  let done: ((error?: Error) => void) | undefined
  // `cancel` is in the Streams standard since 2023 (Node 21.5+, Deno, Bun); older runtimes ignore
  // it and the zlib handle goes with the garbage collector. TypeScript's DOM lib lacks it.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(): void } = {
    start(controller) {
      z.on('data', (chunk) => controller.enqueue(chunk))
      z.on('end', () => done?.())
      z.on('error', (error) => {
        if (done !== undefined) done(error)
        else controller.error(error)
      })
    },
    transform(chunk) {
      return new Promise<void>((resolve, reject) => {
        z.write(chunk, (error) => (error ? reject(error) : resolve()))
      })
    },
    flush() {
      return new Promise<void>((resolve, reject) => {
        done = (error) => (error ? reject(error) : resolve())
        z.end()
      })
    },
    // The client went away (or the source failed): free zlib's native memory now.
    cancel() {
      z.destroy()
    },
  }
  return new TransformStream<Uint8Array, Uint8Array>(transformer)
}

interface CompressionStreamCtor {
  new (format: string): TransformStream<Uint8Array, Uint8Array>
}

/** The Web `CompressionStream` engine, or `undefined` where the runtime has none. */
export function webEngine(): Engine | undefined {
  const CS = (globalThis as { CompressionStream?: CompressionStreamCtor }).CompressionStream
  if (typeof CS !== 'function') return undefined
  const formats = new Map<Encoding, string>()
  // gzip and deflate are in the Compression Streams standard; a runtime that also knows
  // brotli or zstd (under either name) gets them, a constructor that throws says it does not.
  const candidates: [Encoding, string[]][] = [
    ['br', ['br', 'brotli']],
    ['zstd', ['zstd']],
    ['gzip', ['gzip']],
    ['deflate', ['deflate']],
  ]
  for (const [coding, names] of candidates) {
    for (const name of names) {
      try {
        new CS(name)
        formats.set(coding, name)
        break
      } catch {
        // not supported here
      }
    }
  }
  return {
    name: 'web',
    available: [...formats.keys()],
    compressSync() {
      return undefined
    },
    transform(coding) {
      // CompressionStream has no flush control: it emits as its compressor fills.
      return new CS(formats.get(coding) as string)
    },
  }
}

/**
 * @module
 * `@cycle/middleware-compress`: response compression (br, zstd, gzip, deflate) negotiated from
 * `Accept-Encoding`, with `node:zlib` where the runtime has it and `CompressionStream`
 * elsewhere. No runtime dependencies.
 */
export { compress, COMPRESSIBLE } from './compress'
export type { CompressOptions } from './compress'
export { negotiate, createNegotiator, ENCODINGS, CACHE_SIZE } from './negotiate'
export type { Encoding } from './negotiate'
export type { Levels } from './engine'
export { padGzip, MAX_PADDING } from './breach'

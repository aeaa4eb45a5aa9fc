/**
 * @module
 * `@cycle/middleware-static`: the files of a folder, served from `node:fs` with streams. Safe
 * path resolution (no traversal through encoded dots, slashes, backslashes or NUL; symlinks out
 * of the root refused), `Content-Type` by extension, weak ETag and `Last-Modified` with 304,
 * `Range` requests (206, multipart/byteranges, 416), precompressed `.br`/`.gz` siblings, and
 * `Cache-Control` per pattern. As a middleware under a prefix ({@link serveStatic}) or as a view
 * for a `<path:…>` route ({@link staticView}).
 */
export { serveStatic, staticView } from './serve'
export type { StaticOptions, ServeStaticOptions, StaticViewOptions } from './serve'
export { contentTypeFor, TYPES, DEFAULT_TYPE } from './mime'
export { parseRange, MAX_RANGES } from './range'
export type { ByteRange } from './range'
export { acceptedCodings } from './encoding'
export type { Coding } from './encoding'
export { safeSegments } from './safe-path'

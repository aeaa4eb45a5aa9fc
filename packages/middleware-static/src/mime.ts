/**
 * @module
 * `Content-Type` by file extension, from a small built-in table: the types a web site's static
 * folder holds. A table of some fifty entries is all a static server needs; the `mime` package's full
 * IANA database (about a thousand types) would add a dependency and a large table to every app
 * for types a static folder almost never holds. Apps add or override entries with the `types`
 * option.
 */

/** The type of a file whose extension is not in the table (RFC 9110 §8.3: let the client decide). */
export const DEFAULT_TYPE = 'application/octet-stream'

// Text types get `charset=utf-8`: without it a browser guesses the encoding (and old ones sniffed
// UTF-7). Binary types never carry a charset.
const UTF8 = '; charset=utf-8'

/** Extension (lower case, without the dot) → media type. */
export const TYPES: Readonly<Record<string, string>> = Object.freeze({
  // text
  html: 'text/html' + UTF8,
  htm: 'text/html' + UTF8,
  css: 'text/css' + UTF8,
  js: 'text/javascript' + UTF8,
  mjs: 'text/javascript' + UTF8,
  cjs: 'text/javascript' + UTF8,
  json: 'application/json' + UTF8,
  map: 'application/json' + UTF8,
  webmanifest: 'application/manifest+json' + UTF8,
  jsonld: 'application/ld+json' + UTF8,
  txt: 'text/plain' + UTF8,
  md: 'text/markdown' + UTF8,
  csv: 'text/csv' + UTF8,
  xml: 'application/xml' + UTF8,
  svg: 'image/svg+xml' + UTF8,
  ics: 'text/calendar' + UTF8,
  vtt: 'text/vtt' + UTF8,
  wasm: 'application/wasm',
  // images
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  // fonts
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  // audio and video
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  opus: 'audio/opus',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mov: 'video/quicktime',
  // documents and archives
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  br: 'application/x-brotli',
  '7z': 'application/x-7z-compressed',
  epub: 'application/epub+zip',
})

/**
 * The media type of `name` (a file name or a path) by its extension, case-insensitively.
 *
 * @param name the file name; only what follows its last `.` (after its last `/`) counts
 * @param extra entries that take precedence over the built-in table (`{ glb: 'model/gltf-binary' }`)
 * @returns the media type, `charset=utf-8` included for text types; `application/octet-stream`
 *   when the extension is unknown or absent
 * @example
 * ```ts
 * contentTypeFor('app.JS') // 'text/javascript; charset=utf-8'
 * contentTypeFor('photo.webp') // 'image/webp'
 * ```
 */
export function contentTypeFor(name: string, extra?: Readonly<Record<string, string>>): string {
  const dot = name.lastIndexOf('.')
  if (dot < 0 || dot < name.lastIndexOf('/')) return DEFAULT_TYPE
  const ext = name.slice(dot + 1).toLowerCase()
  if (extra !== undefined && Object.hasOwn(extra, ext)) return extra[ext] as string
  return Object.hasOwn(TYPES, ext) ? (TYPES[ext] as string) : DEFAULT_TYPE
}

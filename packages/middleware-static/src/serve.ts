/**
 * @module
 * The file server behind {@link serveStatic} (a middleware) and {@link staticView} (a view for a
 * `path('static/<path:file>', …)` route): from a relative path to a response.
 */
import { realpathSync, type Stats } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, resolve, sep } from 'node:path'
import {
  CycleResponse,
  Forbidden,
  NotFound,
  defineMiddleware,
  problem,
  redirect,
  type CycleRequest,
  type Middleware,
} from '@cycle/core'
import { evaluate, parseHttpDate, toHttpDate } from '@cycle/middleware-conditional'
import { SUFFIX, acceptedCodings, type Coding } from './encoding'
import { fileStream, piecesStream, type Piece } from './file-stream'
import { contentTypeFor } from './mime'
import { parseRange, type ByteRange } from './range'
import { isDotfile, safeSegments } from './safe-path'

/** Options shared by {@link serveStatic} and {@link staticView}. */
export interface StaticOptions {
  /** The folder to serve. Resolved (symlinks included) once, at startup; it must exist. */
  root: string
  /**
   * The file a directory answers with, for a path ending in `/` (a path naming a directory
   * without the slash is redirected to it, so relative links inside the page work).
   * `false`: directories are never served. Default `'index.html'`.
   */
  index?: string | false
  /**
   * Paths with a segment starting with `.` (`.env`, `.git/config`): `'ignore'` treats them as
   * absent (the middleware falls through, the view answers 404), `'deny'` answers 403,
   * `'allow'` serves them. Default `'ignore'`.
   */
  dotfiles?: 'ignore' | 'deny' | 'allow'
  /**
   * `Cache-Control` per file: `[pattern, value]` pairs, the first match wins. A pattern is a
   * `RegExp` tested on the path relative to the root (`assets/app.js`), or a glob: `*` and `?`
   * within a segment, `**` across segments; a glob without `/` is matched against the file name
   * alone (`'*.html'`). Default: no rules.
   */
  cacheControl?: ReadonlyArray<readonly [pattern: string | RegExp, value: string]>
  /**
   * `Cache-Control` for files that match no rule; `false` sends none. Default
   * `'public, max-age=0'` (caches may keep the file but revalidate it each time, which the ETag
   * makes a cheap 304).
   */
  defaultCacheControl?: string | false
  /**
   * Files that never change under their name (a content hash in it, as bundlers and Django's
   * `ManifestStaticFilesStorage` write them) get `public, max-age=31536000, immutable`, checked
   * before `cacheControl`. `true` means names with a hash of 8 or more hex digits or
   * base-36 characters between dots or after a dash (`app.3f2a9c1b.js`, `chunk-5XKQ2ZRA.js`);
   * or give your own pattern. Default `false`.
   */
  immutable?: boolean | string | RegExp
  /**
   * Serve `file.br` / `file.gz` next to `file` to clients whose `Accept-Encoding` allows it,
   * with `Content-Encoding` and the original's `Content-Type`. Every answer then carries
   * `Vary: Accept-Encoding`. Default `true`.
   */
  precompressed?: boolean
  /**
   * Symbolic links: `'inside'` follows a link only when its target resolves inside the root
   * (a link pointing outside answers as if the file were absent); `'follow'` follows any link.
   * Default `'inside'`.
   */
  symlinks?: 'inside' | 'follow'
  /** Extra extension → media type entries, over the built-in table (`{ glb: 'model/gltf-binary' }`). */
  types?: Readonly<Record<string, string>>
}

/** Options of {@link serveStatic}. */
export interface ServeStaticOptions extends StaticOptions {
  /** The URL path the folder is served under; it starts and ends with `/`. Default `'/static/'`. */
  prefix?: string
  /**
   * What happens to a GET/HEAD under the prefix when the file does not exist: `true` lets the
   * request go on to URL resolution (a route may answer it, or core's 404 does), `false` answers
   * 404 at once. Default `true`.
   */
  fallthrough?: boolean
}

/** Options of {@link staticView}. */
export interface StaticViewOptions extends StaticOptions {
  /** The route parameter that holds the file's path (`<path:file>` → `'file'`). Default `'path'`. */
  param?: string
}

const IMMUTABLE = 'public, max-age=31536000, immutable'
const encoder = new TextEncoder()
const HASHED = /(?:[.-])(?=[0-9a-z]*\d)[0-9a-z]{8,}\.[^./]+$/i

interface Config {
  realRoot: string
  index: string | false
  dotfiles: 'ignore' | 'deny' | 'allow'
  rules: ReadonlyArray<readonly [(rel: string) => boolean, string]>
  fallbackCache: string | false
  precompressed: boolean
  follow: boolean
  types: Readonly<Record<string, string>> | undefined
}

/** A regular expression source for a glob: `**` any run, `*` and `?` within a segment. */
function globSource(glob: string): string {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a bare `**` any run.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?'
          i += 2
        } else {
          out += '.*'
          i++
        }
      } else out += '[^/]*'
    } else if (c === '?') out += '[^/]'
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return `^${out}$`
}

function matcher(pattern: string | RegExp): (rel: string) => boolean {
  if (pattern instanceof RegExp) {
    // A copy without the `g`/`y` flags: a stateful lastIndex would make every other test fail.
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    return (rel) => re.test(rel)
  }
  if (typeof pattern !== 'string' || pattern === '') {
    throw new TypeError('serveStatic: a `cacheControl` pattern is a non-empty glob or a RegExp.')
  }
  const re = new RegExp(globSource(pattern))
  if (pattern.includes('/')) return (rel) => re.test(rel)
  return (rel) => re.test(rel.slice(rel.lastIndexOf('/') + 1))
}

function configure(options: StaticOptions, who: string): Config {
  if (options === null || typeof options !== 'object' || typeof options.root !== 'string') {
    throw new TypeError(`${who}: \`root\` (the folder to serve) is required.`)
  }
  let realRoot: string
  try {
    realRoot = realpathSync(resolve(options.root))
  } catch (error) {
    throw new TypeError(`${who}: the root ${JSON.stringify(options.root)} does not exist.`, {
      cause: error,
    })
  }
  const dotfiles = options.dotfiles ?? 'ignore'
  if (dotfiles !== 'ignore' && dotfiles !== 'deny' && dotfiles !== 'allow') {
    throw new TypeError(`${who}: \`dotfiles\` is 'ignore', 'deny' or 'allow'.`)
  }
  const symlinks = options.symlinks ?? 'inside'
  if (symlinks !== 'inside' && symlinks !== 'follow') {
    throw new TypeError(`${who}: \`symlinks\` is 'inside' or 'follow'.`)
  }
  const index = options.index ?? 'index.html'
  if (index !== false && (index === '' || /[/\\\0]/.test(index) || index.startsWith('.'))) {
    throw new TypeError(`${who}: \`index\` is a plain file name (or false).`)
  }
  const rules: Array<readonly [(rel: string) => boolean, string]> = []
  const immutable = options.immutable ?? false
  if (immutable !== false) rules.push([matcher(immutable === true ? HASHED : immutable), IMMUTABLE])
  for (const rule of options.cacheControl ?? []) {
    if (!Array.isArray(rule) || typeof rule[1] !== 'string') {
      throw new TypeError(`${who}: \`cacheControl\` is a list of [pattern, value] pairs.`)
    }
    rules.push([matcher(rule[0]), rule[1]])
  }
  return {
    realRoot,
    index,
    dotfiles,
    rules,
    fallbackCache: options.defaultCacheControl ?? 'public, max-age=0',
    precompressed: options.precompressed ?? true,
    follow: symlinks === 'follow',
    types: options.types,
  }
}

/** The file found for a request: where it really is, and its metadata. */
interface Found {
  real: string
  stats: Stats
}

/** Where `candidate` really is, when it exists and may be served (symlink policy), else undefined. */
async function locate(config: Config, candidate: string): Promise<Found | undefined> {
  let real: string
  try {
    // One syscall resolves every link on the way; the file is later opened by this real path,
    // which has no link left in it to swap.
    real = await realpath(candidate)
  } catch {
    return undefined // ENOENT, ENOTDIR, ELOOP, EACCES: nothing to serve
  }
  if (!config.follow && !inside(config.realRoot, real)) return undefined
  try {
    return { real, stats: await stat(real) }
  } catch {
    return undefined
  }
}

function inside(root: string, real: string): boolean {
  return (
    real === root ||
    (real.startsWith(root) && real.charAt(root.length) === sep) ||
    // A root that is the file-system root itself ends with the separator already.
    (root.endsWith(sep) && real.startsWith(root))
  )
}

/** The weak entity tag of a file: its size and modification time, no hashing (as nginx and send). */
function entityTag(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
}

/** The outcome of a lookup that found nothing to serve. */
const ABSENT = undefined

/**
 * Answers a GET or HEAD for the file at `rel` (a decoded path relative to the root, as core
 * decodes `request.path`), or `undefined` when there is no such file (the caller decides
 * between falling through and a 404).
 *
 * @throws {BadRequest} for a path that must not reach the file system (safe-path.ts)
 * @throws {Forbidden} for a dotfile with `dotfiles: 'deny'`
 */
async function respond(
  config: Config,
  request: CycleRequest<object, unknown>,
  rel: string
): Promise<CycleResponse | undefined> {
  const segments = safeSegments(rel)
  if (config.dotfiles !== 'allow' && isDotfile(segments)) {
    if (config.dotfiles === 'deny') throw new Forbidden('Dotfiles are not served.')
    return ABSENT
  }
  const candidate = join(config.realRoot, ...segments)
  // Belt and braces: the checks above already keep the path under the root.
  if (!isAbsolute(candidate) || !inside(config.realRoot, candidate)) return ABSENT
  let found = await locate(config, candidate)
  if (found === undefined) return ABSENT
  let name = rel
  // Where the client asked, before links: precompressed siblings sit next to this name.
  let requested = candidate
  if (found.stats.isDirectory()) {
    if (config.index === false) return ABSENT
    if (!rel.endsWith('/') && rel !== '') {
      const index = await locate(config, join(candidate, config.index))
      if (index === undefined || !index.stats.isFile()) return ABSENT
      // RFC 9110 §15.4.2: permanent; the query goes along.
      const search = request.search
      return redirect(request.rawPath + '/' + (search === '' ? '' : '?' + search), 301)
    }
    requested = join(candidate, config.index)
    found = await locate(config, requested)
    if (found === undefined) return ABSENT
    name = rel + config.index
  }
  if (!found.stats.isFile()) return ABSENT

  const res = new CycleResponse(null)
  const h = res.headers
  let coding: Coding | undefined
  if (config.precompressed) {
    h.vary('accept-encoding')
    for (const c of acceptedCodings(request.header('accept-encoding'))) {
      const sibling = await locate(config, requested + SUFFIX[c])
      if (sibling !== undefined && sibling.stats.isFile()) {
        found = sibling
        coding = c
        break
      }
    }
  }
  const stats = found.stats
  const size = stats.size
  const tag = entityTag(stats)
  const modified = toHttpDate(stats.mtimeMs)
  let cache = config.fallbackCache
  for (const [test, value] of config.rules) {
    if (test(name)) {
      cache = value
      break
    }
  }
  if (cache !== false) h.set('cache-control', cache)
  h.set('etag', tag)

  // RFC 9110 §13.2.2: preconditions first, then Range.
  const evaluation = evaluate(request, tag, stats.mtimeMs, true)
  if (evaluation.outcome === 'not-modified') {
    // §15.4.5: the 304 carries the validators and caching fields the 200 would have; with an
    // ETag, Last-Modified adds nothing (as @cycle/middleware-conditional does).
    res.status = 304
    return res
  }
  if (evaluation.outcome === 'failed') {
    return problem(
      {
        status: 412,
        title: 'Precondition Failed',
        detail: 'The file does not match If-Match or If-Unmodified-Since.',
      },
      { headers: { etag: tag, 'last-modified': modified } }
    )
  }

  h.set('last-modified', modified)
  const type = contentTypeFor(name, config.types)
  h.set('content-type', type)
  if (coding !== undefined) h.set('content-encoding', coding)
  h.set('accept-ranges', 'bytes')

  const rangeField = request.method === 'GET' ? request.header('range') : null
  const ranges =
    rangeField !== null && ifRangeHolds(request.header('if-range'), stats.mtimeMs)
      ? parseRange(rangeField, size)
      : undefined
  if (ranges === 'unsatisfiable') {
    return problem(
      { status: 416, title: 'Range Not Satisfiable', detail: `The file is ${size} bytes long.` },
      { headers: { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes' } }
    )
  }
  const get = request.method === 'GET'
  // Several ranges of a precompressed file get the whole file: a Content-Encoding on a
  // multipart/byteranges answer would say the multipart body itself is compressed.
  if (ranges === undefined || ranges.length === 1 || coding !== undefined) {
    const range = ranges?.length === 1 ? ranges[0] : undefined
    const start = range?.start ?? 0
    const end = range?.end ?? size - 1
    if (range !== undefined) {
      res.status = 206
      h.set('content-range', `bytes ${start}-${end}/${size}`)
    }
    h.set('content-length', String(end + 1 - start))
    if (get && end >= start) res.body = fileStream(found.real, start, end)
    return res
  }
  // Several ranges: RFC 9110 §14.6 multipart/byteranges, each part with its own Content-Type and
  // Content-Range, the boundary random so that no file content can fake it.
  const boundary = 'cycle-' + crypto.randomUUID()
  const pieces: Piece[] = []
  let length = 0
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k] as ByteRange
    const head = encoder.encode(
      `${k === 0 ? '' : '\r\n'}--${boundary}\r\ncontent-type: ${type}\r\n` +
        `content-range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`
    )
    pieces.push(head, r)
    length += head.byteLength + r.end + 1 - r.start
  }
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  pieces.push(tail)
  length += tail.byteLength
  res.status = 206
  h.set('content-type', `multipart/byteranges; boundary=${boundary}`)
  h.set('content-length', String(length))
  res.body = piecesStream(found.real, pieces)
  return res
}

/**
 * RFC 9110 §13.1.5: `If-Range` lets the range through only when the representation is unchanged.
 * An entity-tag there needs a strong match, and this package's tags are weak (size and time say
 * "equivalent", not "same bytes"), so a tag never matches and the whole file is sent: slower for
 * a resumed download, never a spliced one. A date matches when it equals `Last-Modified`.
 */
function ifRangeHolds(field: string | null, mtimeMs: number): boolean {
  if (field === null) return true
  const v = field.trim()
  if (v.startsWith('"') || v.startsWith('W/')) return false
  const date = parseHttpDate(v)
  return date === Math.floor(mtimeMs / 1000) * 1000
}

function isGetOrHead(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

/**
 * Serves the files of a folder under a URL prefix, as a middleware whose request hook answers
 * GET and HEAD under the prefix before URL resolution (no route needed). Any other method, and
 * a file that does not exist (with `fallthrough`, the default), goes on to URL resolution.
 *
 * Put it early in the list, before authentication and the format middleware (static files are
 * public and are not data), after request ids and security headers (whose response hooks
 * should still see these answers).
 *
 * @throws {TypeError} at startup: no root, a root that does not exist, a bad option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { serveStatic } from '@cycle/middleware-static'
 *
 * const app = createApp({
 *   middleware: [serveStatic({ root: './public', prefix: '/static/', immutable: true })],
 *   urls: [path('', () => ({ ok: true }))],
 * })
 * ```
 */
export function serveStatic(options: ServeStaticOptions): Middleware {
  const config = configure(options, 'serveStatic')
  const prefix = options.prefix ?? '/static/'
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new TypeError('serveStatic: `prefix` starts and ends with "/" (\'/static/\').')
  }
  const fallthrough = options.fallthrough ?? true
  return defineMiddleware({
    name: 'serveStatic',
    request(request) {
      if (!isGetOrHead(request.method)) return
      // Core's decoded path. Reading it throws core's 400 for malformed escapes and dot
      // segments; such a request is left to URL resolution, which answers it with that 400 in
      // its usual place (so the later middlewares' hooks see it as they see any other 400).
      let p: string
      try {
        p = request.path
      } catch {
        return
      }
      if (!p.startsWith(prefix)) return
      return respond(config, request, p.slice(prefix.length)).then((res) => {
        if (res !== undefined || fallthrough) return res
        throw new NotFound()
      })
    },
  })
}

/**
 * The same file server as a view, for a route that names the file with a `<path:…>` parameter:
 * the route decides where the folder is mounted and which middleware guards it (route-scoped
 * auth, a per-route deadline), and `reverse()` builds file URLs. A missing file is a 404.
 *
 * @throws {TypeError} at startup: no root, a root that does not exist, a bad option
 * @example
 * ```ts
 * import { createApp, path } from '@cycle/core'
 * import { staticView } from '@cycle/middleware-static'
 *
 * const app = createApp({
 *   urls: [path('media/<path:file>', staticView({ root: './uploads', param: 'file' }), { name: 'media' })],
 * })
 * ```
 */
export function staticView(
  options: StaticViewOptions
): (request: CycleRequest<object, unknown>) => Promise<CycleResponse> {
  const config = configure(options, 'staticView')
  const param = options.param ?? 'path'
  return async function staticView(request) {
    const value = (request.params as Record<string, unknown>)[param]
    if (typeof value !== 'string') {
      throw new TypeError(`staticView: the route has no <path:${param}> parameter.`)
    }
    const res = await respond(config, request, value)
    if (res === undefined) throw new NotFound()
    return res
  }
}

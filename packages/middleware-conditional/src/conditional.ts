/**
 * @module
 * `conditional()`: Django's ConditionalGetMiddleware. Entity tags for GET/HEAD answers (from the
 * body, or the validator the view supplied), and 304 Not Modified for a request whose
 * `If-None-Match` / `If-Modified-Since` says the client's copy is still current.
 */
import { ImproperlyConfigured, type CycleResponse, type HookMiddleware } from '@cycle/core'
import { evaluate } from './evaluate'
import { hashBytes, hashString } from './hash'
import { preconditionFailed, release, toNotModified } from './respond'
import { parseHttpDate, toEntityTag } from './validators'

/** Options of {@link conditional}. */
export interface ConditionalOptions {
  /**
   * How to make an `ETag` for a GET/HEAD 2xx answer whose body is a string or bytes and that has
   * no `ETag` yet: `'strong'` (the default) hashes the body into a strong tag, `'weak'` into a
   * weak one (`W/"…"`), `false` never hashes (only validators the view supplies are used).
   * Streams are never hashed.
   */
  etag?: 'strong' | 'weak' | false
  /**
   * Your own body hash, synchronous, returning the tag's opaque part (e.g. a SHA-1 from
   * `node:crypto`). Default: a 64-bit non-cryptographic hash plus the body's length.
   */
  hash?: (body: string | Uint8Array) => string
}

const KNOWN = new Set(['etag', 'hash'])
const NO_STORE = /(?:^|,)\s*no-store\s*(?:,|$)/i

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `conditional(): ${message}`)
}

/**
 * The tag of a rendered body, or `undefined` for a body that is not hashed (a stream, no body,
 * a body still pending because a response hook assigned `data`).
 */
function tagOfBody(
  body: CycleResponse['body'],
  weak: boolean,
  hash: ((body: string | Uint8Array) => string) | undefined
): string | undefined {
  let opaque: string
  if (typeof body === 'string') opaque = hash === undefined ? hashString(body) : hash(body)
  else if (body instanceof Uint8Array) opaque = hash === undefined ? hashBytes(body) : hash(body)
  else if (body instanceof ArrayBuffer) {
    const bytes = new Uint8Array(body)
    opaque = hash === undefined ? hashBytes(bytes) : hash(bytes)
  } else return undefined
  return hash === undefined ? (weak ? `W/"${opaque}"` : `"${opaque}"`) : toEntityTag(opaque, weak)
}

/**
 * Conditional GET (Django's `ConditionalGetMiddleware`, RFC 9110 §13). For every GET or HEAD
 * answered with a 2xx:
 *
 * - the `ETag` the view set (with {@link etag}, {@link precondition} or by hand) is used as is;
 *   otherwise a string or byte body is hashed into one (see {@link ConditionalOptions.etag}).
 *   A stream is never hashed, a 204/206 never gets one, and neither does an answer with
 *   `Cache-Control: no-store`;
 * - for a 200, `If-None-Match` (weak comparison) and, without it, `If-Modified-Since` against
 *   `Last-Modified` turn the answer into a 304 with no body; `If-Match` (strong comparison) and
 *   `If-Unmodified-Since` that fail turn it into a 412 problem.
 *
 * Unsafe methods pass untouched: by the time a response hook runs their write has happened. Guard
 * them with {@link precondition}, which checks before the view.
 *
 * Place it after any middleware whose response hook changes the body (its response hook must see
 * the final bytes) and before (outside) a compression middleware.
 *
 * @throws {ImproperlyConfigured} `ERR_BAD_OPTION` for an unknown or invalid option
 * @example
 * ```ts
 * const app = createApp({ middleware: [conditional()], urls })
 * ```
 */
export function conditional(options: ConditionalOptions = {}): HookMiddleware {
  if (typeof options !== 'object' || options === null) bad('options must be an object.')
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) bad(`unknown option "${key}".`)
  const mode = options.etag ?? 'strong'
  if (mode !== 'strong' && mode !== 'weak' && mode !== false) {
    bad(`"etag" must be 'strong', 'weak' or false, got ${JSON.stringify(mode)}.`)
  }
  const hash = options.hash
  if (hash !== undefined && typeof hash !== 'function') bad('"hash" must be a function.')
  const generate = mode !== false
  const weak = mode === 'weak'

  return {
    name: 'conditional',
    response(request, res) {
      const status = res.status
      if (status < 200 || status > 299) return
      const method = request.method
      if (method !== 'GET' && method !== 'HEAD') return
      const h = res.headers
      let tag = h.get('etag')
      if (tag === null && generate && status !== 204 && status !== 206) {
        const cc = h.get('cache-control')
        if (cc === null || !NO_STORE.test(cc)) {
          const made = tagOfBody(res.body, weak, hash)
          if (made !== undefined) {
            h.set('etag', made)
            tag = made
          }
        }
      }
      if (status !== 200) return
      const lm = h.get('last-modified')
      if (tag === null && lm === null) return
      const modified = lm === null ? NaN : parseHttpDate(lm)
      const ev = evaluate(request, tag ?? undefined, modified, true)
      if (ev.outcome === 'proceed') return
      if (ev.outcome === 'not-modified') {
        toNotModified(res)
        return
      }
      release(res.body)
      return preconditionFailed(ev.field ?? 'if-match', tag ?? undefined, lm ?? undefined)
    },
  }
}

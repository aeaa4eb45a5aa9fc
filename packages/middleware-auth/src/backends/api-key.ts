/**
 * @module
 * `apiKeyBackend()`: static or looked-up API keys from a header (and, only when asked, a query
 * parameter). Keys in a map are compared in constant time.
 */
import { Unauthorized, type CycleRequest, type MaybePromise } from '@cycle/core'
import { challenge as buildChallenge } from '../_internal/challenge'
import {
  badOption,
  checkFunction,
  checkHeaderName,
  checkLimit,
  checkParam,
} from '../_internal/options'
import { isPromise } from '../_internal/promise'
import { timingSafeEqual } from '../timing-safe-equal'
import type { AuthBackend, AuthSuccess } from '../types'

/** Options of {@link apiKeyBackend}. Give exactly one of `keys` or `verify`. */
export interface ApiKeyBackendOptions<U extends object> {
  /** Header that carries the key. Default `x-api-key`. */
  header?: string
  /**
   * Query parameter that may carry the key when the header is absent (`api_key`). Off unless set:
   * URLs end up in logs, browser history and `Referer` headers.
   */
  query?: string
  /** Known keys and the user each one authenticates. Compared in constant time. */
  keys?: Readonly<Record<string, U>> | ReadonlyMap<string, U>
  /** Looks a key up yourself: the user, or `null` for an unknown key (401). */
  verify?(key: string, request: CycleRequest): MaybePromise<U | null | undefined>
  /**
   * The `WWW-Authenticate` challenge `requireAuth()` sends. API keys have no registered HTTP
   * scheme; the default `ApiKey header="x-api-key"` tells clients where the key goes. `null` sends
   * none.
   */
  challenge?: string | null
  /** Longest key accepted, in characters. Default 1024. */
  maxLength?: number
}

const encoder = new TextEncoder()

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))
}

/**
 * A backend for API keys.
 *
 * With `keys`, the presented key and every known key are hashed with SHA-256 and all digests are
 * compared with {@link timingSafeEqual}, with no early exit: response time reveals neither how
 * much of a guess was right, nor its length, nor which entry matched.
 *
 * @param options where the key is and how it is checked
 * @returns a backend for `authenticate({ backends })`
 * @example
 * ```ts
 * apiKeyBackend({ keys: { [env.REPORTING_KEY]: { id: 'reporting', roles: ['reader'] } } })
 * ```
 */
export function apiKeyBackend<U extends object>(options: ApiKeyBackendOptions<U>): AuthBackend<U> {
  const name = 'apiKeyBackend'
  if (options === null || typeof options !== 'object')
    throw badOption(name, 'options are required.')
  if ((options.keys === undefined) === (options.verify === undefined)) {
    throw badOption(name, 'give exactly one of keys or verify.')
  }
  checkFunction(name, 'verify', options.verify, false)
  checkLimit(name, 'maxLength', options.maxLength)
  const header = checkHeaderName(name, options.header ?? 'x-api-key')
  const query = options.query
  if (query !== undefined && (typeof query !== 'string' || query === '')) {
    throw badOption(name, 'query must be a non-empty parameter name.')
  }
  const challenge =
    options.challenge === undefined
      ? buildChallenge('ApiKey', { header })
      : options.challenge === null
        ? undefined
        : checkParam(name, 'challenge', options.challenge)
  const maxLength = options.maxLength ?? 1024
  const refuse = (message: string): Unauthorized =>
    new Unauthorized(message, challenge === undefined ? {} : { challenge })

  let lookup: (key: string, request: CycleRequest) => MaybePromise<U | null | undefined>
  if (options.keys !== undefined) {
    const entries = toEntries(name, options.keys)
    // Hashed once, on first use: crypto.subtle is async and factories are sync.
    let known: Promise<[Uint8Array, U][]> | undefined
    lookup = async (key) => {
      known ??= Promise.all(
        entries.map(async ([k, user]) => [await digest(k), user] as [Uint8Array, U])
      )
      const presented = await digest(key)
      let found: U | null = null
      for (const [d, user] of await known) {
        // No early exit: every entry is compared whatever the outcome.
        if (timingSafeEqual(d, presented)) found = user
      }
      return found
    }
  } else {
    lookup = options.verify as NonNullable<typeof options.verify>
  }

  return {
    name: 'apiKey',
    challenge,
    authenticate(request: CycleRequest): MaybePromise<AuthSuccess<U> | null> {
      let key = request.header(header)
      if (key === null && query !== undefined) key = request.query.get(query)
      if (key === null) return null
      key = key.trim()
      if (key === '') throw refuse('The API key is empty.')
      if (key.length > maxLength) throw refuse('The API key is too long.')
      const found = lookup(key, request)
      const done = (user: U | null | undefined): AuthSuccess<U> => {
        if (user === null || user === undefined) throw refuse('The API key is invalid.')
        return { user }
      }
      return isPromise(found) ? found.then(done) : done(found)
    },
  }
}

function toEntries<U>(
  factory: string,
  keys: Readonly<Record<string, U>> | ReadonlyMap<string, U>
): [string, U][] {
  const entries: [string, U][] =
    keys instanceof Map
      ? [...(keys as ReadonlyMap<string, U>)]
      : Object.entries(keys as Record<string, U>)
  if (entries.length === 0)
    throw badOption(factory, 'keys is empty: no request could ever authenticate.')
  for (const [k, user] of entries) {
    if (typeof k !== 'string' || k.trim() === '')
      throw badOption(factory, 'every key must be a non-empty string.')
    if (user === null || typeof user !== 'object')
      throw badOption(factory, 'every key must map to a user object.')
  }
  return entries
}

/**
 * @module
 * Options of the format middleware, validated eagerly so a typo fails at startup, not per request.
 */
import { ImproperlyConfigured, type CycleRequest, type CycleResponse } from '@cycle/core'
import type { Meta } from './meta'

/** A representation the formatter can produce. */
export type Representation = 'json' | 'html' | 'text'

/** Wraps success data and its metadata into the body document. */
export type Envelope = (data: unknown, meta: Meta, request: CycleRequest) => unknown

/** Options of {@link format}. */
export interface FormatOptions {
  /**
   * How success data is wrapped: a function `(data, meta, request) => document`, or `false` to
   * send the data itself. Default: `{ data, meta }`.
   */
  envelope?: Envelope | false
  /**
   * Error bodies: `'problem'` (RFC 9457 `application/problem+json`, the default) or `'envelope'`
   * (`{ "error": problem, "meta": … }` as `application/json`).
   */
  errors?: 'problem' | 'envelope'
  /** Metadata added to every envelope (before `addMeta()` and `withMeta()` members). */
  meta?: (request: CycleRequest, response: CycleResponse) => Meta | undefined
  /** Representations offered, in server preference order. Default `['json', 'html', 'text']`. */
  representations?: readonly Representation[]
  /**
   * Answer 406 when the client accepts none of the representations. Checked before the view
   * runs (no side effects on a refused POST). Default `false`: the first representation is sent.
   */
  strict?: boolean
  /**
   * Pretty-print JSON with a 2-space indent: `true` always, `false` never, `'query'` (default)
   * when the URL has `?pretty` (any value but `0` or `false`).
   */
  pretty?: boolean | 'query'
}

/** Options with defaults applied. */
export interface ResolvedFormatOptions {
  envelope: Envelope | false
  errors: 'problem' | 'envelope'
  meta: FormatOptions['meta']
  representations: readonly Representation[]
  strict: boolean
  pretty: boolean | 'query'
}

const REPRESENTATIONS: readonly Representation[] = ['json', 'html', 'text']

const KNOWN: readonly string[] = [
  'envelope',
  'errors',
  'meta',
  'representations',
  'strict',
  'pretty',
]

/** The default envelope: `{ data, meta }`. */
export const defaultEnvelope: Envelope = (data, meta) => ({ data, meta })

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `format(): ${message}`)
}

function optionalFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    bad(`${name} must be a function, got ${typeof value}.`)
  }
}

/** Checks options and fills in defaults; throws `ImproperlyConfigured` (`ERR_BAD_OPTION`). */
export function resolveOptions(options: FormatOptions = {}): ResolvedFormatOptions {
  if (typeof options !== 'object' || options === null) bad('options must be an object.')
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      bad(`unknown option ${JSON.stringify(key)}; the options are ${KNOWN.join(', ')}.`)
    }
  }
  const { envelope, errors = 'problem', strict = false, pretty = 'query' } = options
  if (envelope !== undefined && envelope !== false && typeof envelope !== 'function') {
    bad('envelope must be a function (data, meta, request) => document, or false.')
  }
  if (errors !== 'problem' && errors !== 'envelope') {
    bad(`errors must be 'problem' or 'envelope', got ${JSON.stringify(errors)}.`)
  }
  if (typeof strict !== 'boolean') bad('strict must be a boolean.')
  if (pretty !== true && pretty !== false && pretty !== 'query') {
    bad(`pretty must be true, false or 'query', got ${JSON.stringify(pretty)}.`)
  }
  optionalFunction('meta', options.meta)
  const reps = options.representations ?? REPRESENTATIONS
  if (!Array.isArray(reps) || reps.length === 0) {
    bad("representations must be a non-empty list of 'json', 'html', 'text'.")
  }
  for (const r of reps) {
    if (!REPRESENTATIONS.includes(r))
      bad(`representations: unknown ${JSON.stringify(r)}; use 'json', 'html' or 'text'.`)
  }
  if (new Set(reps).size !== reps.length) bad('representations: each may be listed once.')
  return {
    envelope: envelope ?? defaultEnvelope,
    errors,
    meta: options.meta,
    representations: reps,
    strict,
    pretty,
  }
}

/**
 * @module
 * `reverse()` (Django's `django.urls.reverse`): a route name and parameters back to a path.
 * Values go through the converter's `toUrl`, must then match the converter's regex (as in
 * Django), and are percent-encoded per segment (`path` values keep their `/`).
 */
import { ImproperlyConfigured } from '../codes'
import { hasDotSegment } from '../_path'
import type { ParamPart, ParsedPattern } from './pattern'
import type { ReverseQuery } from './types'

type Piece = string | ParamPart

function encodeLiteral(text: string): string {
  return text.split('/').map(encodeURIComponent).join('/')
}

function noMatch(message: string): ImproperlyConfigured {
  return new ImproperlyConfigured('ERR_NO_REVERSE_MATCH', message)
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost
      )
    }
    prev = cur
  }
  return prev[b.length] as number
}

interface Route {
  readonly pattern: string
  readonly pieces: readonly Piece[]
  readonly params: readonly ParamPart[]
}

function head(name: string, route: Route): string {
  const expected = route.params
  const signature = expected.map((p) => `${p.name}: ${p.converter.name}`).join(', ')
  const needs = expected.length === 0 ? 'takes no parameters' : `needs { ${signature} }`
  return `Reverse for "${name}" (${route.pattern}) ${needs}`
}

function show(piece: ParamPart, value: unknown): string {
  return `${piece.name}=${display(value)}`
}

/** A value for an error message. Never throws: a BigInt or a cycle must not turn the refusal into a TypeError. */
function display(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** `encodeURIComponent`, or `null` for text that is not well-formed Unicode (a lone surrogate). */
function encodeOrNull(text: string, keepSlash: boolean): string | null {
  try {
    return keepSlash ? encodeLiteral(text) : encodeURIComponent(text)
  } catch {
    return null
  }
}

function wrongParams(name: string, route: Route, params: Record<string, unknown>): Error {
  const expected = route.params
  const missing = expected.filter((p) => params[p.name] === undefined).map((p) => p.name)
  const extra = Object.keys(params).filter(
    (key) => params[key] !== undefined && !expected.some((p) => p.name === key)
  )
  const problems = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    extra.length > 0 ? `unexpected ${extra.join(', ')}` : '',
  ].filter(Boolean)
  return noMatch(`${head(name, route)}: ${problems.join('; ')}.`)
}

function refused(
  name: string,
  route: Route,
  piece: ParamPart,
  value: unknown,
  reason: string | null
): Error {
  const { converter } = piece
  const given = show(piece, value)
  const why =
    reason === null
      ? `${given} does not match the ${converter.name} converter (${converter.converter.regex})`
      : `the ${converter.name} converter refused ${given} (${reason})`
  return noMatch(`${head(name, route)}: ${why}.`)
}

/** Named routes, compiled for `reverse()`. */
export class ReverseTable {
  readonly #routes = new Map<string, Route>()

  /** Adds a named route (the first one added under a name wins; callers check duplicates). */
  add(name: string, parsed: ParsedPattern): void {
    if (this.#routes.has(name)) return
    const pieces: Piece[] = []
    parsed.segments.forEach((seg, s) => {
      if (s > 0) pieces.push('/')
      for (const part of seg) pieces.push(typeof part === 'string' ? encodeLiteral(part) : part)
    })
    this.#routes.set(name, { pattern: parsed.source, pieces, params: parsed.params })
  }

  /**
   * Builds `/<path>` (plus `?query`) for a named route.
   * @throws ImproperlyConfigured `ERR_NO_REVERSE_MATCH` for an unknown name, missing or extra
   *   parameters, and values the converter refuses.
   */
  reverse(name: string, params: Record<string, unknown> = {}, query?: ReverseQuery): string {
    const route = this.#routes.get(name)
    if (route === undefined) throw this.#unknown(name)
    const expected = route.params
    let present = 0
    for (const p of expected) if (params[p.name] !== undefined) present++
    let given = 0
    for (const key in params) if (params[key] !== undefined) given++
    if (present !== expected.length || given !== present) throw wrongParams(name, route, params)
    let out = '/'
    for (const piece of route.pieces) {
      if (typeof piece === 'string') {
        out += piece
        continue
      }
      const { converter } = piece
      const value = params[piece.name]
      let text: string
      try {
        text = converter.converter.toUrl(value)
      } catch (error) {
        throw refused(
          name,
          route,
          piece,
          value,
          error instanceof Error ? error.message : display(error)
        )
      }
      if (typeof text !== 'string' || !converter.full.test(text)) {
        throw refused(name, route, piece, value, null)
      }
      const encoded = encodeOrNull(text, converter.name === 'path')
      if (encoded === null) {
        throw refused(name, route, piece, value, 'not well-formed Unicode: a lone surrogate')
      }
      out += encoded
    }
    // `.` and `..` are unreserved, so encoding keeps them: a value that makes a dot segment
    // would build a path every request for it is refused on (400), so refuse it here.
    if (hasDotSegment(out)) {
      throw noMatch(
        `${head(name, route)}: the values make the path "${out}", whose "." or ".." segment no request can carry.`
      )
    }
    if (query !== undefined) {
      const qs = new URLSearchParams(query).toString()
      if (qs !== '') out += `?${qs}`
    }
    return out
  }

  #unknown(name: string): ImproperlyConfigured {
    const names = [...this.#routes.keys()]
    const tail = (n: string): string => n.slice(n.lastIndexOf(':') + 1)
    const close = names
      .map((n) => ({ n, d: Math.min(distance(name, n), tail(n) === tail(name) ? 1 : Infinity) }))
      .filter(({ n, d }) => d <= Math.max(2, Math.floor(n.length / 3)))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map(({ n }) => `"${n}"`)
    const hint =
      close.length > 0
        ? ` Did you mean ${close.join(' or ')}?`
        : names.length === 0
        ? ' No route is named: pass { name } to path() and { namespace } to include().'
        : ` Named routes: ${names
            .slice(0, 10)
            .map((n) => `"${n}"`)
            .join(', ')}${names.length > 10 ? ', …' : ''}.`
    return noMatch(`No route named "${name}".${hint}`)
  }
}

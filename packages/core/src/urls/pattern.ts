/**
 * @module
 * Route patterns (Django's `RoutePattern`): `notes/<uuid:id>/`, `page-<int:n>/`, `<slug>` (a
 * parameter without a converter is `str`), `files/<path:rest>`. Parsed once, at startup; a bad
 * pattern throws {@link ImproperlyConfigured} saying what to fix.
 */
import { ImproperlyConfigured } from '../codes'
import { converterEntry, converterNames, type ConverterEntry } from './converters'

/** One `<converter:name>` in a pattern. */
export interface ParamPart {
  /** Parameter name (`id`). */
  readonly name: string
  /** The converter, resolved at parse time. */
  readonly converter: ConverterEntry
}

/** A piece of one segment: literal text, or a parameter. */
export type PatternPart = string | ParamPart

/** A parsed route pattern. */
export interface ParsedPattern {
  /** The pattern as written. */
  readonly source: string
  /** The pattern split on `/`; each segment a list of parts (`'page-<int:n>'` → 2 parts). */
  readonly segments: readonly (readonly PatternPart[])[]
  /** Every parameter, in order. */
  readonly params: readonly ParamPart[]
  /** The pattern with parameter names dropped (`notes/<uuid>/`): equal keys = same route. */
  readonly key: string
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

function bad(source: string, what: string, fix: string): ImproperlyConfigured {
  return new ImproperlyConfigured('ERR_BAD_PATTERN', `The ${what} "${source}" ${fix}`)
}

/**
 * Parses a Django route pattern.
 *
 * @param source The pattern (`articles/<int:year>/<slug:slug>/`), without a leading `/`.
 * @param what How error messages call it (`URL pattern`, `include prefix`).
 * @returns The parsed pattern.
 * @throws ImproperlyConfigured `ERR_BAD_PATTERN` (leading slash, unclosed `<`, stray `>`, bad or
 *   duplicate parameter name, a `.` or `..` segment) or `ERR_UNKNOWN_CONVERTER`.
 * @example
 * ```ts
 * parsePattern('notes/<uuid:id>/').params // [{ name: 'id', converter: uuid }]
 * ```
 */
export function parsePattern(source: string, what = 'URL pattern'): ParsedPattern {
  if (typeof source !== 'string') {
    throw new ImproperlyConfigured(
      'ERR_BAD_PATTERN',
      `A ${what} must be a string, got ${typeof source}.`
    )
  }
  if (source.startsWith('/')) {
    throw bad(
      source,
      what,
      'starts with "/". Remove the leading slash: patterns are relative, like Django\'s ("notes/", not "/notes/").'
    )
  }
  const segments: PatternPart[][] = []
  const params: ParamPart[] = []
  const names = new Set<string>()
  let segment: PatternPart[] = []
  let literal = ''
  let key = ''
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string
    if (c === '/') {
      if (literal !== '' || segment.length === 0) segment.push(literal)
      segments.push(segment)
      segment = []
      literal = ''
      key += c
    } else if (c === '>') {
      throw bad(
        source,
        what,
        `has a ">" without a matching "<" at position ${i}. Remove it or open the parameter with "<".`
      )
    } else if (c !== '<') {
      literal += c
      key += c
    } else {
      const close = source.indexOf('>', i)
      const inner = close === -1 ? '' : source.slice(i + 1, close)
      if (close === -1 || inner.includes('<')) {
        throw bad(
          source,
          what,
          `has an unclosed "<" at position ${i}. Close it with ">" (like "<int:id>").`
        )
      }
      const colon = inner.indexOf(':')
      const convName = colon === -1 ? 'str' : inner.slice(0, colon)
      const name = colon === -1 ? inner : inner.slice(colon + 1)
      if (!IDENTIFIER.test(name)) {
        throw bad(
          source,
          what,
          `has a parameter "<${inner}>" whose name "${name}" is not an identifier. Use letters, digits and "_", no spaces (like "<int:note_id>").`
        )
      }
      if (name === '__proto__') {
        throw bad(
          source,
          what,
          'names a parameter "__proto__", which would replace the prototype of request.params. Rename it.'
        )
      }
      if (names.has(name)) {
        throw bad(
          source,
          what,
          `uses the parameter name "${name}" twice (include prefixes count). Rename one of them.`
        )
      }
      const converter = converterEntry(convName)
      if (converter === undefined) {
        throw new ImproperlyConfigured(
          'ERR_UNKNOWN_CONVERTER',
          `The ${what} "${source}" uses the unknown converter "${convName}" in "<${inner}>". Known converters: ${converterNames().join(
            ', '
          )}. Register custom ones with registerConverter() before building the URL conf.`
        )
      }
      names.add(name)
      if (literal !== '') segment.push(literal)
      literal = ''
      const param: ParamPart = { name, converter }
      segment.push(param)
      params.push(param)
      key += `<${convName}>`
      i = close
    }
  }
  if (literal !== '' || segment.length === 0) segment.push(literal)
  segments.push(segment)
  for (const seg of segments) {
    if (isStaticSegment(seg) && (seg[0] === '.' || seg[0] === '..')) {
      throw bad(
        source,
        what,
        `has a "${seg[0]}" segment, which no request can reach: request paths with dot segments are refused with a 400. Rename the segment.`
      )
    }
  }
  return { source, segments, params, key }
}

/** Escapes text for use inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * Regex source (no anchors) for whole segments joined with `/`. Each parameter is one capturing
 * group, followed by the converter's own groups; `starts` receives each parameter's group index.
 */
export function segmentsToRegex(
  segments: readonly (readonly PatternPart[])[],
  starts: number[]
): string {
  let out = ''
  let group = 1
  for (let s = 0; s < segments.length; s++) {
    if (s > 0) out += '\\/'
    for (const part of segments[s] as readonly PatternPart[]) {
      if (typeof part === 'string') {
        out += escapeRegex(part)
      } else {
        starts.push(group)
        group += 1 + part.converter.groups
        out += `(${part.converter.converter.regex})`
      }
    }
  }
  return out
}

/** Whether a segment is one literal (no parameter). */
export function isStaticSegment(parts: readonly PatternPart[]): parts is readonly [string] {
  return parts.length === 1 && typeof parts[0] === 'string'
}

/** A segment's normalised key (`page-<int>`). */
export function segmentKey(parts: readonly PatternPart[]): string {
  let out = ''
  for (const part of parts) out += typeof part === 'string' ? part : `<${part.converter.name}>`
  return out
}

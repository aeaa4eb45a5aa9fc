/**
 * @module
 * Path converters (Django's `django.urls.converters`): `str`, `int`, `slug`, `uuid`, `path`, and
 * the ones an app registers with {@link registerConverter}.
 *
 * A converter has a `regex` (what one `<name:param>` matches), `toValue` (raw text → the value
 * views see; throwing means "no match, keep trying", like Django's `ValueError`) and `toUrl`
 * (value → text for `reverse()`; throwing refuses the value).
 *
 * Converters other than `path` match inside one path segment: the resolver splits the path on
 * `/` before it asks them, so a custom converter's regex should not match `/`.
 */
import { ImproperlyConfigured } from '../codes'

/** A path converter. `T` is the type of the value views receive. */
export interface Converter<T = unknown> {
  /** Regular expression source for one parameter, without anchors or capturing groups. */
  readonly regex: string
  /** Converts the matched text. Throw to mean "this route does not match after all". */
  toValue(raw: string): T
  /** Converts a value back to text for `reverse()`. Throw to refuse the value. */
  toUrl(value: T): string
}

/**
 * A registered converter, precompiled for the resolver.
 * @internal
 */
export interface ConverterEntry {
  /** Registered name (`int`). */
  readonly name: string
  /** The converter itself. */
  readonly converter: Converter
  /** Anchored regex (`^(?:…)$`) for one whole value: checks `toUrl()` output in `reverse()`. */
  readonly full: RegExp
  /** Fast whole-value test used while matching; `null` when every non-empty segment passes. */
  readonly test: ((value: string) => boolean) | null
  /** Number of capturing groups inside `regex`, to index captures when several share a regex. */
  readonly groups: number
  /** `toValue` returns its input unchanged, so the matcher can skip calling it. */
  readonly identity: boolean
  /**
   * Test and conversion in one pass, for converters whose values are non-negative numbers
   * (`int`): the value, or -1 when the segment does not match. `null` for the others.
   */
  readonly parse: ((raw: string) => number) | null
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const registry = new Map<string, ConverterEntry>()

function scalar(value: unknown, converter: string): string {
  if (typeof value === 'string') return value
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
    return String(value)
  }
  throw new TypeError(`the ${converter} converter takes a string, got ${typeof value}`)
}

function identity(raw: string): string {
  return raw
}

/**
 * `[0-9]+` as a safe integer, or -1: the `int` converter's test and `toValue` in one loop, with
 * no string-to-number call. Up to 15 digits the running value is exact; longer segments take the
 * general path (`Number()`, then the safe-integer check).
 */
function parseDigits(s: string): number {
  const n = s.length
  if (n === 0) return -1
  if (n > 15) {
    if (!isDigits(s)) return -1
    const value = Number(s)
    return Number.isSafeInteger(value) ? value : -1
  }
  let value = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

function isDigits(s: string): boolean {
  const n = s.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

function isSlug(s: string): boolean {
  const n = s.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    // - 0-9 A-Z _ a-z
    if (
      !(
        c === 45 ||
        (c >= 48 && c <= 57) ||
        (c >= 65 && c <= 90) ||
        c === 95 ||
        (c >= 97 && c <= 122)
      )
    ) {
      return false
    }
  }
  return true
}

function isUuid(s: string): boolean {
  if (s.length !== 36) return false
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) {
      return false
    }
  }
  return true
}

/** `[^/]+`: any non-empty segment. The default when a parameter names no converter. */
export const strConverter: Converter<string> = {
  regex: '[^/]+',
  toValue: identity,
  toUrl: (value) => scalar(value, 'str'),
}

/**
 * `[0-9]+`, as a `number`. Values past `Number.MAX_SAFE_INTEGER` do not match (they would lose
 * precision); `toUrl` refuses anything but a non-negative safe integer (or a digit string).
 */
export const intConverter: Converter<number> = {
  regex: '[0-9]+',
  toValue(raw) {
    const value = Number(raw)
    if (!Number.isSafeInteger(value)) throw new RangeError(`${raw} is too large for an int`)
    return value
  },
  toUrl(value) {
    if (typeof value === 'string' && isDigits(value)) return value
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`the int converter takes a non-negative integer, got ${String(value)}`)
    }
    return String(value)
  },
}

/** `[-a-zA-Z0-9_]+`: ASCII letters, digits, hyphens and underscores. */
export const slugConverter: Converter<string> = {
  regex: '[-a-zA-Z0-9_]+',
  toValue: identity,
  toUrl: (value) => scalar(value, 'slug'),
}

/** A lower-case UUID (`0a1b…-…`), as a string. `toUrl` lower-cases, so `crypto.randomUUID()` fits. */
export const uuidConverter: Converter<string> = {
  regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  toValue: identity,
  toUrl: (value) => scalar(value, 'uuid').toLowerCase(),
}

/** `.+`: the rest of the path, `/` included. */
export const pathConverter: Converter<string> = {
  regex: '.+',
  toValue: identity,
  toUrl: (value) => scalar(value, 'path'),
}

function countGroups(regex: RegExp): number {
  // An alternative that matches the empty string reports every group, matched or not.
  return (new RegExp(`${regex.source}|`).exec('') as RegExpExecArray).length - 1
}

function add(
  name: string,
  converter: Converter,
  test: ((value: string) => boolean) | null | undefined,
  isIdentity: boolean,
  parse: ((raw: string) => number) | null = null,
  flags = ''
): void {
  let full: RegExp
  try {
    full = new RegExp(`^(?:${converter.regex})$`, flags)
  } catch (error) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `The regex of converter "${name}" does not compile: ${(error as Error).message}`
    )
  }
  registry.set(name, {
    name,
    converter,
    full,
    test: test === undefined ? (value) => full.test(value) : test,
    groups: countGroups(full),
    identity: isIdentity,
    parse,
  })
}

add('str', strConverter as Converter, null, true)
add('int', intConverter as Converter, isDigits, false, parseDigits)
add('slug', slugConverter as Converter, isSlug, true)
add('uuid', uuidConverter as Converter, isUuid, true)
// dotAll: the matcher takes any non-empty rest of the path, line breaks included (`%0A`), so
// reverse() must accept the same values instead of refusing what resolve() matches.
add('path', pathConverter as Converter, null, true, null, 's')

/**
 * Registers a custom converter under `name` (Django's `register_converter`). Register before the
 * URL conf that uses it is built. Type the values it produces by augmenting `ConverterTypes`.
 *
 * @param name An identifier (`year`); must not be taken already.
 * @param converter The converter.
 * @throws ImproperlyConfigured `ERR_BAD_OPTION` when the name is taken or invalid, or the regex
 *   does not compile.
 * @example
 * ```ts
 * registerConverter('year', {
 *   regex: '[0-9]{4}',
 *   toValue: (raw) => Number(raw),
 *   toUrl: (year: number) => String(year).padStart(4, '0'),
 * })
 * declare module '@cycle/core' { interface ConverterTypes { year: number } }
 * path('archive/<year:y>/', archive) // request.params.y: number
 * ```
 */
export function registerConverter<T>(name: string, converter: Converter<T>): void {
  if (!IDENTIFIER.test(name)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `Converter name "${name}" is not an identifier; use letters, digits and "_" (like "year").`
    )
  }
  if (registry.has(name)) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `A converter named "${name}" is already registered; pick another name.`
    )
  }
  if (
    typeof converter !== 'object' ||
    converter === null ||
    typeof converter.regex !== 'string' ||
    typeof converter.toValue !== 'function' ||
    typeof converter.toUrl !== 'function'
  ) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `Converter "${name}" needs a string "regex" and "toValue"/"toUrl" functions.`
    )
  }
  add(name, converter as Converter, undefined, false)
}

/**
 * The registered converter entry for `name`, or `undefined`.
 * @internal
 */
export function converterEntry(name: string): ConverterEntry | undefined {
  return registry.get(name)
}

/**
 * Names of every registered converter, built-ins first.
 * @internal
 */
export function converterNames(): string[] {
  return [...registry.keys()]
}

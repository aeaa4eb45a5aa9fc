/**
 * @module
 * The vocabulary of response schemas, shared by every piece of the serializer: the schema a
 * route declares ({@link JsonSchema}), what compiling it gives ({@link Serializer}) and the error
 * a value of the wrong shape raises ({@link ResponseShapeError}), with the small helpers its
 * messages are made of.
 *
 * Why a file of its own: the checker, the interpreter, the code generator and the public entry
 * points (`serializer.ts`, which re-exports the public names here) all need these, and none of
 * them owns them.
 */

/** A JSON type name. `integer` is a number with no fractional part. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array'

/**
 * A JSON Schema describing a response shape. Leave `type` out for "any JSON value" (written by
 * `JSON.stringify`).
 *
 * @example
 * ```ts
 * const user: JsonSchema = {
 *   type: 'object',
 *   properties: { id: { type: 'integer' }, name: { type: 'string' }, bio: { type: ['string', 'null'] } },
 *   required: ['id', 'name'],
 * }
 * ```
 */
export interface JsonSchema {
  /** The allowed type(s). */
  readonly type?: JsonType | readonly JsonType[]
  /** Declared properties of an object, written in this order. */
  readonly properties?: Readonly<Record<string, JsonSchema>>
  /** Properties that must be present (not `undefined`). */
  readonly required?: readonly string[]
  /**
   * Other own enumerable properties: `false` (default) drops them, `true` writes them with
   * `JSON.stringify`, a schema writes them with that schema.
   */
  readonly additionalProperties?: boolean | JsonSchema
  /** The schema of every array item. */
  readonly items?: JsonSchema
  /** OpenAPI 3.0's way to also allow `null`. */
  readonly nullable?: boolean
  /** Validation and annotation keywords are accepted and ignored. */
  readonly [keyword: string]: unknown
}

/** A compiled serializer: the value as JSON text. Throws a {@link ResponseShapeError}. */
export type Serializer = (value: unknown) => string

/**
 * The value does not have the shape its schema declares (a missing required property, a string
 * where an integer was declared…). At request time it becomes a 500: the response is the
 * server's own mistake.
 */
export class ResponseShapeError extends TypeError {
  /** JSON Pointer to the offending value (`/data/tags/2`); `''` for the value itself. */
  readonly pointer: string
  /** What the schema declared. */
  readonly expected: string
  /** What the value was (`string`, `undefined`, `NaN`…). */
  readonly got: string
  #segments: string[]
  #schemaPointer: string

  constructor(schemaPointer: string, expected: string, got: string) {
    super('')
    this.name = 'ResponseShapeError'
    this.#schemaPointer = schemaPointer
    this.#segments = []
    this.pointer = schemaPointer
    this.expected = expected
    this.got = got
    this.#refresh()
  }

  /**
   * Records the array index or additional property the failure happened under (innermost
   * first): it replaces a `*` of the schema pointer. Called while the error travels outwards.
   * @internal
   */
  at(segment: number | string): this {
    this.#segments.unshift(typeof segment === 'number' ? String(segment) : escapePointer(segment))
    this.#refresh()
    return this
  }

  #refresh(): void {
    let k = 0
    const pointer = this.#schemaPointer.replace(/\/\*(?=\/|$)/g, (star) =>
      k < this.#segments.length ? `/${this.#segments[k++]}` : star
    )
    ;(this as { pointer: string }).pointer = pointer
    this.message = `Response data at "${pointer || '/'}": expected ${this.expected}, got ${this.got}.`
  }
}

/**
 * What a missing required property "was".
 * @internal
 */
export const MISSING = 'nothing (the property is required)'

/**
 * A readable name for a value's type in error messages.
 * @internal
 */
export function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    if (!Number.isFinite(v)) return String(v)
    return Number.isInteger(v) ? 'integer' : 'number'
  }
  return typeof v
}

/**
 * A key as a JSON Pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`).
 * @internal
 */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

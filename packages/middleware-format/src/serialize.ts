/**
 * @module
 * Safe serialization: turns any view data into a JSON-safe tree first, then into text.
 *
 * `JSON.stringify` alone throws on BigInt and cycles, writes a `Map` as `{}` and a `Uint8Array`
 * as `{"0":…}`. Converting to a plain tree up front means every failure (a cycle, a throwing
 * getter or `toJSON`, a tree too deep) happens here, inside the middleware, before a single byte
 * is written: the caller turns it into a clean 500 instead of a crash or a half-written body.
 */

/** How deep data may nest before serialization gives up (a guard against stack exhaustion). */
export const MAX_DEPTH = 1000

/** The JSON-safe value {@link toPlain} produces. */
export type PlainValue =
  null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue }

/**
 * Raised when data cannot be serialized. `pointer` (RFC 6901) says where, so logs can name the
 * offending field; it is never sent to clients.
 */
export class SerializationError extends Error {
  /** JSON pointer to the value that failed, relative to the serialized document. */
  readonly pointer: string
  constructor(reason: string, pointer: string, cause?: unknown) {
    super(
      `Cannot serialize the response data at ${pointer || '(root)'}: ${reason}`,
      cause === undefined ? undefined : { cause }
    )
    this.name = 'SerializationError'
    this.pointer = pointer
  }
}

/** Escapes one JSON pointer reference token (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

const OMIT: unique symbol = Symbol('omit')
type Out = PlainValue | typeof OMIT

class Walker {
  readonly path: string[] = []
  readonly ancestors: Set<object> = new Set()

  walk(input: unknown, key: string): Out {
    let value = input
    // JSON.stringify semantics: toJSON(key) first, on objects and (if someone defined it) BigInt.
    if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
      const toJSON = (value as { toJSON?: unknown }).toJSON
      if (typeof toJSON === 'function') value = toJSON.call(value, key)
    }
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        // NaN and ±Infinity have no JSON form; JSON.stringify writes null too.
        return Number.isFinite(value) ? value : null
      case 'bigint':
        // Exact digits as a string: a JSON number would lose precision past 2^53 in most parsers.
        return value.toString()
      case 'object':
        return value === null ? null : this.object(value)
      default:
        return OMIT // undefined, functions, symbols: dropped like JSON.stringify does
    }
  }

  object(value: object): Out {
    if (
      value instanceof Number ||
      value instanceof String ||
      value instanceof Boolean ||
      value instanceof BigInt
    ) {
      return this.walk(value.valueOf(), '')
    }
    if (this.ancestors.has(value))
      throw new SerializationError('circular reference', this.pointer())
    if (this.ancestors.size >= MAX_DEPTH) {
      throw new SerializationError(`nested deeper than ${MAX_DEPTH} levels`, this.pointer())
    }
    this.ancestors.add(value)
    const out = this.container(value)
    this.ancestors.delete(value)
    return out
  }

  container(value: object): PlainValue {
    if (Array.isArray(value)) return this.list(value)
    if (value instanceof Set) return this.list(Array.from(value))
    if (value instanceof Map) {
      const out = Object.create(null) as Record<string, PlainValue>
      for (const [k, v] of value) {
        this.path.push(String(k))
        this.put(out, String(k), v)
      }
      return out
    }
    if (ArrayBuffer.isView(value)) {
      const view =
        value instanceof DataView
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : value
      return Array.from(view as unknown as ArrayLike<number | bigint>, plainNumber)
    }
    if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value))
    // Null-prototype output: a `__proto__` key stays an own property instead of a prototype.
    const out = Object.create(null) as Record<string, PlainValue>
    for (const k of Object.keys(value)) {
      // Pushed before the read, so a throwing getter is reported at its own key.
      this.path.push(k)
      this.put(out, k, (value as Record<string, unknown>)[k])
    }
    return out
  }

  list(items: readonly unknown[]): PlainValue[] {
    const out = new Array<PlainValue>(items.length)
    for (let i = 0; i < items.length; i++) {
      this.path.push(String(i))
      const v = this.walk(items[i], String(i))
      this.path.pop()
      out[i] = v === OMIT ? null : v
    }
    return out
  }

  /** Stores one member; the caller has pushed `key` on the path. */
  put(out: Record<string, PlainValue>, key: string, raw: unknown): void {
    const v = this.walk(raw, key)
    this.path.pop()
    if (v !== OMIT) out[key] = v
  }

  pointer(): string {
    return this.path.map((t) => '/' + escapePointer(t)).join('')
  }
}

function plainNumber(n: number | bigint): PlainValue {
  return typeof n === 'bigint' ? n.toString() : Number.isFinite(n) ? n : null
}

/**
 * Converts data into a JSON-safe tree: BigInt → decimal string, Date → ISO string (its
 * `toJSON`), Map → object (keys stringified), Set → array, typed arrays and `ArrayBuffer` →
 * arrays of numbers, `toJSON` respected, `undefined`/functions/symbols dropped as
 * `JSON.stringify` drops them. A top-level value that is dropped becomes `null`.
 *
 * @throws {SerializationError} on a cycle, a throwing getter or `toJSON`, or nesting deeper
 *   than {@link MAX_DEPTH}.
 *
 * @example
 * ```ts
 * toPlain({ id: 10n, at: new Date(0), tags: new Set(['a']) })
 * // { id: '10', at: '1970-01-01T00:00:00.000Z', tags: ['a'] }
 * ```
 */
export function toPlain(value: unknown): PlainValue {
  const walker = new Walker()
  try {
    const out = walker.walk(value, '')
    return out === OMIT ? null : out
  } catch (error) {
    if (error instanceof SerializationError) throw error
    // A getter or toJSON threw (or the stack ran out): name where, keep the cause for logs.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    throw new SerializationError(reason, walker.pointer(), error)
  }
}

/**
 * Serializes data to JSON text, safely (see {@link toPlain}); `indent` pretty-prints.
 *
 * @throws {SerializationError} when the data cannot be serialized.
 *
 * @example
 * ```ts
 * serialize({ big: 2n ** 64n }, 2) // '{\n  "big": "18446744073709551616"\n}'
 * ```
 */
export function serialize(value: unknown, indent?: number): string {
  return stringifyPlain(toPlain(value), indent)
}

/** Stringifies an already plain tree; only a body past the engine's string limit can fail. */
export function stringifyPlain(value: PlainValue, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent)
  } catch (error) {
    throw new SerializationError('the serialized body is too large', '', error)
  }
}

/**
 * Whether `JSON.stringify(value)` already writes exactly what {@link serialize} would: plain
 * objects and arrays of strings, numbers, booleans, `null` and `Date`s, nested less than
 * {@link MAX_DEPTH} deep. Checked without allocating, so the common answer skips building the
 * safe tree; anything else (BigInt, Map, Set, typed arrays, other `toJSON`s, a cycle, a getter
 * that throws) answers `false` and takes the safe path, which also names what failed.
 */
export function isPlainJson(value: unknown): boolean {
  try {
    return plainAt(value, 0)
  } catch {
    return false
  }
}

function plainAt(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true
    case 'object':
      break
    default:
      // undefined, functions and symbols: dropped alike by both, except at the top level.
      return depth > 0 && typeof value !== 'bigint'
  }
  if (value === null) return true
  if (depth >= MAX_DEPTH) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!plainAt(value[i], depth + 1)) return false
    return true
  }
  // `constructor` (a cached load) rather than Object.getPrototypeOf (a runtime call per object):
  // a plain literal's is `Object`; anything else, a null prototype included, takes the safe path.
  const ctor = (value as { constructor?: unknown }).constructor
  if (ctor === Date && value instanceof Date) return true // toJSON gives the ISO string, as toPlain
  if (ctor !== Object) return false
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  const obj = value as Record<string, unknown>
  for (const key in obj) {
    if (!plainAt(obj[key], depth + 1)) return false
  }
  return true
}

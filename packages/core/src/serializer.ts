/**
 * @module
 * Response schemas: a JSON Schema (the subset that describes a shape) compiled once into a
 * function that writes exactly that shape as JSON, the way Fastify's response schemas do.
 *
 * Why: `JSON.stringify` has to discover the shape of every value it meets (keys, `toJSON`, types)
 * and enter the engine's C++ for it; a serializer compiled from the schema knows the keys and
 * their order in advance and writes constant pieces. It is also an output contract: only the
 * declared properties are written (an extra field on a database row does not leak), and a value
 * of the wrong type is an error instead of a surprise on the client.
 *
 * The output is always what `JSON.stringify` writes for the value projected on the schema
 * (declared properties in schema order, then additional ones if allowed). Keywords that only
 * validate or annotate (`format`, `minLength`, `description`…) are accepted and ignored;
 * keywords that would change the shape (`anyOf`, `$ref`…) are refused at compile time.
 *
 * Where code generation from strings is disallowed (Workers) the same schema is interpreted:
 * same output, same errors, slower.
 */
import { ImproperlyConfigured } from './codes'
import type { CycleRequest } from './request'
import type { CompiledRoute } from './urls/resolver'
import { generate } from './urls/_codegen'

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

/** What a missing required property "was". */
const MISSING = 'nothing (the property is required)'

/** A readable name for a value's type in error messages. */
function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    if (!Number.isFinite(v)) return String(v)
    return Number.isInteger(v) ? 'integer' : 'number'
  }
  return typeof v
}

// Any character JSON.stringify would escape, and lone surrogates (well-formed JSON.stringify).
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/

/**
 * Whether `s` goes into JSON as is, between quotes. Short strings (names, ids) are checked by a
 * loop, cheaper than entering the regular expression engine; long ones by the expression.
 */
function plain(s: string): boolean {
  const n = s.length
  if (n > 40) return !NEEDS_ESCAPE.test(s)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false
  }
  return true
}

/** A JSON string literal: the common case is quotes around the text, no escaping. */
function quote(s: string): string {
  return plain(s) ? `"${s}"` : JSON.stringify(s)
}

/** Shape-changing keywords this compiler does not implement. */
const UNSUPPORTED = [
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  '$ref',
  'if',
  'then',
  'else',
  'patternProperties',
  'prefixItems',
  'dependentSchemas',
  'unevaluatedProperties',
]

const TYPES: ReadonlySet<string> = new Set<JsonType>([
  'string',
  'number',
  'integer',
  'boolean',
  'null',
  'object',
  'array',
])

/** A schema node after checking: what the interpreter and the generator both read. */
interface Node {
  /** Schema pointer of the value (array items as `*`). */
  readonly ptr: string
  /** `null` = any JSON value. */
  readonly types: ReadonlySet<JsonType> | null
  /** What error messages say was expected. */
  readonly expected: string
  readonly props: readonly Prop[]
  /** `false`: drop; `null`: JSON.stringify; a node: that schema. */
  readonly extra: Node | null | false
  readonly declared: ReadonlySet<string>
  readonly items: Node | null
}

interface Prop {
  readonly key: string
  readonly required: boolean
  readonly node: Node
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function checkNode(schema: unknown, ptr: string, where: string): Node {
  const at = `${where}${ptr === '' ? '' : ` at "${ptr}"`}`
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ImproperlyConfigured('ERR_BAD_OPTION', `The schema of ${at} must be an object.`)
  }
  const s = schema as JsonSchema
  for (const keyword of UNSUPPORTED) {
    if (s[keyword] !== undefined) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The schema of ${at} uses "${keyword}", which response schemas do not support. ` +
          'Leave "type" out there to write that value with JSON.stringify.'
      )
    }
  }
  let types: Set<JsonType> | null = null
  if (s.type !== undefined) {
    const list: readonly unknown[] = Array.isArray(s.type) ? s.type : [s.type]
    if (list.length === 0) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `The "type" of ${at} is an empty list.`)
    }
    types = new Set()
    for (const t of list) {
      if (typeof t !== 'string' || !TYPES.has(t)) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The schema of ${at} has an unknown type ${JSON.stringify(t) ?? String(t)}.`
        )
      }
      types.add(t as JsonType)
    }
    if (s.nullable === true) types.add('null')
  }
  const props: Prop[] = []
  const declared = new Set<string>()
  let extra: Node | null | false = false
  let items: Node | null = null
  if (types !== null && types.has('object')) {
    const properties = s.properties ?? {}
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new ImproperlyConfigured('ERR_BAD_OPTION', `The "properties" of ${at} must be an object.`)
    }
    const required = s.required ?? []
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The "required" of ${at} must be an array of property names.`
      )
    }
    for (const key of Object.keys(properties)) {
      declared.add(key)
      props.push({
        key,
        required: required.includes(key),
        node: checkNode(properties[key], `${ptr}/${escapePointer(key)}`, where),
      })
    }
    for (const r of required as string[]) {
      if (!declared.has(r)) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The schema of ${at} requires "${r}" but does not declare it in "properties".`
        )
      }
    }
    const ap = s.additionalProperties
    if (ap === true) extra = null
    else if (ap !== undefined && ap !== false) extra = checkNode(ap, `${ptr}/*`, where)
  }
  if (types !== null && types.has('array') && s.items !== undefined) {
    items = checkNode(s.items, `${ptr}/*`, where)
  }
  const expected = types === null ? 'any' : [...types].join(' or ')
  return { ptr, types, expected, props, extra, declared, items }
}

// ---------------------------------------------------------------------------------------------
// The interpreter (no code generation): the reference the generated code must match.

function writeNode(n: Node, value: unknown, key: string): string | undefined {
  let v = value
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key)
  }
  const t = n.types
  if (t === null) return JSON.stringify(v)
  if (v === null) {
    if (t.has('null')) return 'null'
  } else if (typeof v === 'string') {
    if (t.has('string')) return quote(v)
  } else if (typeof v === 'number') {
    if (t.has('number') ? Number.isFinite(v) : t.has('integer') && Number.isInteger(v)) return `${v}`
  } else if (typeof v === 'boolean') {
    if (t.has('boolean')) return v ? 'true' : 'false'
  } else if (Array.isArray(v)) {
    if (t.has('array')) return writeArray(n, v)
  } else if (typeof v === 'object') {
    if (t.has('object')) return writeObject(n, v as Record<string, unknown>)
  }
  throw new ResponseShapeError(n.ptr, n.expected, typeName(v))
}

function writeArray(n: Node, v: readonly unknown[]): string {
  let out = '['
  const items = n.items
  for (let i = 0; i < v.length; i++) {
    if (i !== 0) out += ','
    if (items === null) {
      out += JSON.stringify(v[i]) ?? 'null'
      continue
    }
    try {
      // An "any" item may write nothing (a function, undefined): JSON writes null there.
      out += writeNode(items, v[i], String(i)) ?? 'null'
    } catch (error) {
      if (error instanceof ResponseShapeError) throw error.at(i)
      throw error
    }
  }
  return `${out}]`
}

function writeObject(n: Node, v: Record<string, unknown>): string {
  let out = '{'
  for (const p of n.props) {
    const x = v[p.key]
    if (x === undefined) {
      if (p.required) throw new ResponseShapeError(p.node.ptr, p.node.expected, MISSING)
      continue
    }
    const s = writeNode(p.node, x, p.key)
    if (s === undefined) continue
    if (out.length > 1) out += ','
    out += `${JSON.stringify(p.key)}:${s}`
  }
  if (n.extra !== false) {
    for (const key of Object.keys(v)) {
      if (n.declared.has(key)) continue
      const x = v[key]
      const s = n.extra === null ? JSON.stringify(x) : x === undefined ? undefined : writeExtra(n.extra, x, key)
      if (s === undefined) continue
      if (out.length > 1) out += ','
      out += `${JSON.stringify(key)}:${s}`
    }
  }
  return `${out}}`
}

function writeExtra(n: Node, x: unknown, key: string): string | undefined {
  try {
    return writeNode(n, x, key)
  } catch (error) {
    if (error instanceof ResponseShapeError) throw error.at(key)
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// The generator: one function per schema node, constants inlined. Sources embed only
// JSON.stringify-quoted literals and numbers; helpers come in as arguments.

interface Gen {
  readonly fns: string[]
  readonly sets: ReadonlySet<string>[]
  readonly ptrs: string[]
}

function lit(s: string): string {
  return JSON.stringify(s)
}

/** Emits the function for `n`, returns its name. */
function emit(n: Node, g: Gen): string {
  const name = `s${g.fns.length}`
  g.fns.push('') // reserve the slot (children get later numbers)
  const ptr = g.ptrs.push(n.ptr) - 1
  const fail = `fail(P[${ptr}], ${lit(n.expected)}, v)`
  const lines: string[] = [`function ${name}(v, k) {`]
  lines.push(
    `if (typeof v === "object" && v !== null && typeof v.toJSON === "function") v = v.toJSON(k)`
  )
  const t = n.types
  if (t === null) {
    lines.push('return JSON.stringify(v)', '}')
    g.fns[Number(name.slice(1))] = lines.join('\n')
    return name
  }
  if (t.has('string')) lines.push('if (typeof v === "string") return quote(v)')
  if (t.has('number')) {
    lines.push('if (typeof v === "number") { if (v - v === 0) return "" + v; return ' + fail + ' }')
  } else if (t.has('integer')) {
    lines.push('if (typeof v === "number" && Number.isInteger(v)) return "" + v')
  }
  if (t.has('boolean')) lines.push('if (v === true) return "true"', 'if (v === false) return "false"')
  if (t.has('null')) lines.push('if (v === null) return "null"')
  if (t.has('array')) {
    const item = n.items === null ? null : emit(n.items, g)
    lines.push('if (Array.isArray(v)) {', 'let o = "["', 'for (let i = 0; i < v.length; i++) {')
    lines.push('if (i !== 0) o += ","')
    if (item === null) {
      lines.push('const s = JSON.stringify(v[i])', 'o += s === undefined ? "null" : s')
    } else {
      lines.push(
        n.items?.types === null
          ? `const s = ${item}(v[i], "" + i); o += s === undefined ? "null" : s`
          : `try { o += ${item}(v[i], "" + i) } catch (e) { if (e instanceof ShapeError) throw e.at(i); throw e }`
      )
    }
    lines.push('}', 'return o + "]"', '}')
  }
  if (t.has('object')) {
    lines.push('if (typeof v === "object" && v !== null && !Array.isArray(v)) {')
    emitFlat(n, lines)
    // Whether something was written before this property is known at compile time until the
    // first optional property; from there the comma depends on what was written (`o.length > 1`).
    let state: 'none' | 'some' | 'maybe' = 'none'
    lines.push('let o = "{"', 'let x')
    for (const p of n.props) {
      const child = emit(p.node, g)
      const key = lit(p.key)
      lines.push(`x = v[${key}]`)
      if (p.required) {
        const cptr = g.ptrs.push(p.node.ptr) - 1
        lines.push(
          `if (x === undefined) throw new ShapeError(P[${cptr}], ${lit(p.node.expected)}, ${lit(MISSING)})`
        )
      }
      const prefix = (comma: boolean): string => lit(`${comma ? ',' : ''}${JSON.stringify(p.key)}:`)
      // A property whose node is "any" may write nothing (a function, a symbol): like an optional one.
      const mayVanish = p.node.types === null
      if (p.required && !mayVanish) {
        if (state === 'maybe') {
          lines.push(`o += (o.length > 1 ? ${prefix(true)} : ${prefix(false)}) + ${child}(x, ${key})`)
        } else {
          lines.push(`o += ${prefix(state === 'some')} + ${child}(x, ${key})`)
        }
        if (state === 'none') state = 'some'
      } else {
        lines.push(`if (x !== undefined) {`, `const s = ${child}(x, ${key})`, 'if (s !== undefined) {')
        if (state === 'some') lines.push(`o += ${prefix(true)} + s`)
        else lines.push(`o += (o.length > 1 ? ${prefix(true)} : ${prefix(false)}) + s`)
        lines.push('}', '}')
        if (state === 'none') state = 'maybe'
      }
    }
    if (n.extra !== false) {
      const set = g.sets.push(n.declared) - 1
      const extra = n.extra === null ? null : emit(n.extra, g)
      lines.push('for (const key of Object.keys(v)) {', `if (D[${set}].has(key)) continue`, 'const y = v[key]')
      lines.push(
        extra === null
          ? 'const s = JSON.stringify(y)'
          : `let s; if (y !== undefined) try { s = ${extra}(y, key) } catch (e) { if (e instanceof ShapeError) throw e.at(key); throw e }`
      )
      lines.push('if (s === undefined) continue', 'o += (o.length > 1 ? "," : "") + JSON.stringify(key) + ":" + s', '}')
    }
    lines.push('return o + "}"', '}')
  }
  lines.push(`return ${fail}`, '}')
  g.fns[Number(name.slice(1))] = lines.join('\n')
  return name
}

/** A leaf the flat path writes inline: exactly one scalar type. */
function leafType(n: Node): JsonType | null {
  if (n.types === null || n.types.size !== 1) return null
  const [t] = n.types as ReadonlySet<JsonType>
  return t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' ? t : null
}

/** Whether an object node (and every object inside it) can be written by one expression. */
function flattenable(n: Node): boolean {
  if (n.extra !== false || n.props.length === 0) return false
  for (const p of n.props) {
    if (leafType(p.node) !== null) continue
    const t = p.node.types
    if (t === null || t.size !== 1 || !t.has('object') || !flattenable(p.node)) return false
  }
  return true
}

/**
 * The flat path of an object node: when every declared property (nested objects included) is
 * present with its one scalar type and every string needs no escaping, which is what an API
 * usually sends, the whole object is one concatenation of constants and values (quotes folded
 * into the constants). Anything else breaks out to the general code below it, which writes the
 * same bytes or raises the error.
 */
function emitFlat(n: Node, lines: string[]): void {
  if (!flattenable(n)) return
  const pieces: string[] = [] // alternating: constant, expression, constant…
  let text = '{'
  let local = 0
  lines.push('flat: {')
  const walk = (node: Node, obj: string): void => {
    node.props.forEach((p, i) => {
      text += `${i === 0 ? '' : ','}${JSON.stringify(p.key)}:`
      const a = `a${local++}`
      lines.push(`const ${a} = ${obj}[${lit(p.key)}]`)
      const leaf = leafType(p.node)
      if (leaf === null) {
        lines.push(
          `if (typeof ${a} !== "object" || ${a} === null || Array.isArray(${a}) || typeof ${a}.toJSON === "function") break flat`
        )
        text += '{'
        walk(p.node, a)
        text += '}'
        return
      }
      if (leaf === 'string') {
        lines.push(`if (typeof ${a} !== "string" || !plain(${a})) break flat`)
        pieces.push(text + '"', a)
        text = '"'
      } else if (leaf === 'integer') {
        lines.push(`if (!Number.isInteger(${a})) break flat`)
        pieces.push(text, a)
        text = ''
      } else if (leaf === 'number') {
        lines.push(`if (typeof ${a} !== "number" || ${a} - ${a} !== 0) break flat`)
        pieces.push(text, a)
        text = ''
      } else {
        lines.push(`if (typeof ${a} !== "boolean") break flat`)
        pieces.push(text, `(${a} ? "true" : "false")`)
        text = ''
      }
    })
  }
  walk(n, 'v')
  pieces.push(text + '}')
  // A number first in a `+` chain would add numerically: the chain always starts with a constant.
  const expr = pieces.map((x, i) => (i % 2 === 0 ? lit(x) : x)).filter((x) => x !== '""')
  if (!expr[0]?.startsWith('"')) expr.unshift('""')
  lines.push(`return ${expr.join(' + ')}`, '}')
}

function failWith(ptr: string, expected: string, v: unknown): never {
  throw new ResponseShapeError(ptr, expected, typeName(v))
}

/**
 * Compiles a response schema into a serializer.
 *
 * @param schema The shape (see {@link JsonSchema}).
 * @param where Names the schema in configuration errors (`path("me") response 200`).
 * @returns `(value) => json`; throws a {@link ResponseShapeError} when the value does not fit.
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) on a malformed or unsupported schema.
 * @example
 * ```ts
 * const write = compileSerializer({ type: 'object', properties: { id: { type: 'integer' } } })
 * write({ id: 1, secret: 'x' }) // '{"id":1}'
 * ```
 */
export function compileSerializer(schema: JsonSchema, where = 'a response schema'): Serializer {
  const root = checkNode(schema, '', where)
  const g: Gen = { fns: [], sets: [], ptrs: [] }
  const entry = emit(root, g)
  const made = generate(
    ['quote', 'plain', 'fail', 'ShapeError', 'D', 'P'],
    `${g.fns.join('\n')}\nreturn (value) => { const s = ${entry}(value, ""); return s === undefined ? "null" : s }`
  ) as
    | ((
        q: typeof quote,
        pl: typeof plain,
        f: typeof failWith,
        e: typeof ResponseShapeError,
        d: readonly ReadonlySet<string>[],
        p: readonly string[]
      ) => Serializer)
    | null
  if (made !== null) return made(quote, plain, failWith, ResponseShapeError, g.sets, g.ptrs)
  return (value) => writeNode(root, value, '') ?? 'null'
}

/**
 * Response schemas of a route, by status: an exact code (`200`), a class (`'2xx'`) or
 * `'default'`, tried in that order.
 */
export type ResponseSchemas = Readonly<
  Partial<Record<number | `${1 | 2 | 3 | 4 | 5}xx` | 'default', JsonSchema>>
>

/**
 * The compiled {@link ResponseSchemas} of a route: the serializer for a status.
 * @internal
 */
export class ResponseSerializers {
  readonly #exact: Record<number, Serializer> = Object.create(null) as Record<number, Serializer>
  readonly #classes: (Serializer | undefined)[] = []
  readonly #fallback: Serializer | undefined

  constructor(schemas: ResponseSchemas, where: string) {
    if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `The response schemas of ${where} must be an object keyed by status, like { 200: schema }.`
      )
    }
    let fallback: Serializer | undefined
    for (const key of Object.keys(schemas)) {
      const schema = (schemas as Record<string, JsonSchema>)[key] as JsonSchema
      const label = `${where} response ${key}`
      if (/^[1-5][0-9][0-9]$/.test(key)) this.#exact[Number(key)] = compileSerializer(schema, label)
      else if (/^[1-5]xx$/i.test(key)) this.#classes[Number(key[0])] = compileSerializer(schema, label)
      else if (key === 'default') fallback = compileSerializer(schema, label)
      else {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `The response schemas of ${where} have a bad key "${key}": use a status (200), a class ("2xx") or "default".`
        )
      }
    }
    this.#fallback = fallback
  }

  /** The serializer for `status`, if a schema covers it. */
  for(status: number): Serializer | undefined {
    return this.#exact[status] ?? this.#classes[(status / 100) | 0] ?? this.#fallback
  }
}

/**
 * The serializer of the response schema that covers `status` on the route `request` resolved to,
 * if any. The app uses it for pending data; a middleware that renders data itself (a format or
 * envelope middleware) calls it so that the route's schema holds for its output too.
 *
 * @example
 * ```ts
 * const write = serializerFor(request, response.status)
 * response.body = write === undefined ? JSON.stringify(doc) : write(doc)
 * ```
 */
export function serializerFor(request: CycleRequest, status: number): Serializer | undefined {
  return (request.route as CompiledRoute | null)?.serializers?.for(status)
}

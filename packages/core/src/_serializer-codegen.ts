/**
 * @module
 * The code generator: a checked {@link Node} tree becomes JavaScript source, one function per
 * schema node with its constants (keys, commas, quotes) inlined, compiled once with
 * `urls/_codegen`'s `generate`. Sources embed only `JSON.stringify`-quoted literals and numbers;
 * helpers (`quote`, `plain`, the error class, the declared-key sets, the pointers) come in as
 * arguments.
 *
 * Objects whose properties are all single-typed scalars (nested such objects included) get a
 * flat path first ({@link emitFlat}): one concatenation of constants and values when the value
 * fits exactly, which is what an API usually sends. Whatever the path, the output and the errors
 * are the interpreter's (`_serializer-interpret.ts`), which the tests check on random schemas.
 */
import { plain, quote } from './_json-string'
import type { Node } from './_serializer-check'
import {
  MISSING,
  ResponseShapeError,
  typeName,
  type JsonType,
  type Serializer,
} from './response-shape'
import { generate } from './urls/_codegen'

/**
 * The generated serializer of a checked schema, or `null` where code generation is off or
 * disallowed (the caller then interprets).
 * @internal
 */
export function generateSerializer(root: Node): Serializer | null {
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
  return made === null ? null : made(quote, plain, failWith, ResponseShapeError, g.sets, g.ptrs)
}

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

/**
 * @module
 * The interpreter: writes a value by walking the checked {@link Node} tree. It is the reference
 * the generated code must match (same bytes, same errors), and what runs where code generation
 * from strings is disallowed (Cloudflare Workers, a strict CSP): same output, slower.
 *
 * Array indexes and additional-property keys are added to a {@link ResponseShapeError}'s pointer
 * while it travels outwards (`error.at(i)`), so the happy path keeps no path bookkeeping.
 */
import { quote } from './_json-string'
import type { Node } from './_serializer-check'
import { MISSING, ResponseShapeError, typeName, type Serializer } from './response-shape'

/**
 * The interpreted serializer of a checked schema.
 * @internal
 */
export function interpretSerializer(root: Node): Serializer {
  return (value) => writeNode(root, value, '') ?? 'null'
}

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

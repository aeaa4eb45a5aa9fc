/**
 * @module
 * Compiles the trie into one JavaScript function (see `_codegen.ts`), the way rou3's compiler
 * does: nested blocks, one per node, with the static labels as inline character comparisons
 * and a `switch` on the first character where a node has many static children. The semantics
 * are exactly those of `walk()` (static first, then parameters in order, backtracking by falling
 * through), which stays the fallback when code generation is unavailable or the table is huge.
 */
import type { ConverterEntry } from './converters'
import { generate } from './_codegen'
import {
  convert,
  convertAll,
  MIXED,
  MULTI,
  REST,
  SEGMENT,
  TAIL,
  walk,
  type TrieNode,
  type TrieTarget,
} from './_trie'

/** Matches a whole path (from index 1), writing converted values to `values`. */
export type Matcher<E> = (path: string, values: unknown[]) => E | null

/**
 * V8 stops optimizing very large functions, so big route tables are split into many small ones:
 * a child's code longer than `PIECE` moves into a function of its own, and so does a whole
 * subtree longer than `CHUNK`.
 */
const PIECE = 2_000
const CHUNK = 8_000
/** Beyond this much source (tens of thousands of routes) the interpreter is used instead. */
const MAX_SOURCE = 4_000_000
/** Nodes with at least this many static children switch on the first character. */
const SWITCH_FROM = 4
/** Labels up to this length are compared character by character. */
const INLINE_LABEL = 24

class Emitter {
  readonly constants: unknown[] = []
  /** Subtree functions split off by {@link Emitter.node}. */
  readonly functions: string[] = []
  readonly #index = new Map<unknown, number>()

  /** A name for a value the generated code uses (`K3`). */
  ref(value: unknown): string {
    let n = this.#index.get(value)
    if (n === undefined) this.#index.set(value, (n = this.constants.push(value) - 1))
    return `K${n}`
  }

  /** Code for the node's children at depth `d`: segment start `i`, next capture index `k`. */
  node(node: TrieNode, d: number, i: string, k: number): string {
    let out = ''
    const statics = node.statics
    if (statics.length >= SWITCH_FROM) {
      const groups = new Map<number, TrieNode[]>()
      for (const child of statics) {
        if (child.first === -1) {
          out += this.#piece(this.static(child, d, i, k, 0), [i])
          continue
        }
        const group = groups.get(child.first)
        if (group === undefined) groups.set(child.first, [child])
        else group.push(child)
      }
      out += `switch (p.charCodeAt(${i})) {`
      for (const [c, children] of groups) {
        const cases = children.map((ch) => this.#piece(this.static(ch, d, i, k, 1), [i]))
        out += `case ${c}: {${this.#piece(cases.join(''), [i])} break }`
      }
      out += '}'
    } else {
      for (const child of statics) out += this.#piece(this.static(child, d, i, k, 0), [i])
    }
    if (node.dynamic.length === 0) return d > 0 && out.length > CHUNK ? this.#call(out, [i]) : out
    const g = `g${d}`
    const s = `s${d}`
    const vars = [i, g]
    out += `{ let ${g} = p.indexOf('/', ${i}); if (${g} === -1) ${g} = len;`
    if (node.dynamic.some((c) => c.kind === SEGMENT || c.kind === MULTI)) {
      out += `const ${s} = p.slice(${i}, ${g});`
      vars.push(s)
    }
    for (const child of node.dynamic) out += this.#piece(this.dynamic(child, d, i, k), vars)
    out += '}'
    return d > 0 && out.length > CHUNK ? this.#call(out, [i]) : out
  }

  /** Keeps small code inline; moves larger code into a function of its own (see `PIECE`). */
  #piece(code: string, vars: readonly string[]): string {
    return code.length > PIECE ? this.#call(code, vars) : code
  }

  /** Moves code into a new function of `p, v, len` and `vars`, returning the code calling it. */
  #call(code: string, vars: readonly string[]): string {
    const name = `F${this.functions.length}`
    const args = ['p', 'v', 'len', ...vars].join(', ')
    this.functions.push(`function ${name}(${args}) { ${code} return null }`)
    return `{ const r = ${name}(${args}); if (r !== null) return r; }`
  }

  /** A static child; `from` chars of its label are already known to match (the switch). */
  static(child: TrieNode, d: number, i: string, k: number, from: number): string {
    const label = child.key
    const e = `e${d}`
    let test = ''
    if (label.length > INLINE_LABEL) test = `p.startsWith(${JSON.stringify(label)}, ${i})`
    else {
      const chars: string[] = []
      for (let j = from; j < label.length; j++) {
        chars.push(`p.charCodeAt(${i} + ${j}) === ${label.charCodeAt(j)}`)
      }
      test = chars.length === 0 ? 'true' : chars.join(' && ')
    }
    let body = `const ${e} = ${i} + ${label.length};`
    if (child.endpoint !== null) body += `if (${e} === len) return ${this.ref(child.endpoint)};`
    if (child.statics.length + child.dynamic.length > 0) {
      const next = `i${d + 1}`
      const children = this.node(child, d + 1, next, k)
      body += `if (p.charCodeAt(${e}) === 47) { const ${next} = ${e} + 1; ${children} }`
    }
    return `if (${test}) { ${body} }`
  }

  /** What follows a matched parameter segment: the endpoint at the end, else the children. */
  #after(child: TrieNode, d: number, k: number): string {
    const g = `g${d}`
    let out = ''
    if (child.endpoint !== null) out += `if (${g} === len) return ${this.ref(child.endpoint)};`
    if (child.statics.length + child.dynamic.length > 0) {
      const next = `i${d + 1}`
      out += `if (${g} !== len) { const ${next} = ${g} + 1; ${this.node(child, d + 1, next, k)} }`
    }
    return out
  }

  /** The test that accepts `raw` for a converter and stores its value in `v[k]`. */
  #accept(conv: ConverterEntry, raw: string, k: number): string {
    // `int`: one call tests and converts (a failed segment leaves -1, which nothing reads).
    if (conv.parse !== null) return `(v[${k}] = ${this.ref(conv.parse)}(${raw})) >= 0`
    const test = conv.test === null ? `${raw}.length !== 0` : `${this.ref(conv.test)}(${raw})`
    const value = conv.identity
      ? `((v[${k}] = ${raw}), true)`
      : `convert(${this.ref(conv)}, ${raw}, v, ${k})`
    return `${test} && ${value}`
  }

  /** A parameter child (any kind but static), tried in declaration order. */
  dynamic(child: TrieNode, d: number, i: string, k: number): string {
    const g = `g${d}`
    const conv = child.conv as ConverterEntry
    switch (child.kind) {
      case SEGMENT:
        return `if (${this.#accept(conv, `s${d}`, k)}) { ${this.#after(child, d, k + 1)} }`
      case MIXED: {
        const pre = JSON.stringify(child.pre)
        const suf = JSON.stringify(child.suf)
        const from = `${i} + ${child.pre.length}`
        const to = `${g} - ${child.suf.length}`
        const shape = `${to} > ${from} && p.startsWith(${pre}, ${i}) && p.endsWith(${suf}, ${g})`
        const accept = this.#accept(conv, 'r', k)
        const next = this.#after(child, d, k + 1)
        return `if (${shape}) { const r = p.slice(${from}, ${to}); if (${accept}) { ${next} } }`
      }
      case MULTI: {
        const found = `m !== null && convertAll(${this.ref(child)}, m, v, ${k})`
        const next = this.#after(child, d, k + child.convs.length)
        return `{ const m = ${this.ref(child.regex)}.exec(s${d}); if (${found}) { ${next} } }`
      }
      case TAIL: {
        const accept = `convert(${this.ref(conv)}, p.slice(${i}), v, ${k})`
        return `if (${i} < len && ${accept}) return ${this.ref(child.endpoint)};`
      }
      case REST: {
        const found = `m !== null && convertAll(${this.ref(child)}, m, v, ${k})`
        const exec = `${this.ref(child.regex)}.exec(p.slice(${i}))`
        return `{ const m = ${exec}; if (${found}) return ${this.ref(child.endpoint)}; }`
      }
      default:
        throw new TypeError(`unknown trie node kind ${child.kind}`)
    }
  }
}

/**
 * The matcher for a (compressed) trie: generated code when possible, `walk()` otherwise.
 * @param root The trie root (its children are the first segment).
 */
export function compileMatcher<E extends TrieTarget>(root: TrieNode<E>): Matcher<E> {
  const interpreted: Matcher<E> = (path, values) => walk(root, path, 1, 0, values)
  const emitter = new Emitter()
  const code = emitter.node(root, 0, 'i0', 0)
  const names = emitter.constants.map((_, n) => `K${n} = K[${n}]`)
  const declare = names.length === 0 ? '' : `const ${names.join(', ')};`
  const body = `${declare} ${emitter.functions.join('\n')}
    return function match(p, v) { const len = p.length, i0 = 1; ${code} return null }`
  if (body.length > MAX_SOURCE) return interpreted
  const factory = generate(['K', 'convert', 'convertAll'], body)
  if (factory === null) return interpreted
  return (factory as (k: unknown[], c: typeof convert, ca: typeof convertAll) => Matcher<E>)(
    emitter.constants,
    convert,
    convertAll
  )
}

/**
 * @module
 * The segment trie behind `Resolver.match()` for patterns with parameters (fully static ones live
 * in a `Map`). One node per distinct segment shape; at each node static children are tried first,
 * then parameter children in the order they first appeared in the URL conf, with backtracking.
 * Static labels are whole segments, or chains of them merged by `compress()` (`api/v1`).
 *
 * Node kinds: a whole-segment converter (`<int:id>`), a segment with one converter and literal
 * text around it (`page-<int:n>`, checked with `startsWith`/`endsWith`), a segment with several
 * converters (`<int:a>-<int:b>`, an anchored regex), a trailing `<path:rest>` (the rest of the
 * path), and anything from a `path` converter onward that is not that simple (anchored regex on
 * the rest of the path). Only the regex kinds allocate a match array.
 */
import type { ConverterEntry } from './converters'
import type { PatternPart } from './pattern'

/** Node kind: a static label. */
export const STATIC = 0
/** Node kind: a whole-segment converter (`<int:id>`). */
export const SEGMENT = 1
/** Node kind: one converter with literal text around it (`page-<int:n>`). */
export const MIXED = 2
/** Node kind: several converters in one segment. */
export const MULTI = 3
/** Node kind: a trailing `<path:rest>`. */
export const TAIL = 4
/** Node kind: everything from a `path` converter on, as one regex. */
export const REST = 5

/** What the trie hands back: an endpoint plus its parameter names in capture order. */
export interface TrieTarget {
  /** Parameter names, in capture order. */
  readonly names: readonly string[]
}

/** A trie node. One shape for every kind keeps property access monomorphic. */
export class TrieNode<E extends TrieTarget = TrieTarget> {
  /** Static children (tried first; siblings start with different segments). */
  readonly statics: TrieNode<E>[] = []
  /** Parameter children, in the order they first appeared in the URL conf. */
  readonly dynamic: TrieNode<E>[] = []
  /** The endpoint when the path ends right after this node. */
  endpoint: E | null = null
  /** First char code of a static label (`-1` for the empty label of a trailing slash). */
  first = -1
  /**
   * Static children by first char code (0–127; 128 holds the rest and the empty label), built
   * by `compress()` for nodes with many static children, so a lookup skips most siblings.
   */
  byChar: (readonly TrieNode<E>[] | undefined)[] | null = null
  /** Converter of `SEGMENT`, `MIXED` and `TAIL` nodes. */
  conv: ConverterEntry | null = null
  /** Literal text before / after the converter of a `MIXED` node. */
  pre = ''
  /** See `pre`. */
  suf = ''
  /** Anchored regex of `MULTI` and `REST` nodes, its converters and their group indexes. */
  regex: RegExp | null = null
  /** Converters of the regex captures, in order. */
  convs: readonly ConverterEntry[] = []
  /** Group index of each capture in `regex`. */
  starts: readonly number[] = []

  constructor(
    /** `STATIC`, `SEGMENT`, `MIXED`, `MULTI`, `TAIL` or `REST`. */
    readonly kind: number,
    /** Static label, or the normalised shape (`page-<int>`) of a parameter node. */
    readonly key: string,
    /** The segment parts this node matches (from the first pattern that created it). */
    readonly parts: readonly (readonly PatternPart[])[]
  ) {
    if (kind === STATIC && key !== '') this.first = key.charCodeAt(0)
  }
}

/** One parameter step taken while inserting a pattern: where it could be shadowed. */
export interface Step<E extends TrieTarget> {
  /** The node the step was taken from. */
  readonly parent: TrieNode<E>
  /** The parameter child taken. */
  readonly child: TrieNode<E>
  /** Its index in `parent.dynamic`: the siblings before it are tried first. */
  readonly index: number
}

/** Whether a segment holds a `path` converter. */
export function hasPath(seg: readonly PatternPart[]): boolean {
  return seg.some((p) => typeof p !== 'string' && p.converter.name === 'path')
}

/** Converts one raw value into `values[k]`; `false` when the converter declines. */
export function convert(conv: ConverterEntry, raw: string, values: unknown[], k: number): boolean {
  const parse = conv.parse
  if (parse !== null) {
    const value = parse(raw)
    if (value < 0) return false
    values[k] = value
    return true
  }
  if (conv.identity) {
    values[k] = raw
    return true
  }
  try {
    values[k] = conv.converter.toValue(raw)
    return true
  } catch {
    // Django's ValueError: this converter declines, the next candidate is tried.
    return false
  }
}

/**
 * Whether `conv` takes `raw` as one whole value, storing it in `values[k]`: the interpreter's
 * twin of the generated matcher's test (a `parse` converter tests while it converts).
 */
function accept(conv: ConverterEntry, raw: string, values: unknown[], k: number): boolean {
  if (conv.parse === null && conv.test !== null && !conv.test(raw)) return false
  return convert(conv, raw, values, k)
}

/** Converts a regex node's captures into `values[k…]`; `false` when one declines. */
export function convertAll(
  node: TrieNode,
  m: RegExpExecArray,
  values: unknown[],
  k: number
): boolean {
  const convs = node.convs
  for (let j = 0; j < convs.length; j++) {
    if (
      !convert(convs[j] as ConverterEntry, m[node.starts[j] as number] as string, values, k + j)
    ) {
      return false
    }
  }
  return true
}

const NONE: readonly never[] = []

/** `path.startsWith(label, i)` for short labels, without the builtin call (hot path). */
function sameText(path: string, i: number, label: string): boolean {
  for (let j = 1; j < label.length; j++) {
    if (path.charCodeAt(i + j) !== label.charCodeAt(j)) return false
  }
  return true
}

/**
 * Matches `path` from index `i` (the start of a segment) below `node`. Converted values are
 * written to `values[k…]`; returns the endpoint, or `null`. Allocates only parameter substrings
 * (and a match array for the regex kinds).
 */
export function walk<E extends TrieTarget>(
  node: TrieNode<E>,
  path: string,
  i: number,
  k: number,
  values: unknown[]
): E | null {
  const len = path.length
  let statics: readonly TrieNode<E>[] = node.statics
  if (statics.length !== 0) {
    const c = path.charCodeAt(i)
    const byChar = node.byChar
    if (byChar !== null) statics = byChar[c < 128 ? c : 128] ?? NONE
    for (let j = 0; j < statics.length; j++) {
      const child = statics[j] as TrieNode<E>
      const first = child.first
      if (first !== c && first !== -1) continue
      const label = child.key
      const end = i + label.length
      if (end > len || !sameText(path, i, label)) continue
      // Labels are whole segments: the match must end at a "/" or at the end of the path.
      if (end === len) {
        if (child.endpoint !== null) return child.endpoint
      } else if (path.charCodeAt(end) === 47) {
        const found = walk(child, path, end + 1, k, values)
        if (found !== null) return found
      } else {
        continue
      }
      break // siblings start with different segments: no other one can match
    }
  }
  const dynamic = node.dynamic
  if (dynamic.length === 0) return null
  let e = path.indexOf('/', i)
  const last = e === -1
  if (last) e = len
  let seg: string | undefined
  for (let j = 0; j < dynamic.length; j++) {
    const child = dynamic[j] as TrieNode<E>
    const kind = child.kind
    let width = 1
    if (kind === SEGMENT) {
      if (e === i) continue
      if (seg === undefined) seg = path.slice(i, e)
      if (!accept(child.conv as ConverterEntry, seg, values, k)) continue
    } else if (kind === MIXED) {
      const pre = child.pre
      const suf = child.suf
      const from = i + pre.length
      const to = e - suf.length
      if (to <= from || !path.startsWith(pre, i) || !path.endsWith(suf, e)) continue
      const raw = path.slice(from, to)
      if (!accept(child.conv as ConverterEntry, raw, values, k)) continue
    } else if (kind === MULTI) {
      seg ??= path.slice(i, e)
      const m = (child.regex as RegExp).exec(seg)
      if (m === null || !convertAll(child, m, values, k)) continue
      width = child.convs.length
    } else if (kind === TAIL) {
      if (i >= len) continue
      if (!convert(child.conv as ConverterEntry, path.slice(i), values, k)) continue
      return child.endpoint
    } else {
      const m = (child.regex as RegExp).exec(path.slice(i))
      if (m === null || !convertAll(child, m, values, k)) continue
      return child.endpoint
    }
    const found = last ? child.endpoint : walk(child, path, e + 1, k + width, values)
    if (found !== null) return found
  }
  return null
}

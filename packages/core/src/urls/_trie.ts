/**
 * @module
 * The segment trie behind `Resolver.match()` for patterns with parameters (fully static ones live
 * in a `Map`). One node per distinct segment shape; at each node static children are tried first,
 * then parameter children in the order they first appeared in the URL conf, with backtracking.
 *
 * Node kinds: a whole-segment converter (`<int:id>`), a segment with one converter and literal
 * text around it (`page-<int:n>`, checked with `startsWith`/`endsWith`), a segment with several
 * converters (`<int:a>-<int:b>`, an anchored regex), a trailing `<path:rest>` (the rest of the
 * path), and anything from a `path` converter onward that is not that simple (anchored regex on
 * the rest of the path). Only the regex kinds allocate a match array.
 */
import type { ConverterEntry } from './converters'
import { isStaticSegment, segmentKey, segmentsToRegex, type PatternPart } from './pattern'

const STATIC = 0
/** Node kind: a whole-segment converter (`<int:id>`). */
export const SEGMENT = 1
/** Node kind: one converter with literal text around it (`page-<int:n>`). */
export const MIXED = 2
const MULTI = 3
/** Node kind: a trailing `<path:rest>`. */
export const TAIL = 4
/** Node kind: everything from a `path` converter on, as one regex. */
export const REST = 5

/** What the trie hands back: an endpoint plus its parameter names in capture order. */
export interface TrieTarget {
  readonly names: readonly string[]
}

/** A trie node. One shape for every kind keeps property access monomorphic. */
export class TrieNode<E extends TrieTarget = TrieTarget> {
  readonly statics: TrieNode<E>[] = []
  readonly dynamic: TrieNode<E>[] = []
  endpoint: E | null = null
  /** First char code of a static label (`-1` for the empty label of a trailing slash). */
  first = -1
  /** Converter of `SEGMENT`, `MIXED` and `TAIL` nodes. */
  conv: ConverterEntry | null = null
  /** Literal text before / after the converter of a `MIXED` node. */
  pre = ''
  suf = ''
  /** Anchored regex of `MULTI` and `REST` nodes, its converters and their group indexes. */
  regex: RegExp | null = null
  convs: readonly ConverterEntry[] = []
  starts: readonly number[] = []

  constructor(
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
  readonly parent: TrieNode<E>
  readonly child: TrieNode<E>
  readonly index: number
}

/** Whether a segment holds a `path` converter. */
export function hasPath(seg: readonly PatternPart[]): boolean {
  return seg.some((p) => typeof p !== 'string' && p.converter.name === 'path')
}

function convsOf(segs: readonly (readonly PatternPart[])[]): ConverterEntry[] {
  return segs.flatMap((seg) => seg.flatMap((p) => (typeof p === 'string' ? [] : [p.converter])))
}

function makeDynamic<E extends TrieTarget>(
  segs: readonly (readonly PatternPart[])[],
  s: number
): TrieNode<E> {
  const seg = segs[s] as readonly PatternPart[]
  if (hasPath(seg)) {
    const rest = segs.slice(s)
    const key = rest.map(segmentKey).join('/')
    const first = seg[0]
    if (
      s === segs.length - 1 &&
      seg.length === 1 &&
      first !== undefined &&
      typeof first !== 'string'
    ) {
      const node = new TrieNode<E>(TAIL, key, rest)
      node.conv = first.converter
      return node
    }
    return withRegex(new TrieNode<E>(REST, key, rest), rest)
  }
  const convs = convsOf([seg])
  if (convs.length === 1) {
    const at = seg.findIndex((p) => typeof p !== 'string')
    const node = new TrieNode<E>(seg.length === 1 ? SEGMENT : MIXED, segmentKey(seg), [seg])
    node.conv = convs[0] as ConverterEntry
    node.pre = at > 0 ? (seg[0] as string) : ''
    node.suf = at < seg.length - 1 ? (seg[seg.length - 1] as string) : ''
    return node
  }
  return withRegex(new TrieNode<E>(MULTI, segmentKey(seg), [seg]), [seg])
}

function withRegex<E extends TrieTarget>(
  node: TrieNode<E>,
  segs: readonly (readonly PatternPart[])[]
): TrieNode<E> {
  const starts: number[] = []
  node.regex = new RegExp(`^(?:${segmentsToRegex(segs, starts)})$`)
  node.convs = convsOf(segs)
  node.starts = starts
  return node
}

/**
 * Inserts a pattern's segments, returning the node it ends on (whose `endpoint` the caller sets)
 * and the parameter steps taken (for shadowing checks).
 */
export function insert<E extends TrieTarget>(
  root: TrieNode<E>,
  segs: readonly (readonly PatternPart[])[],
  steps: Step<E>[]
): TrieNode<E> {
  let node = root
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s] as readonly PatternPart[]
    if (isStaticSegment(seg)) {
      let child = node.statics.find((c) => c.key === seg[0])
      if (child === undefined) node.statics.push((child = new TrieNode<E>(STATIC, seg[0], [seg])))
      node = child
      continue
    }
    const fresh = makeDynamic<E>(segs, s)
    let index = node.dynamic.findIndex((c) => c.kind === fresh.kind && c.key === fresh.key)
    if (index === -1) index = node.dynamic.push(fresh) - 1
    const child = node.dynamic[index] as TrieNode<E>
    steps.push({ parent: node, child, index })
    node = child
    if (child.kind === TAIL || child.kind === REST) break
  }
  return node
}

/** Converts one raw value into `values[k]`; `false` when the converter declines. */
export function convert(conv: ConverterEntry, raw: string, values: unknown[], k: number): boolean {
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
  const statics = node.statics
  if (statics.length !== 0) {
    const c = path.charCodeAt(i)
    for (let j = 0; j < statics.length; j++) {
      const child = statics[j] as TrieNode<E>
      const first = child.first
      if ((first !== c && first !== -1) || !path.startsWith(child.key, i)) continue
      const end = i + child.key.length
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
      seg ??= path.slice(i, e)
      const conv = child.conv as ConverterEntry
      if ((conv.test !== null && !conv.test(seg)) || !convert(conv, seg, values, k)) continue
    } else if (kind === MIXED) {
      const pre = child.pre
      const suf = child.suf
      const from = i + pre.length
      const to = e - suf.length
      if (to <= from || !path.startsWith(pre, i) || !path.endsWith(suf, e)) continue
      const raw = path.slice(from, to)
      const conv = child.conv as ConverterEntry
      if ((conv.test !== null && !conv.test(raw)) || !convert(conv, raw, values, k)) continue
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

/**
 * Merges chains of static nodes (`api` → `v1` → `users`) into one label (`api/v1/users`), so a
 * match takes one `startsWith` instead of one step per segment. Run after the shadowing checks,
 * which walk the uncompressed trie.
 */
export function compress(node: TrieNode): void {
  const statics = node.statics
  for (let j = 0; j < statics.length; j++) {
    let child = statics[j] as TrieNode
    while (child.statics.length === 1 && child.dynamic.length === 0 && child.endpoint === null) {
      const next = child.statics[0] as TrieNode
      const merged = new TrieNode(STATIC, `${child.key}/${next.key}`, child.parts)
      merged.statics.push(...next.statics)
      merged.dynamic.push(...next.dynamic)
      merged.endpoint = next.endpoint
      child = merged
    }
    statics[j] = child
    compress(child)
  }
  for (const child of node.dynamic) compress(child)
}

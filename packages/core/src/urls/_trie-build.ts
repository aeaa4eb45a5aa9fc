/**
 * @module
 * Building the matching trie: inserting patterns (one node per distinct segment shape, parameter
 * children kept in first-appearance order) and, once the startup checks are done, merging static
 * chains into single labels.
 */
import type { ConverterEntry } from './converters'
import { isStaticSegment, segmentKey, segmentsToRegex, type PatternPart } from './pattern'
import {
  hasPath,
  MIXED,
  MULTI,
  REST,
  SEGMENT,
  STATIC,
  TAIL,
  TrieNode,
  type Step,
  type TrieTarget,
} from './_trie'

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
  if (statics.length >= INDEX_FROM) node.byChar = indexByChar(statics)
}

/** Nodes with at least this many static children get a first-char index. */
const INDEX_FROM = 6

function indexByChar(statics: readonly TrieNode[]): TrieNode[][] {
  const byChar: TrieNode[][] = []
  const add = (c: number, child: TrieNode): number => (byChar[c] ??= []).push(child)
  for (const child of statics) {
    const c = child.first
    if (c === -1) {
      // The empty label matches before a "/" (47) or at the end of the path (NaN → 128).
      add(47, child)
      add(128, child)
    } else {
      add(c < 128 ? c : 128, child)
    }
  }
  return byChar
}

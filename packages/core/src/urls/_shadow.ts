/**
 * @module
 * Startup check for unreachable routes. A route is shadowed when, at one of its parameter
 * segments, an earlier parameter sibling in the trie leads to an endpoint that catches every
 * path the route would match (`<str:x>/` before `<int:n>/`, `<path:p>` before anything under
 * it). The check is conservative: it only reports what it can prove from converter inclusion
 * (str ⊇ slug ⊇ int, slug ⊇ uuid, str ⊇ everything in one segment, path ⊇ any non-empty rest).
 */
import type { ConverterEntry } from './converters'
import { isStaticSegment, type PatternPart } from './pattern'
import {
  convert,
  convertAll,
  hasPath,
  MIXED,
  REST,
  SEGMENT,
  TAIL,
  type Step,
  type TrieNode,
  type TrieTarget,
} from './_trie'

/** Whether a parameter node matches a literal segment (what a static segment would be). */
function matchesText(node: TrieNode, text: string): boolean {
  if (text === '') return false
  const values: unknown[] = []
  if (node.kind === SEGMENT || node.kind === MIXED) {
    if (!text.startsWith(node.pre) || !text.endsWith(node.suf)) return false
    const raw = text.slice(node.pre.length, text.length - node.suf.length)
    const conv = node.conv as ConverterEntry
    return raw !== '' && (conv.test === null || conv.test(raw)) && convert(conv, raw, values, 0)
  }
  const m = (node.regex as RegExp).exec(text)
  return m !== null && convertAll(node, m, values, 0)
}

function broader(a: ConverterEntry, b: ConverterEntry): boolean {
  if (a === b || a.name === 'str') return true
  return a.name === 'slug' && (b.name === 'int' || b.name === 'uuid')
}

/** Whether parameter node `node` catches every text segment `seg` can match. */
function segmentCovers(node: TrieNode, seg: readonly PatternPart[]): boolean {
  if (isStaticSegment(seg)) return matchesText(node, seg[0])
  const mine = node.parts[0] as readonly PatternPart[]
  if (node.kind === SEGMENT && (node.conv as ConverterEntry).name === 'str') return true
  if (mine.length !== seg.length) return false
  for (let p = 0; p < mine.length; p++) {
    const a = mine[p] as PatternPart
    const b = seg[p] as PatternPart
    if (typeof a === 'string' || typeof b === 'string') {
      if (a !== b) return false
    } else if (!broader(a.converter, b.converter)) {
      return false
    }
  }
  return true
}

function restNonEmpty(segs: readonly (readonly PatternPart[])[], s: number): boolean {
  const seg = segs[s]
  return seg !== undefined && (s < segs.length - 1 || !(isStaticSegment(seg) && seg[0] === ''))
}

/** The endpoint in `node`'s subtree that catches every path `segs[s…]` matches, if any. */
function coveredBy<E extends TrieTarget>(
  node: TrieNode<E>,
  segs: readonly (readonly PatternPart[])[],
  s: number
): E | null {
  if (node.kind === TAIL) return restNonEmpty(segs, s) ? node.endpoint : null
  const seg = segs[s] as readonly PatternPart[]
  if (node.kind === REST || hasPath(seg) || !segmentCovers(node, seg)) return null
  return subtreeCovers(node, segs, s + 1)
}

function subtreeCovers<E extends TrieTarget>(
  node: TrieNode<E>,
  segs: readonly (readonly PatternPart[])[],
  s: number
): E | null {
  if (s === segs.length) return node.endpoint
  const seg = segs[s] as readonly PatternPart[]
  if (isStaticSegment(seg)) {
    const child = node.statics.find((c) => c.key === seg[0])
    const found = child === undefined ? null : subtreeCovers(child, segs, s + 1)
    if (found !== null) return found
  }
  for (const child of node.dynamic) {
    const found = coveredBy(child, segs, s)
    if (found !== null) return found
  }
  return null
}

/**
 * The endpoint that catches every path a pattern would match before it gets a chance: an earlier
 * parameter sibling, at one of the pattern's parameter steps, whose subtree covers the rest.
 */
export function shadowOf<E extends TrieTarget>(
  segs: readonly (readonly PatternPart[])[],
  steps: readonly Step<E>[]
): E | null {
  let s = 0
  for (const step of steps) {
    // The step's segment index: skip the static segments before it.
    while (isStaticSegment(segs[s] as readonly PatternPart[])) s++
    for (let j = 0; j < step.index; j++) {
      const found = coveredBy(step.parent.dynamic[j] as TrieNode<E>, segs, s)
      if (found !== null) return found
    }
    s++
  }
  return null
}

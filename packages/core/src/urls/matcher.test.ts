import { afterEach, describe, expect, it } from 'vitest'
import type { Params } from '../request'
import { setCodeGeneration } from './_codegen'
import { TrieNode, type TrieTarget } from './_trie'
import { compress, insert } from './_trie-build'
import { compileMatcher } from './_trie-compile'
import { path, type UrlEntry } from './conf'
import { registerConverter } from './converters'
import { parsePattern } from './pattern'
import { Resolver } from './resolver'

registerConverter('odd', {
  regex: '[0-9]+',
  toValue(raw) {
    if (Number(raw) % 2 === 0) throw new RangeError('even')
    return Number(raw)
  },
  toUrl: String,
})

const v = (): null => null
const UUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'

// A table with every node kind, shared prefixes, backtracking and wide static fan-out.
const PATTERNS = [
  '',
  'notes/',
  'notes/new/',
  'notes/<int:id>/',
  'notes/<uuid:id>/edit/',
  'notes/<slug:slug>/',
  'tags/<odd:n>/',
  'tags/<str:t>/',
  'page-<int:n>/',
  '<int:a>-<int:b>/',
  'export/<str:name>.json',
  'files/<path:rest>',
  'raw/<path:rest>/edit/',
  'dl/file-<path:p>',
  'api/v1/users/<int:id>/',
  'api/<str:version>/items/',
  'a/b/c/',
  'a/<str:x>/d/',
  'r/<owner>/<repo>/',
  ...['issues', 'pulls', 'commits', 'comments', 'branches', 'hooks', 'labels', 'forks'].flatMap(
    (s) => [`r/<owner>/<repo>/${s}`, `r/<owner>/<repo>/${s}/<int:n>`]
  ),
  'r/<owner>/<repo>/contents/<path:p>',
  'x//<int:n>',
  'café/<int:n>/',
]

const SEGMENTS = [
  'notes',
  'new',
  'edit',
  'tags',
  'page-3',
  'page-',
  '1-2',
  '3',
  '4',
  '42',
  'abc',
  'a-b_c',
  UUID,
  UUID.toUpperCase(),
  'report.v2.json',
  '.json',
  'export',
  'files',
  'raw',
  'dl',
  'file-x',
  'api',
  'v1',
  'v2',
  'users',
  'items',
  'a',
  'b',
  'c',
  'd',
  'r',
  'octo',
  'hello',
  'issues',
  'pulls',
  'comments',
  'commits',
  'contents',
  'forks',
  'x',
  '',
  'café',
  'x y',
  '99999999999999999999',
]

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x80000000
  }
}

function build(urls: readonly UrlEntry[], generated: boolean): Resolver {
  setCodeGeneration(generated)
  try {
    return new Resolver(urls)
  } finally {
    setCodeGeneration(true)
  }
}

function run(resolver: Resolver, p: string): [string, Params] | null {
  const target = { params: {} as Params }
  const ep = resolver.match(p, target)
  return ep === null ? null : [ep.pattern, target.params]
}

afterEach(() => setCodeGeneration(true))

describe('compiled matcher', () => {
  const urls = PATTERNS.map((p) => path(p, v))
  const compiled = build(urls, true)
  const interpreted = build(urls, false)

  it('is generated when code generation is available, and walk() otherwise', () => {
    const root = new TrieNode<TrieTarget>(0, '', [])
    insert(root, parsePattern('n/<int:id>/').segments, []).endpoint = { names: ['id'] }
    compress(root)
    expect(compileMatcher(root).name).toBe('match')
    setCodeGeneration(false)
    expect(compileMatcher(root).name).not.toBe('match')
  })

  it('agrees with the interpreter on hand-picked paths', () => {
    const paths = [
      '/',
      '/notes/',
      '/notes/new/',
      '/notes/7/',
      `/notes/${UUID}/edit/`,
      '/notes/a-b/',
      '/tags/3/',
      '/tags/4/',
      '/page-3/',
      '/1-2/',
      '/export/a.b.json',
      '/files/a/b',
      '/files/',
      '/raw/a/b/edit/',
      '/dl/file-x/y',
      '/api/v1/users/5/',
      '/api/v1/items/',
      '/a/b/c/',
      '/a/b/d/',
      '/r/o/h/',
      '/r/o/h/issues',
      '/r/o/h/issues/5',
      '/r/o/h/contents/a/b',
      '/r/o/h/unknown/1',
      '/x//3',
      '/café/1/',
      '/notes',
      'notes/',
      '',
      '/notes//',
      '/99999999999999999999-1/',
    ]
    for (const p of paths) expect(run(compiled, p), p).toEqual(run(interpreted, p))
    expect(run(compiled, '/r/o/h/issues/5')).toEqual([
      'r/<owner>/<repo>/issues/<int:n>',
      { owner: 'o', repo: 'h', n: 5 },
    ])
  })

  it('agrees with the interpreter on 5000 random paths', () => {
    const random = rng(42)
    const pick = (): string => SEGMENTS[Math.floor(random() * SEGMENTS.length)] as string
    let matched = 0
    for (let n = 0; n < 5000; n++) {
      const depth = 1 + Math.floor(random() * 5)
      let p = ''
      for (let s = 0; s < depth; s++) p += `/${pick()}`
      if (random() < 0.5) p += '/'
      const want = run(interpreted, p)
      if (want !== null) matched++
      expect(run(compiled, p), p).toEqual(want)
    }
    expect(matched).toBeGreaterThan(100) // the sample exercises real matches, not only misses
  })

  it('splits a large table into several functions and still agrees', () => {
    const shapes = [
      '',
      '<int:id>/',
      '<int:id>/edit/',
      '<int:id>/items/<int:item>/',
      'new/',
      'search/',
      '<int:id>/owners/<slug:o>/',
      'export/<str:fmt>/',
      'page-<int:n>/',
      '<path:rest>',
    ]
    const patterns: string[] = []
    for (let r = 0; r < 60; r++) for (const shape of shapes) patterns.push(`res${r}/${shape}`)
    const root = new TrieNode<TrieTarget>(0, '', [])
    for (const p of patterns) insert(root, parsePattern(p).segments, []).endpoint = { names: [] }
    compress(root)
    const source: string[] = []
    const original = globalThis.Function
    globalThis.Function = new Proxy(original, {
      construct(target, args: string[]) {
        source.push(args[args.length - 1] as string)
        return Reflect.construct(target, args)
      },
    })
    try {
      expect(compileMatcher(root).name).toBe('match')
    } finally {
      globalThis.Function = original
    }
    expect(source.join('').match(/function F\d+\(/g)?.length).toBeGreaterThan(10)

    const urls = patterns.map((p) => path(p, v))
    const [big, bigInterpreted] = [build(urls, true), build(urls, false)]
    const paths = [
      '/res7/',
      '/res7/12/',
      '/res59/3/items/4/',
      '/res0/new/',
      '/res12/9/owners/a-b/',
      '/res3/export/csv/',
      '/res3/page-2/',
      '/res40/some/where/deep',
      '/res40/x/edit/',
      '/res60/',
      '/res1/1/items/x/',
    ]
    for (const p of paths) expect(run(big, p), p).toEqual(run(bigInterpreted, p))
    expect(run(big, '/res59/3/items/4/')).toEqual([
      'res59/<int:id>/items/<int:item>/',
      { id: 3, item: 4 },
    ])
  })
})

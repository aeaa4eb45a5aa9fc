import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from '../codes'
import { parsePattern, segmentsToRegex, type PatternPart } from './pattern'

function error(fn: () => unknown): ImproperlyConfigured {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ImproperlyConfigured)
    return e as ImproperlyConfigured
  }
  throw new Error('expected an ImproperlyConfigured error')
}

function shape(parts: readonly PatternPart[]): string[] {
  return parts.map((p) => (typeof p === 'string' ? p : `<${p.converter.name}:${p.name}>`))
}

describe('parsePattern', () => {
  it('splits a pattern into segments and parameters', () => {
    const p = parsePattern('articles/<int:year>/<slug:slug>/')
    expect(p.segments.map(shape)).toEqual([['articles'], ['<int:year>'], ['<slug:slug>'], ['']])
    expect(p.params.map((x) => [x.name, x.converter.name])).toEqual([
      ['year', 'int'],
      ['slug', 'slug'],
    ])
    expect(p.key).toBe('articles/<int>/<slug>/')
  })

  it('treats a bare <name> as str', () => {
    const p = parsePattern('<name>')
    expect(p.params[0]?.converter.name).toBe('str')
    expect(p.key).toBe('<str>')
  })

  it('keeps literal text around a converter inside one segment', () => {
    expect(parsePattern('page-<int:n>/').segments.map(shape)).toEqual([['page-', '<int:n>'], ['']])
    expect(parsePattern('<int:a>-<int:b>.json').segments.map(shape)).toEqual([
      ['<int:a>', '-', '<int:b>', '.json'],
    ])
  })

  it('parses the empty pattern as one empty segment', () => {
    expect(parsePattern('').segments.map(shape)).toEqual([['']])
  })

  it('normalises parameter names away in the key', () => {
    expect(parsePattern('x/<int:a>/').key).toBe(parsePattern('x/<int:b>/').key)
    expect(parsePattern('x/<int:a>/').key).not.toBe(parsePattern('x/<str:a>/').key)
  })

  it('refuses a leading slash', () => {
    const e = error(() => parsePattern('/notes/'))
    expect(e.code).toBe('ERR_BAD_PATTERN')
    expect(e.message).toMatch(/Remove the leading slash/)
  })

  it('refuses an unclosed "<" and a stray ">"', () => {
    expect(error(() => parsePattern('notes/<int:id/')).message).toMatch(
      /unclosed "<" at position 6/
    )
    expect(error(() => parsePattern('a/<<int:id>/')).code).toBe('ERR_BAD_PATTERN')
    expect(error(() => parsePattern('a/id>/')).message).toMatch(/">" without a matching "<"/)
  })

  it('refuses invalid and duplicate parameter names', () => {
    expect(error(() => parsePattern('<int:1id>/')).message).toMatch(/not an identifier/)
    expect(error(() => parsePattern('<int: id>/')).code).toBe('ERR_BAD_PATTERN')
    expect(error(() => parsePattern('<int:>/')).code).toBe('ERR_BAD_PATTERN')
    expect(error(() => parsePattern('<int:id>/<slug:id>/')).message).toMatch(/"id" twice/)
    expect(error(() => parsePattern('<__proto__>/')).code).toBe('ERR_BAD_PATTERN')
  })

  it('refuses unknown converters, listing the known ones', () => {
    const e = error(() => parsePattern('items/<integer:id>/'))
    expect(e.code).toBe('ERR_UNKNOWN_CONVERTER')
    expect(e.message).toMatch(/"integer"/)
    expect(e.message).toMatch(/str, int, slug, uuid, path/)
    expect(e.message).toMatch(/registerConverter/)
  })

  it('names the thing being parsed in messages', () => {
    expect(error(() => parsePattern('/api/', 'include prefix')).message).toMatch(
      /^The include prefix/
    )
  })
})

describe('segmentsToRegex', () => {
  it('builds one capture per parameter and escapes literal text', () => {
    const starts: number[] = []
    const source = segmentsToRegex(parsePattern('v1.0/<int:a>-<slug:b>').segments, starts)
    const re = new RegExp(`^${source}$`)
    expect(starts).toEqual([1, 2])
    expect(re.exec('v1.0/12-ab')?.slice(1)).toEqual(['12', 'ab'])
    expect(re.test('v1x0/12-ab')).toBe(false)
  })
})

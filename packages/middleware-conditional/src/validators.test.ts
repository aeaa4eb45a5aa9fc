/**
 * The validator helpers on their own: entity-tag formatting and list matching, HTTP-date
 * parsing in its three forms, and the body hash.
 */
import { CycleResponse } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { hashBytes, hashString } from './hash'
import {
  etag,
  lastModified,
  matchesEntityTags,
  parseHttpDate,
  toEntityTag,
  toHttpDate,
} from './validators'

describe('toEntityTag / etag()', () => {
  it('quotes bare values and keeps full tags', () => {
    expect(toEntityTag(3)).toBe('"3"')
    expect(toEntityTag('v3')).toBe('"v3"')
    expect(toEntityTag('v3', true)).toBe('W/"v3"')
    expect(toEntityTag('"v3"')).toBe('"v3"')
    expect(toEntityTag('W/"v3"')).toBe('W/"v3"')
    expect(toEntityTag('""')).toBe('""')
  })

  it('refuses what an entity tag cannot hold (no header injection)', () => {
    for (const bad of ['a b', 'a"b', 'a\r\nx: y', '"a"b"', 'é€', '\u0000']) {
      expect(() => toEntityTag(bad)).toThrow(TypeError)
    }
  })

  it('etag() and lastModified() set the headers and return the response', () => {
    const res = new CycleResponse('x')
    expect(lastModified(etag(res, 7, { weak: true }), 0)).toBe(res)
    expect(res.headers.get('etag')).toBe('W/"7"')
    expect(res.headers.get('last-modified')).toBe('Thu, 01 Jan 1970 00:00:00 GMT')
    expect(() => lastModified(res, new Date('nope'))).toThrow(TypeError)
    expect(toHttpDate(new Date('1994-11-06T08:49:37.999Z'))).toBe('Sun, 06 Nov 1994 08:49:37 GMT')
  })
})

describe('matchesEntityTags', () => {
  const strong = (field: string, current?: string, exists = true) =>
    matchesEntityTags(field, current, exists, true)
  const weak = (field: string, current?: string, exists = true) =>
    matchesEntityTags(field, current, exists, false)

  it('compares strongly and weakly as RFC 9110 §8.8.3.2 tabulates', () => {
    // W/"1" vs W/"1": no strong match, weak match
    expect(strong('W/"1"', 'W/"1"')).toBe(false)
    expect(weak('W/"1"', 'W/"1"')).toBe(true)
    // W/"1" vs W/"2": neither
    expect(weak('W/"1"', 'W/"2"')).toBe(false)
    // W/"1" vs "1": no strong match, weak match
    expect(strong('W/"1"', '"1"')).toBe(false)
    expect(weak('W/"1"', '"1"')).toBe(true)
    // "1" vs "1": both
    expect(strong('"1"', '"1"')).toBe(true)
    expect(weak('"1"', '"1"')).toBe(true)
  })

  it('reads lists with spaces, empty members and commas inside tags', () => {
    expect(weak(' , "a",,  "b,c" ,"d"', '"b,c"')).toBe(true)
    expect(weak('"a", "b"', '"c"')).toBe(false)
    expect(weak('"a", "b,c"', '"c"')).toBe(false)
  })

  it('* matches any current representation, never a missing one', () => {
    expect(strong('*', undefined, true)).toBe(true)
    expect(strong('*', undefined, false)).toBe(false)
    expect(weak('*', 'W/"x"', true)).toBe(true)
  })

  it('never matches malformed members or a missing tag', () => {
    expect(weak('abc', '"abc"')).toBe(false)
    expect(weak('"abc', '"abc"')).toBe(false)
    expect(weak('x, "abc"', '"abc"')).toBe(true)
    expect(weak('"abc"', undefined)).toBe(false)
    expect(weak('"abc"', 'abc')).toBe(false)
    expect(weak('"ab"', '"abc"')).toBe(false)
  })
})

describe('parseHttpDate', () => {
  const t = Date.UTC(1994, 10, 6, 8, 49, 37)
  it('reads the three forms of RFC 9110 §5.6.7', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t)
  })

  it('is NaN for anything else', () => {
    for (const bad of [
      '',
      '1994-11-06T08:49:37Z',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Foo 1994 08:49:37 GMT',
      'Sun, 06 anF 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 25:49:37 GMT',
      '784111777',
    ]) {
      expect(parseHttpDate(bad), bad).toBeNaN()
    }
  })
})

describe('body hash', () => {
  it('is deterministic and includes the length', () => {
    expect(hashString('hello')).toBe(hashString('hello'))
    expect(hashString('hello')).toMatch(/^5-[0-9a-f]{16}$/)
    expect(hashBytes(new Uint8Array(300))).toMatch(/^12c-[0-9a-f]{16}$/)
    expect(hashString('')).toMatch(/^0-[0-9a-f]{16}$/)
  })

  it('never gives two bodies of one length that differ in one place the same tag', () => {
    const base = 'x'.repeat(64)
    const seen = new Set<string>()
    for (let i = 0; i < base.length; i++) {
      for (const c of 'abcyz\u00e9\u4e2d')
        seen.add(hashString(base.slice(0, i) + c + base.slice(i + 1)))
    }
    expect(seen.size).toBe(64 * 7)
    const bytes = new Uint8Array(33)
    const tags = new Set<string>()
    for (let i = 0; i < bytes.length; i++) {
      for (let v = 1; v < 256; v += 17) {
        const copy = bytes.slice()
        copy[i] = v
        tags.add(hashBytes(copy))
      }
    }
    expect(tags.size).toBe(33 * 15)
  })

  it('spreads close bodies over the whole tag (no shared prefix)', () => {
    const a = hashString('{"id":1}').split('-')[1] as string
    const b = hashString('{"id":2}').split('-')[1] as string
    expect(a.slice(0, 4)).not.toBe(b.slice(0, 4))
    expect(a.slice(8, 12)).not.toBe(b.slice(8, 12))
  })
})

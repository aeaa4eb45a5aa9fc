import { describe, expect, it } from 'vitest'
import { timingSafeEqual } from './timing-safe-equal'

describe('timingSafeEqual', () => {
  it('is true for equal strings and equal byte arrays', () => {
    expect(timingSafeEqual('s3cret', 's3cret')).toBe(true)
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(timingSafeEqual('', '')).toBe(true)
  })

  it('is false when one byte differs, at the start, the middle or the end', () => {
    expect(timingSafeEqual('abcdef', 'xbcdef')).toBe(false)
    expect(timingSafeEqual('abcdef', 'abcxef')).toBe(false)
    expect(timingSafeEqual('abcdef', 'abcdex')).toBe(false)
  })

  it('is false for a prefix, an extension and the empty string', () => {
    expect(timingSafeEqual('secret', 'secre')).toBe(false)
    expect(timingSafeEqual('secret', 'secret!')).toBe(false)
    expect(timingSafeEqual('secret', '')).toBe(false)
    expect(timingSafeEqual('', 'secret')).toBe(false)
  })

  it('is false when the shorter input is padded with zero bytes', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false)
  })

  it('compares strings as UTF-8 and mixes strings with bytes', () => {
    expect(timingSafeEqual('pässwörd', new TextEncoder().encode('pässwörd'))).toBe(true)
    expect(timingSafeEqual('é', 'e\u0301')).toBe(false)
  })

  it('compares two strings by code unit: non-ASCII, NUL padding and lone surrogates', () => {
    expect(timingSafeEqual('pässwörd', 'pässwörd')).toBe(true)
    expect(timingSafeEqual('pässwörd', 'passwörd')).toBe(false)
    expect(timingSafeEqual('ab', 'ab\u0000')).toBe(false)
    expect(timingSafeEqual('😀', '😀')).toBe(true)
    // UTF-8 would encode both as U+FFFD and call them equal.
    expect(timingSafeEqual('\ud800', '\udc00')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from '../codes'
import {
  converterEntry,
  intConverter,
  pathConverter,
  registerConverter,
  slugConverter,
  strConverter,
  uuidConverter,
  type Converter,
} from './converters'

function entry(name: string) {
  const found = converterEntry(name)
  if (found === undefined) throw new Error(`no converter ${name}`)
  return found
}

/** Whether a whole value matches, as the matcher checks it (fast test, else the regex). */
function accepts(name: string, value: string): boolean {
  const e = entry(name)
  const fast = e.test === null ? value.length > 0 : e.test(value)
  expect(fast).toBe(e.full.test(value)) // the hand-written test agrees with the regex
  return fast
}

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfigured)
    return (error as ImproperlyConfigured).code
  }
  return undefined
}

describe('built-in converters', () => {
  it('str matches any non-empty segment and keeps it a string', () => {
    expect(strConverter.regex).toBe('[^/]+')
    expect(accepts('str', 'hello world')).toBe(true)
    expect(accepts('str', 'ünïcode')).toBe(true)
    expect(entry('str').full.test('a/b')).toBe(false)
    expect(accepts('str', '')).toBe(false)
    expect(strConverter.toValue('abc')).toBe('abc')
    expect(strConverter.toUrl('abc')).toBe('abc')
  })

  it('int matches digits and converts to a number', () => {
    expect(accepts('int', '0')).toBe(true)
    expect(accepts('int', '007')).toBe(true)
    expect(accepts('int', '-1')).toBe(false)
    expect(accepts('int', '1.5')).toBe(false)
    expect(accepts('int', '12a')).toBe(false)
    expect(accepts('int', '')).toBe(false)
    expect(intConverter.toValue('007')).toBe(7)
    expect(typeof intConverter.toValue('42')).toBe('number')
  })

  it('int declines values that would lose precision', () => {
    expect(() => intConverter.toValue('9007199254740993')).toThrow(RangeError)
    expect(intConverter.toValue('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('int.toUrl refuses negatives, fractions and non-numbers', () => {
    expect(intConverter.toUrl(42)).toBe('42')
    expect(intConverter.toUrl('42' as unknown as number)).toBe('42')
    expect(() => intConverter.toUrl(-1)).toThrow(TypeError)
    expect(() => intConverter.toUrl(1.5)).toThrow(TypeError)
    expect(() => intConverter.toUrl(Number.NaN)).toThrow(TypeError)
    expect(() => intConverter.toUrl('abc' as unknown as number)).toThrow(TypeError)
  })

  it('slug matches ASCII letters, digits, hyphens and underscores', () => {
    expect(accepts('slug', 'hello-world_2')).toBe(true)
    expect(accepts('slug', 'Hello')).toBe(true)
    expect(accepts('slug', 'héllo')).toBe(false)
    expect(accepts('slug', 'a b')).toBe(false)
    expect(accepts('slug', 'a.b')).toBe(false)
    expect(slugConverter.toValue('a-b')).toBe('a-b')
  })

  it('uuid matches lower-case UUIDs only, and toUrl lower-cases', () => {
    const id = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'
    expect(accepts('uuid', id)).toBe(true)
    expect(accepts('uuid', id.toUpperCase())).toBe(false)
    expect(accepts('uuid', id.slice(1))).toBe(false)
    expect(accepts('uuid', id.replace(/-/g, ''))).toBe(false)
    expect(accepts('uuid', '0a1b2c3d-4e5f-6789-abcd-ef012345678g')).toBe(false)
    expect(accepts('uuid', '0a1b2c3d_4e5f-6789-abcd-ef0123456789')).toBe(false)
    expect(uuidConverter.toValue(id)).toBe(id)
    expect(uuidConverter.toUrl(id.toUpperCase())).toBe(id)
  })

  it('path matches anything non-empty, slashes included', () => {
    expect(entry('path').full.test('a/b/c.txt')).toBe(true)
    expect(entry('path').full.test('')).toBe(false)
    expect(pathConverter.toValue('a/b')).toBe('a/b')
    expect(pathConverter.toUrl('a/b')).toBe('a/b')
  })

  it('toUrl of the string converters refuses objects but takes numbers', () => {
    expect(strConverter.toUrl(5 as unknown as string)).toBe('5')
    expect(() => strConverter.toUrl({} as unknown as string)).toThrow(TypeError)
    expect(() => slugConverter.toUrl(undefined as unknown as string)).toThrow(TypeError)
  })

  it('only int runs toValue while matching; the others are identities', () => {
    expect(entry('int').identity).toBe(false)
    for (const name of ['str', 'slug', 'uuid', 'path']) expect(entry(name).identity).toBe(true)
  })
})

describe('registerConverter', () => {
  const year: Converter<number> = {
    regex: '[0-9]{4}',
    toValue: (raw) => Number(raw),
    toUrl: (value) => String(value).padStart(4, '0'),
  }

  it('registers a custom converter tested by its regex', () => {
    registerConverter('year', year)
    const e = entry('year')
    expect(e.converter).toBe(year)
    expect(e.identity).toBe(false)
    expect(e.test?.('2024')).toBe(true)
    expect(e.test?.('24')).toBe(false)
    expect(e.test?.('20245')).toBe(false) // anchored
  })

  it('refuses a name that is taken, built-ins included', () => {
    expect(code(() => registerConverter('int', year))).toBe('ERR_BAD_OPTION')
    expect(code(() => registerConverter('year', year))).toBe('ERR_BAD_OPTION')
    expect(() => registerConverter('year', year)).toThrow(/already registered/)
  })

  it('refuses invalid names, bad shapes and regexes that do not compile', () => {
    expect(code(() => registerConverter('my-year', year))).toBe('ERR_BAD_OPTION')
    expect(code(() => registerConverter('', year))).toBe('ERR_BAD_OPTION')
    const noUrl = { regex: 'x', toValue: String } as unknown as Converter
    expect(code(() => registerConverter('nourl', noUrl))).toBe('ERR_BAD_OPTION')
    expect(code(() => registerConverter('broken', { ...year, regex: '[0-9' }))).toBe(
      'ERR_BAD_OPTION'
    )
    expect(converterEntry('broken')).toBeUndefined()
  })

  it('counts the capturing groups of a custom regex', () => {
    registerConverter('pair', { regex: '([a-z])-([a-z])', toValue: String, toUrl: String })
    expect(entry('pair').groups).toBe(2)
    expect(entry('int').groups).toBe(0)
  })
})

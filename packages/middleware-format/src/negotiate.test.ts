import { describe, expect, it } from 'vitest'
import { MAX_RANGES, negotiate, parseAccept } from './negotiate'

const OFFERS = ['application/json', 'text/html', 'text/plain']

describe('parseAccept', () => {
  it('reads types, parameters and weights', () => {
    expect(parseAccept('Text/HTML;Level=1;q=0.5;ext=x, */*')).toEqual([
      { type: 'text', subtype: 'html', params: { level: '1' }, q: 0.5 },
      { type: '*', subtype: '*', params: {}, q: 1 },
    ])
  })

  it('unquotes quoted parameter values and keeps commas inside quotes', () => {
    const [range] = parseAccept('text/html;profile="a,b\\"c";q=1')
    expect(range?.params).toEqual({ profile: 'a,b"c' })
  })

  it('skips malformed ranges: bad weights, */subtype, missing slash, bad tokens', () => {
    expect(
      parseAccept(
        'text/html;q=2, text/plain;q=0.5555, */json, json, te xt/html, text/<b>, text/csv;q=1.0'
      )
    ).toEqual([{ type: 'text', subtype: 'csv', params: {}, q: 1 }])
  })

  it(`keeps at most ${MAX_RANGES} ranges of a huge header`, () => {
    const header = Array.from({ length: 5000 }, (_, i) => `x/y${i}`).join(',')
    expect(parseAccept(header)).toHaveLength(MAX_RANGES)
  })
})

describe('negotiate', () => {
  it('gives the first offer when Accept is absent, empty or unreadable', () => {
    expect(negotiate(null, OFFERS)).toBe('application/json')
    expect(negotiate('', OFFERS)).toBe('application/json')
    expect(negotiate('   ', OFFERS)).toBe('application/json')
    expect(negotiate(',,;;', OFFERS)).toBe('application/json')
  })

  it('follows the weights', () => {
    expect(negotiate('application/json;q=0.4, text/html;q=0.8', OFFERS)).toBe('text/html')
    expect(negotiate('text/plain', OFFERS)).toBe('text/plain')
  })

  it('lets the most specific range decide (text/* vs text/html;q=0)', () => {
    expect(negotiate('text/*, text/html;q=0', ['text/html', 'text/plain'])).toBe('text/plain')
    expect(negotiate('text/*;q=0.2, text/plain;q=0.9', OFFERS)).toBe('text/plain')
    expect(negotiate('*/*;q=0.1, text/*;q=0.5', OFFERS)).toBe('text/html')
  })

  it('breaks ties by specificity, then server order', () => {
    // A browser: HTML named explicitly beats JSON reached through */*.
    expect(
      negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', OFFERS)
    ).toBe('text/html')
    expect(negotiate('text/html, */*', OFFERS)).toBe('text/html')
    expect(negotiate('*/*', OFFERS)).toBe('application/json')
    expect(negotiate('text/plain, text/html', OFFERS)).toBe('text/html')
  })

  it('treats q=0 as "not acceptable", also through wildcards', () => {
    expect(negotiate('application/json;q=0', ['application/json'])).toBeNull()
    expect(negotiate('*/*;q=0', OFFERS)).toBeNull()
    expect(negotiate('*/*, application/json;q=0', OFFERS)).toBe('text/html')
    expect(negotiate('text/*;q=0, */*;q=0.1', OFFERS)).toBe('application/json')
  })

  it('returns null when nothing matches', () => {
    expect(negotiate('image/png, application/xml', OFFERS)).toBeNull()
    expect(negotiate('text/html', [])).toBeNull()
  })

  it('matches parameters: charset case-insensitively, others exactly', () => {
    const offers = ['application/json;charset=utf-8', 'text/html;charset=utf-8']
    expect(negotiate('text/html;charset=UTF-8', offers)).toBe('text/html;charset=utf-8')
    expect(negotiate('text/html;level=1', offers)).toBeNull()
    expect(negotiate('text/html;level=1, text/html;q=0.3, application/json;q=0.2', offers)).toBe(
      'text/html;charset=utf-8'
    )
    expect(negotiate('application/json;charset=latin1', offers)).toBeNull()
  })

  it('survives hostile headers in linear time without throwing', () => {
    const hostile = [
      ';'.repeat(100_000),
      '"'.repeat(50_000),
      'text/html;q=' + '0'.repeat(100_000),
      'a/' + 'b'.repeat(100_000),
      '*/*;' + 'x=y;'.repeat(20_000) + 'q=0',
      '\u0000\u202e text/html',
      'text/html;q=NaN, text/plain;q=-1, application/json;q=Infinity',
      'text/html;q=0.5;q=0',
    ]
    for (const accept of hostile) expect(() => negotiate(accept, OFFERS)).not.toThrow()
    expect(negotiate('text/html;q=NaN, text/plain;q=-1, application/json;q=Infinity', OFFERS)).toBe(
      'application/json'
    )
    expect(negotiate('text/html;q=0.5;q=0', OFFERS)).toBe('text/html')
  })
})

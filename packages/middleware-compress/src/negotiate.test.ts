import { describe, expect, it } from 'vitest'
import { CACHE_SIZE, createNegotiator, ENCODINGS, negotiate } from './negotiate'

const all = ENCODINGS

describe('negotiate()', () => {
  it.each([
    // [Accept-Encoding, expected]
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['br', 'br'],
    ['zstd', 'zstd'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    // Equal q-values: the server's order (br > zstd > gzip > deflate).
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['deflate, gzip', 'gzip'],
    // Higher q-value wins over the server's order.
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.1, deflate;q=0.2', 'deflate'],
    ['gzip; Q=0.9, br;q=0.8', 'gzip'],
    // q=0 refuses; `*` stands for every coding not listed.
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, gzip', 'gzip'],
    ['br;q=0, zstd;q=0, *', 'gzip'],
    ['*;q=0', null],
    ['gzip;q=0', null],
    // identity: refusing it changes nothing when a coding is acceptable; preferring it wins.
    ['identity;q=0, gzip', 'gzip'],
    ['identity', null],
    ['identity;q=1, gzip;q=0.5', null],
    ['identity;q=0.5, gzip', 'gzip'],
    ['identity;q=0', null],
    // Absent or empty: no coding.
    ['', null],
    ['  ,  ,', null],
    // Codings nobody offers.
    ['compress, sdch', null],
    // A member repeated keeps its first q-value.
    ['gzip;q=0, gzip', null],
  ] as const)('%j → %s', (header, expected) => {
    expect(negotiate(header, all)).toBe(expected)
  })

  it('no field at all means no coding', () => {
    expect(negotiate(null, all)).toBeNull()
  })

  it.each([
    ['gzip;q=abc', null],
    ['gzip;q=2', null],
    ['gzip;q=-1', null],
    ['gzip;q=0.0001', null],
    ['gzip;q=', null],
    ['gzip;q', null],
    ['gzip;q=abc, deflate', 'deflate'],
    ['g zip, deflate', 'deflate'],
    ['"gzip", br', 'br'],
    [';;;, ,,, ;q=1, =, gzip', 'gzip'],
    ['gzip;level=9', 'gzip'],
    ['\u00e9, gzip', 'gzip'],
  ] as const)('malformed members are ignored: %j → %s', (header, expected) => {
    expect(negotiate(header, all)).toBe(expected)
  })

  it('a very long hostile value is parsed without throwing', () => {
    const header = `${'x;q=0.5,'.repeat(5000)}gzip`
    expect(negotiate(header, all)).toBe('gzip')
  })

  it('offers only what the server lists, in its order', () => {
    expect(negotiate('gzip, deflate, br', ['gzip', 'deflate'])).toBe('gzip')
    expect(negotiate('gzip, deflate', ['deflate', 'gzip'])).toBe('deflate')
    expect(negotiate('br', ['gzip'])).toBeNull()
    expect(negotiate('*', [])).toBeNull()
  })
})

describe('createNegotiator()', () => {
  it('gives the same answers as negotiate()', () => {
    const n = createNegotiator(['br', 'gzip'])
    for (const header of ['gzip', 'br;q=0, gzip', 'identity', '*;q=0', 'gzip, br']) {
      expect(n(header)).toBe(negotiate(header, ['br', 'gzip']))
      expect(n(header)).toBe(negotiate(header, ['br', 'gzip'])) // cached the second time
    }
    expect(n(null)).toBeNull()
  })

  it('stays correct once its cache is full (values past the bound are negotiated each time)', () => {
    const n = createNegotiator(['gzip'])
    for (let i = 0; i < CACHE_SIZE + 50; i++)
      expect(n(`gzip;q=0.${i % 10}, x${i}`)).toBe(i % 10 === 0 ? null : 'gzip')
    expect(n('gzip')).toBe('gzip')
    expect(n('x' + 'y'.repeat(1000) + ', gzip')).toBe('gzip')
  })
})

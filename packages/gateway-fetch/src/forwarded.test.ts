import { describe, expect, it } from 'vitest'
import { parseForwarded, readForwarded } from './forwarded'

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null

describe('parseForwarded', () => {
  it('parses elements and pairs, case-insensitively', () => {
    expect(parseForwarded('For=192.0.2.60;Proto=https;by=203.0.113.43, for=198.51.100.17')).toEqual(
      [{ for: '192.0.2.60', proto: 'https', by: '203.0.113.43' }, { for: '198.51.100.17' }]
    )
  })

  it('unquotes quoted strings, with escapes and separators inside', () => {
    expect(parseForwarded('for="[2001:db8:cafe::17]:4711";host="a,b;c\\"d"')).toEqual([
      { for: '[2001:db8:cafe::17]:4711', host: 'a,b;c"d' },
    ])
  })

  it('skips garbage without throwing', () => {
    expect(parseForwarded('')).toEqual([])
    expect(parseForwarded(';;,,')).toEqual([])
    expect(parseForwarded('novalue; for=1.2.3.4')).toEqual([{ novalue: '', for: '1.2.3.4' }])
    expect(parseForwarded('for="unterminated')).toEqual([{ for: 'unterminated' }])
  })

  it('keeps the first of a repeated parameter', () => {
    expect(parseForwarded('for=1.1.1.1;for=2.2.2.2')).toEqual([{ for: '1.1.1.1' }])
  })
})

describe('readForwarded', () => {
  it('reads the left-most X-Forwarded-* entries', () => {
    const info = readForwarded(
      headers({
        'x-forwarded-for': ' 203.0.113.5 , 10.0.0.1',
        'x-forwarded-proto': 'HTTPS, http',
        'x-forwarded-host': 'example.com:8443',
      })
    )
    expect(info).toEqual({ for: '203.0.113.5', proto: 'https', host: 'example.com:8443' })
  })

  it('strips ports and brackets from addresses', () => {
    expect(readForwarded(headers({ forwarded: 'for=192.0.2.1:8080' })).for).toBe('192.0.2.1')
    expect(readForwarded(headers({ forwarded: 'for="[::1]:80"' })).for).toBe('::1')
    expect(readForwarded(headers({ 'x-forwarded-for': '2001:db8::1' })).for).toBe('2001:db8::1')
  })

  it('ignores unknown, obfuscated and malformed values', () => {
    expect(readForwarded(headers({ forwarded: 'for=unknown;proto=gopher' }))).toEqual({
      for: undefined,
      proto: undefined,
      host: undefined,
    })
    expect(readForwarded(headers({ forwarded: 'for=_hidden' })).for).toBeUndefined()
    expect(readForwarded(headers({ forwarded: 'for="[::1"' })).for).toBeUndefined()
  })

  it('lets Forwarded win and X-Forwarded-* fill the gaps', () => {
    const info = readForwarded(
      headers({
        forwarded: 'proto=http',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '1.2.3.4',
      })
    )
    expect(info).toEqual({ proto: 'http', for: '1.2.3.4', host: undefined })
  })

  it('returns nothing without proxy headers', () => {
    expect(readForwarded(headers({}))).toEqual({
      proto: undefined,
      host: undefined,
      for: undefined,
    })
  })
})

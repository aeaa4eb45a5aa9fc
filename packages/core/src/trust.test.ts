import { describe, expect, it } from 'vitest'
import { ImproperlyConfigured } from './codes'
import { compileTrust, isIp, type TrustProxy } from './trust'

const compiled = (option: TrustProxy) => {
  const trust = compileTrust(option)
  if (trust === null) throw new Error('compiled to null')
  return trust
}

describe('compileTrust', () => {
  it('false, 0, [] and unset compile to "trust nobody" (null: nothing is ever parsed)', () => {
    expect(compileTrust(undefined)).toBeNull()
    expect(compileTrust(false)).toBeNull()
    expect(compileTrust(0)).toBeNull()
    expect(compileTrust([])).toBeNull()
  })

  it('true trusts every hop, even where the address is unknown', () => {
    const trust = compiled(true)
    expect(trust('203.0.113.9', 0)).toBe(true)
    expect(trust(undefined, 5)).toBe(true)
  })

  it('a hop count trusts the n nearest hops, whatever their address', () => {
    const trust = compiled(2)
    expect([trust('1.1.1.1', 0), trust(undefined, 1), trust('1.1.1.1', 2)]).toEqual([
      true,
      true,
      false,
    ])
  })

  it('a list trusts its addresses and ranges, never an unknown or malformed address', () => {
    const trust = compiled(['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32'])
    expect(trust('127.0.0.1', 0)).toBe(true)
    expect(trust('::ffff:127.0.0.1', 0)).toBe(true)
    expect(trust('10.200.0.1', 3)).toBe(true)
    expect(trust('::1', 0)).toBe(true)
    expect(trust('2001:db8:1::5', 0)).toBe(true)
    expect(trust('127.0.0.2', 0)).toBe(false)
    expect(trust('2001:db9::1', 0)).toBe(false)
    expect(trust(undefined, 0)).toBe(false)
    expect(trust('unknown', 0)).toBe(false)
    expect(trust('10.0.0.1:80', 0)).toBe(false)
  })

  it('trims list entries', () => {
    expect(compiled([' 10.0.0.0/8 '])('10.1.1.1', 0)).toBe(true)
  })

  it('a function decides per hop, and is never asked about an unknown address', () => {
    const asked: [string, number][] = []
    const trust = compiled((address, hop) => {
      asked.push([address, hop])
      return address.startsWith('10.')
    })
    expect(trust('10.0.0.1', 0)).toBe(true)
    expect(trust('192.0.2.1', 1)).toBe(false)
    expect(trust(undefined, 2)).toBe(false)
    expect(asked).toEqual([
      ['10.0.0.1', 0],
      ['192.0.2.1', 1],
    ])
  })

  it('only a strict true from the function trusts', () => {
    expect(compiled((() => 1) as never)('10.0.0.1', 0)).toBe(false)
  })

  it('refuses bad values at once, saying what to write instead', () => {
    const cases: [unknown, RegExp][] = [
      [1.5, /hop count must be an integer ≥ 0 .*, got 1\.5/],
      [-1, /hop count must be an integer ≥ 0 .*, got -1/],
      [Number.NaN, /hop count/],
      [['not-an-ip'], /"not-an-ip" is not an IP address or CIDR range/],
      [['10.0.0.0/33'], /"10\.0\.0\.0\/33" is not an IP address or CIDR range/],
      [['[::1]'], /no ports, brackets or zone ids/],
      [['127.0.0.1:8080'], /is not an IP address/],
      [['fe80::1%eth0'], /is not an IP address/],
      [[42], /42 is not an IP address/],
      ['yes', /expected true or false, a hop count, a list .* got "yes"/],
      [{}, /got \{\}/],
      [null, /got null/],
    ]
    for (const [option, message] of cases) {
      let error: unknown
      try {
        compileTrust(option as TrustProxy)
      } catch (e) {
        error = e
      }
      expect(error, String(option)).toBeInstanceOf(ImproperlyConfigured)
      expect((error as ImproperlyConfigured).code).toBe('ERR_BAD_OPTION')
      expect((error as Error).message).toMatch(/^trustProxy: /)
      expect((error as Error).message).toMatch(message)
    }
  })
})

describe('isIp', () => {
  it('accepts addresses only', () => {
    expect(isIp('192.0.2.1')).toBe(true)
    expect(isIp('2001:db8::1')).toBe(true)
    expect(isIp('unknown')).toBe(false)
    expect(isIp('192.0.2.1:80')).toBe(false)
  })
})

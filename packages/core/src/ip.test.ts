import { describe, expect, it } from 'vitest'
import { inCidr, parseCidr, parseIp, type Groups } from './_ip'

const ip = (text: string): Groups => {
  const groups = parseIp(text)
  if (groups === null) throw new Error(`not an address: ${text}`)
  return groups
}
const hex = (text: string): string =>
  ip(text)
    .map((g) => g.toString(16))
    .join(':')
const within = (address: string, range: string): boolean => {
  const cidr = parseCidr(range)
  if (cidr === null) throw new Error(`not a range: ${range}`)
  return inCidr(ip(address), cidr)
}

describe('parseIp', () => {
  it('parses IPv4 as its IPv4-mapped IPv6 form', () => {
    expect(hex('192.0.2.1')).toBe('0:0:0:0:0:ffff:c000:201')
    expect(hex('0.0.0.0')).toBe('0:0:0:0:0:ffff:0:0')
    expect(hex('255.255.255.255')).toBe('0:0:0:0:0:ffff:ffff:ffff')
    expect(ip('::ffff:192.0.2.1')).toEqual(ip('192.0.2.1'))
    expect(ip('::FFFF:c000:0201')).toEqual(ip('192.0.2.1'))
  })

  it('parses full and compressed IPv6', () => {
    expect(hex('2001:db8:0:0:0:0:0:1')).toBe('2001:db8:0:0:0:0:0:1')
    expect(ip('2001:db8::1')).toEqual(ip('2001:db8:0:0:0:0:0:1'))
    expect(hex('::')).toBe('0:0:0:0:0:0:0:0')
    expect(hex('::1')).toBe('0:0:0:0:0:0:0:1')
    expect(hex('fe80::')).toBe('fe80:0:0:0:0:0:0:0')
    // `::` may stand for a single zero group (RFC 4291 §2.2).
    expect(hex('1:2:3:4:5:6:7::')).toBe('1:2:3:4:5:6:7:0')
    expect(hex('1::2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7')
    expect(hex('1:2:3:4:5:6:1.2.3.4')).toBe('1:2:3:4:5:6:102:304')
    expect(hex('2001:DB8::AbCd')).toBe('2001:db8:0:0:0:0:0:abcd')
  })

  it('accepts a zone id and matches on the address part', () => {
    expect(ip('fe80::1%eth0')).toEqual(ip('fe80::1'))
    expect(ip('fe80::1%25')).toEqual(ip('fe80::1'))
    expect(parseIp('fe80::1%')).toBeNull()
    expect(parseIp('fe80::1%eth 0')).toBeNull()
    expect(parseIp('1.2.3.4%eth0')).toBeNull()
  })

  it('refuses garbage', () => {
    for (const bad of [
      '',
      'unknown',
      '_hidden',
      'localhost',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.-4',
      '1.2.3.4 ',
      ' 1.2.3.4',
      '0x1.2.3.4',
      '1.2.3.4:80',
      '[::1]',
      '[::1]:80',
      ':::',
      ':1::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '::1:2:3:4:5:6:7:8',
      '12345::1',
      'g::1',
      '1.2.3.4::',
      '::1.2.3.4:5',
      '::1.2.3.256',
      '1:2:3:4:5:6:7',
      'a'.repeat(80),
    ]) {
      expect(parseIp(bad), bad).toBeNull()
    }
  })
})

describe('parseCidr and inCidr', () => {
  it('matches IPv4 ranges, mapped peers included', () => {
    expect(within('10.1.2.3', '10.0.0.0/8')).toBe(true)
    expect(within('::ffff:10.1.2.3', '10.0.0.0/8')).toBe(true)
    expect(within('11.0.0.1', '10.0.0.0/8')).toBe(false)
    expect(within('192.168.1.200', '192.168.1.128/25')).toBe(true)
    expect(within('192.168.1.127', '192.168.1.128/25')).toBe(false)
    expect(within('127.0.0.1', '127.0.0.1')).toBe(true)
    expect(within('127.0.0.2', '127.0.0.1/32')).toBe(false)
  })

  it('/0 matches every address of its family', () => {
    expect(within('1.2.3.4', '0.0.0.0/0')).toBe(true)
    expect(within('::ffff:1.2.3.4', '0.0.0.0/0')).toBe(true)
    expect(within('2001:db8::1', '0.0.0.0/0')).toBe(false)
    // `::/0` is every address there is: IPv4 ones are IPv6 addresses too (mapped).
    expect(within('2001:db8::1', '::/0')).toBe(true)
    expect(within('1.2.3.4', '::/0')).toBe(true)
  })

  it('matches IPv6 ranges, with prefixes that are not a multiple of 16', () => {
    expect(within('2001:db8:abcd::1', '2001:db8::/32')).toBe(true)
    expect(within('2001:db9::1', '2001:db8::/32')).toBe(false)
    expect(within('fe80::1%eth0', 'fe80::/10')).toBe(true)
    expect(within('febf::1', 'fe80::/10')).toBe(true)
    expect(within('fec0::1', 'fe80::/10')).toBe(false)
    expect(within('::1', '::1/128')).toBe(true)
    expect(within('::2', '::1/128')).toBe(false)
    expect(within('::1', '::1')).toBe(true)
    expect(within('1.2.3.4', '::ffff:0:0/96')).toBe(true)
  })

  it('ignores bits past the prefix, as node:net BlockList does', () => {
    expect(within('10.9.9.9', '10.1.2.3/8')).toBe(true)
  })

  it('refuses bad prefixes and zone ids', () => {
    for (const bad of [
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '10.0.0.0/08',
      '10.0.0.0/8/8',
      '10.0.0.0/ 8',
      '10.0.0.0/a',
      'fe80::1%eth0',
      'fe80::/10%eth0',
      '/8',
      'nope/8',
    ]) {
      expect(parseCidr(bad), bad).toBeNull()
    }
  })
})

import { describe, expect, it } from 'vitest'
import { nodeAddress, parseForwarded, resolveForwarded } from './forwarded'
import { compileTrust, type TrustProxy } from './trust'

/** A header source as both gateways give it: repeated fields already joined with `, `. */
const fields = (headers: Record<string, string | string[]>) => ({
  header(name: string): string | null {
    const value = headers[name]
    if (value === undefined) return null
    return typeof value === 'string' ? value : value.join(', ')
  },
})

const resolve = (
  option: TrustProxy,
  headers: Record<string, string | string[]>,
  // `null`: the platform does not know the peer (a default parameter would swallow `undefined`).
  peer: string | null = '10.0.0.2'
) => {
  const trust = compileTrust(option)
  if (trust === null) throw new Error('trust compiled to null')
  return resolveForwarded(fields(headers), peer ?? undefined, 'http', trust)
}

describe('parseForwarded (RFC 7239)', () => {
  it('parses elements and pairs, case-insensitively, nearest proxy last', () => {
    expect(parseForwarded('For=192.0.2.60;Proto=https;by=203.0.113.43, for=198.51.100.17')).toEqual(
      [{ for: '192.0.2.60', proto: 'https', by: '203.0.113.43' }, { for: '198.51.100.17' }]
    )
    expect(
      parseForwarded(
        'For="[2001:db8:cafe::17]:4711", for=198.51.100.17;Host="example.com";proto=HTTPS'
      )
    ).toEqual([
      { for: '[2001:db8:cafe::17]:4711' },
      { for: '198.51.100.17', host: 'example.com', proto: 'HTTPS' },
    ])
  })

  it('unquotes quoted strings, with escapes and separators inside', () => {
    expect(parseForwarded('for="[2001:db8:cafe::17]:4711";host="a,b;c\\"d"')).toEqual([
      { for: '[2001:db8:cafe::17]:4711', host: 'a,b;c"d' },
    ])
  })

  it('keeps the first of a repeated parameter and drops unknown ones', () => {
    expect(parseForwarded('for=1.1.1.1;for=2.2.2.2;secret=x')).toEqual([{ for: '1.1.1.1' }])
    expect(parseForwarded('__proto__=x;constructor=y;for=1.1.1.1')).toEqual([{ for: '1.1.1.1' }])
  })

  it('survives garbage without throwing', () => {
    expect(parseForwarded('')).toEqual([])
    expect(parseForwarded('garbage')).toEqual([])
    expect(parseForwarded(';;,,')).toEqual([])
    expect(parseForwarded('novalue; for=1.2.3.4')).toEqual([{ for: '1.2.3.4' }])
    expect(parseForwarded('for="unterminated')).toEqual([{ for: 'unterminated' }])
    expect(parseForwarded('for=unknown;')).toEqual([{ for: 'unknown' }])
    expect(parseForwarded('for="\\')).toEqual([{ for: '\\' }])
  })
})

describe('nodeAddress', () => {
  it('strips brackets and ports', () => {
    expect(nodeAddress('192.0.2.43:47011')).toBe('192.0.2.43')
    expect(nodeAddress('[2001:db8::1]:4711')).toBe('2001:db8::1')
    expect(nodeAddress('[::1]')).toBe('::1')
    expect(nodeAddress('2001:db8::1')).toBe('2001:db8::1')
    expect(nodeAddress('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1')
  })

  it('gives undefined for unknown, obfuscated and malformed nodes', () => {
    for (const node of [
      'unknown',
      '_hidden',
      '[::1',
      'evil.example',
      '1.2.3.4:80:90',
      '<script>',
    ]) {
      expect(nodeAddress(node), node).toBeUndefined()
    }
  })
})

describe('resolveForwarded', () => {
  it('true believes every hop: the left-most X-Forwarded-For is the client', () => {
    expect(
      resolve(true, {
        'x-forwarded-for': '1.1.1.1, 2.2.2.2',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'shop.example',
      })
    ).toEqual({ address: '1.1.1.1', protocol: 'https', host: 'shop.example' })
  })

  it('a hop count stops at the first untrusted hop (a client cannot spoof past it)', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 1.1.1.1, 2.2.2.2' }
    expect(resolve(1, headers).address).toBe('2.2.2.2')
    expect(resolve(2, headers).address).toBe('1.1.1.1')
    expect(resolve(10, headers).address).toBe('6.6.6.6')
  })

  it('a list trusts only those addresses and ranges (IPv4-mapped peers included)', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 1.1.1.1', 'x-forwarded-proto': 'https' }
    expect(resolve(['10.0.0.0/8'], headers)).toEqual({
      address: '1.1.1.1',
      protocol: 'https',
      host: undefined,
    })
    expect(resolve(['10.0.0.0/8', '1.1.1.1'], headers).address).toBe('6.6.6.6')
    expect(resolve(['10.0.0.0/8'], headers, '::ffff:10.1.2.3').address).toBe('1.1.1.1')
    // An untrusted peer: nothing it says is believed, and no field is even read.
    expect(resolve(['192.168.0.1'], headers)).toEqual({
      address: '10.0.0.2',
      protocol: 'http',
      host: undefined,
    })
  })

  it('a function decides per hop, and is not asked past the last hop', () => {
    const seen: [string, number][] = []
    const info = resolve(
      (address, hop) => {
        seen.push([address, hop])
        return address.startsWith('10.')
      },
      { 'x-forwarded-for': '1.1.1.1, 10.9.9.9' }
    )
    expect(info.address).toBe('1.1.1.1')
    expect(seen).toEqual([
      ['10.0.0.2', 0],
      ['10.9.9.9', 1],
    ])
  })

  it('with an unknown peer address, only true and hop counts believe anything', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'x-forwarded-proto': 'https' }
    expect(resolve(1, headers, null)).toEqual({
      address: '203.0.113.9',
      protocol: 'https',
      host: undefined,
    })
    expect(resolve(true, headers, null).address).toBe('6.6.6.6')
    const untrusted = { address: undefined, protocol: 'http', host: undefined }
    expect(resolve(['0.0.0.0/0', '::/0'], headers, null)).toEqual(untrusted)
    expect(resolve(() => true, headers, null)).toEqual(untrusted)
  })

  it('Forwarded wins over X-Forwarded-*, and the walk takes each believed element', () => {
    expect(
      resolve(true, {
        forwarded: 'for=3.3.3.3;proto=https;host=real.example',
        'x-forwarded-for': '9.9.9.9',
        'x-forwarded-proto': 'http',
      })
    ).toEqual({ address: '3.3.3.3', protocol: 'https', host: 'real.example' })
    // Edge proxy (10.0.0.7) got https for shop.example; the peer got plain http from the edge.
    const chain = {
      forwarded:
        'for=6.6.6.6;host=evil.example, for=203.0.113.9;proto=https;host=shop.example, ' +
        'for=10.0.0.7;proto=http;host=internal',
    }
    expect(resolve(['10.0.0.0/8'], chain)).toEqual({
      address: '203.0.113.9',
      protocol: 'https',
      host: 'shop.example',
    })
    expect(resolve(1, chain)).toEqual({ address: '10.0.0.7', protocol: 'http', host: 'internal' })
  })

  it('reads repeated fields as one list, in order', () => {
    const headers = { 'x-forwarded-for': ['6.6.6.6', '203.0.113.9, 10.0.0.5'] }
    expect(resolve(['10.0.0.0/8'], headers).address).toBe('203.0.113.9')
    expect(resolve(['10.0.0.0/8'], { forwarded: ['for=1.1.1.1', 'for=10.0.0.9'] }).address).toBe(
      '1.1.1.1'
    )
  })

  it('ties X-Forwarded-Proto/-Host to the nearest hop and takes their last item', () => {
    const headers = {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'http, https',
      'x-forwarded-host': 'evil.example, shop.example',
    }
    expect(resolve(1, headers)).toEqual({
      address: '203.0.113.9',
      protocol: 'https',
      host: 'shop.example',
    })
    // Without X-Forwarded-For, the peer still speaks for proto and host; the address stays its own.
    expect(resolve(1, { 'x-forwarded-proto': 'https' })).toEqual({
      address: '10.0.0.2',
      protocol: 'https',
      host: undefined,
    })
  })

  it('ignores bad proto and host values (hosts go through core host validation)', () => {
    expect(
      resolve(true, { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'bad host/x' })
    ).toEqual({ address: '10.0.0.2', protocol: 'http', host: undefined })
    expect(resolve(true, { forwarded: 'proto=HTTPS;host="a\\"b"' })).toEqual({
      address: '10.0.0.2',
      protocol: 'https',
      host: undefined,
    })
    expect(resolve(true, { forwarded: 'host="[::1]:8080"' }).host).toBe('[::1]:8080')
  })

  it('stops at unknown or obfuscated clients, reporting no address rather than a made-up one', () => {
    expect(resolve(true, { forwarded: 'for=1.1.1.1, for=unknown;proto=https' })).toEqual({
      address: undefined,
      protocol: 'https',
      host: undefined,
    })
    expect(resolve(true, { forwarded: 'for=_hidden' }).address).toBeUndefined()
    expect(resolve(true, { 'x-forwarded-for': '<script>' }).address).toBeUndefined()
    expect(resolve(true, { forwarded: 'for="[2001:db8::17]:4711"' }).address).toBe('2001:db8::17')
  })

  it('without forwarding fields, the connection is the client', () => {
    expect(resolve(true, {})).toEqual({ address: '10.0.0.2', protocol: 'http', host: undefined })
    expect(resolve(true, { forwarded: 'garbage' })).toEqual({
      address: '10.0.0.2',
      protocol: 'http',
      host: undefined,
    })
  })

  it('reads no field when the peer is not trusted', () => {
    const read: string[] = []
    const trust = compileTrust(['192.0.2.1'])
    if (trust === null) throw new Error('unreachable')
    const source = {
      header(name: string): string | null {
        read.push(name)
        return null
      },
    }
    resolveForwarded(source, '10.0.0.2', 'https', trust)
    expect(read).toEqual([])
  })
})

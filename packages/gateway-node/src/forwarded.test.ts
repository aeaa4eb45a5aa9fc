import { afterEach, describe, expect, it } from 'vitest'
import { json } from '@cycle/core'
import { closeAll, rawRequest, routesApp, start } from './__fixtures__/net'
import { compileTrust, parseForwarded, resolveForwarded } from './_forwarded'
import type { TrustProxy } from './options'

afterEach(closeAll)

describe('parseForwarded (RFC 7239)', () => {
  it('parses elements, pairs, quoted values, IPv6 and ports', () => {
    expect(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43')).toEqual([
      { for: '192.0.2.60', proto: 'http', host: undefined },
    ])
    expect(
      parseForwarded(
        'For="[2001:db8:cafe::17]:4711", for=198.51.100.17;Host="example.com";proto=HTTPS'
      )
    ).toEqual([
      { for: '2001:db8:cafe::17', proto: undefined, host: undefined },
      { for: '198.51.100.17', proto: 'HTTPS', host: 'example.com' },
    ])
    expect(parseForwarded('for="192.0.2.43:47011"')).toEqual([
      { for: '192.0.2.43', proto: undefined, host: undefined },
    ])
    expect(parseForwarded('for=unknown;')).toEqual([
      { for: 'unknown', proto: undefined, host: undefined },
    ])
  })

  it('survives garbage without throwing', () => {
    expect(parseForwarded('')).toEqual([])
    expect(parseForwarded('garbage')).toEqual([])
    expect(parseForwarded('for="unterminated')).toEqual([
      { for: 'unterminated', proto: undefined, host: undefined },
    ])
  })
})

describe('trust rules', () => {
  const resolve = (trust: TrustProxy, headers: Record<string, string>, peer = '10.0.0.2') =>
    resolveForwarded(
      headers,
      peer,
      'http',
      compileTrust(trust) as NonNullable<ReturnType<typeof compileTrust>>
    )

  it('false and 0 compile to "trust nobody"', () => {
    expect(compileTrust(false)).toBeNull()
    expect(compileTrust(undefined)).toBeNull()
    expect(compileTrust(0)).toBeNull()
  })

  it('true believes every hop: the left-most X-Forwarded-For is the client', () => {
    expect(
      resolve(true, {
        'x-forwarded-for': '1.1.1.1, 2.2.2.2',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'shop.example',
      })
    ).toEqual({
      address: '1.1.1.1',
      protocol: 'https',
      host: 'shop.example',
    })
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
    // An untrusted peer: nothing it says is believed.
    expect(resolve(['192.168.0.1'], headers)).toEqual({
      address: '10.0.0.2',
      protocol: 'http',
      host: undefined,
    })
  })

  it('prefers Forwarded over X-Forwarded-*, and ignores bad proto and host values', () => {
    expect(
      resolve(true, {
        forwarded: 'for=3.3.3.3;proto=https;host=real.example',
        'x-forwarded-for': '9.9.9.9',
        'x-forwarded-proto': 'http',
      })
    ).toEqual({ address: '3.3.3.3', protocol: 'https', host: 'real.example' })
    expect(
      resolve(true, { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'bad host/x' })
    ).toEqual({
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
})

describe('trustProxy end to end', () => {
  const probe = routesApp({
    '/who': (r) =>
      json({ address: r.remoteAddress, protocol: r.protocol, host: r.host, url: r.url }),
  })
  const request =
    'GET /who HTTP/1.1\r\nHost: internal:8080\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\nConnection: close\r\n\r\n'

  it('ignores forwarding headers by default', async () => {
    const server = await start(probe)
    const res = await rawRequest(server.port, request)
    expect(JSON.parse(res.text)).toEqual({
      address: '127.0.0.1',
      protocol: 'http',
      host: 'internal:8080',
      url: 'http://internal:8080/who',
    })
  })

  it('believes them from a trusted proxy', async () => {
    const server = await start(probe, { trustProxy: ['127.0.0.1'] })
    const res = await rawRequest(server.port, request)
    expect(JSON.parse(res.text)).toEqual({
      address: '203.0.113.9',
      protocol: 'https',
      host: 'shop.example',
      url: 'https://shop.example/who',
    })
  })
})

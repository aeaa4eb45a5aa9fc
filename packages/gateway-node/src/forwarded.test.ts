// trustProxy through real sockets. The parser and the walk are core's (`@cycle/core/gateway`,
// tested there); this checks that gateway-node feeds them the socket and the raw header fields.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { json } from '@cycle/core'
import type { TrustProxy } from '@cycle/core/gateway'
import { closeAll, rawRequest, routesApp, start } from './__fixtures__/net'
import { toNodeHandler } from './handler'

const opened: http.Server[] = []
afterEach(async () => {
  await closeAll()
  await Promise.all(opened.splice(0).map((s) => new Promise((r) => s.close(r))))
})

const probe = routesApp({
  '/who': (r) => json({ address: r.remoteAddress, protocol: r.protocol, host: r.host, url: r.url }),
})

const request = (...fields: string[]): string =>
  `GET /who HTTP/1.1\r\nHost: internal:8080\r\n${fields.map((f) => `${f}\r\n`).join('')}` +
  'Connection: close\r\n\r\n'

const proxied = request(
  'X-Forwarded-For: 203.0.113.9',
  'X-Forwarded-Proto: https',
  'X-Forwarded-Host: shop.example'
)

async function who(trustProxy: TrustProxy | undefined, raw: string): Promise<unknown> {
  const server = await start(probe, trustProxy === undefined ? {} : { trustProxy })
  return JSON.parse((await rawRequest(server.port, raw)).text)
}

describe('trustProxy end to end', () => {
  it('ignores forwarding headers by default', async () => {
    expect(await who(undefined, proxied)).toEqual({
      address: '127.0.0.1',
      protocol: 'http',
      host: 'internal:8080',
      url: 'http://internal:8080/who',
    })
  })

  it('believes them from a trusted proxy', async () => {
    expect(await who(['127.0.0.1'], proxied)).toEqual({
      address: '203.0.113.9',
      protocol: 'https',
      host: 'shop.example',
      url: 'https://shop.example/who',
    })
  })

  it('a client-sent left-most entry never wins past the trusted hops', async () => {
    const spoofed = request('X-Forwarded-For: 6.6.6.6, 203.0.113.9, 10.0.0.2')
    for (const trust of [2, ['127.0.0.0/8', '10.0.0.0/8'], (a: string) => !a.startsWith('2')]) {
      expect(await who(trust as TrustProxy, spoofed)).toMatchObject({ address: '203.0.113.9' })
    }
    // `true` believes every hop by definition: only for servers reachable through proxies alone.
    expect(await who(true, spoofed)).toMatchObject({ address: '6.6.6.6' })
  })

  it('reads several X-Forwarded-For lines as one list, in order (as Headers.get() does)', async () => {
    const raw = request('X-Forwarded-For: 6.6.6.6', 'X-Forwarded-For: 203.0.113.9, 10.0.0.2')
    expect(await who(['127.0.0.1', '10.0.0.0/8'], raw)).toMatchObject({ address: '203.0.113.9' })
    const forwarded = request('Forwarded: for=6.6.6.6', 'Forwarded: for=203.0.113.9;proto=https')
    expect(await who(1, forwarded)).toMatchObject({ address: '203.0.113.9', protocol: 'https' })
  })

  it('a forwarded host must pass host validation; a bad one leaves the Host header in charge', async () => {
    const raw = request('X-Forwarded-Host: bad host/x', 'X-Forwarded-Proto: gopher')
    expect(await who(true, raw)).toMatchObject({ protocol: 'http', host: 'internal:8080' })
  })

  it('works the same through toNodeHandler on a plain node:http server', async () => {
    const server = http.createServer(
      toNodeHandler(probe, {
        trustProxy: (address) => address === '127.0.0.1',
      }) as http.RequestListener
    )
    opened.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const res = await rawRequest((server.address() as AddressInfo).port, proxied)
    expect(JSON.parse(res.text)).toMatchObject({ address: '203.0.113.9', host: 'shop.example' })
  })
})

// trustProxy in the fetch gateway: the same option shape and the same walk as gateway-node
// (core's resolver, tested in @cycle/core), fed with the platform's peer address.
import { createApp, ImproperlyConfigured, path, text } from '@cycle/core'
import type { TrustProxy } from '@cycle/core/gateway'
import { createFixtureApp } from '@cycle/testing'
import { describe, expect, it, vi } from 'vitest'
import { toFetchHandler } from './index'

const fixture = createFixtureApp()

const proxied = {
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '198.51.100.7, 10.0.0.1',
  'x-forwarded-host': 'api.example.com',
}

/** `/info` through a handler with `trustProxy`, the peer being `peer`. */
async function info(
  trustProxy: TrustProxy | undefined,
  headers: HeadersInit,
  // `null`: the platform knows no peer (a default parameter would swallow `undefined`).
  peer: string | null = '127.0.0.1'
): Promise<Record<string, unknown>> {
  const h = toFetchHandler(fixture, { trustProxy, getRemoteAddress: () => peer })
  const res = await h(new Request('http://localhost/info', { headers }))
  return (await res.json()) as Record<string, unknown>
}

describe('toFetchHandler: trustProxy', () => {
  it('ignores proxy headers by default', async () => {
    const res = await toFetchHandler(fixture)(
      new Request('http://localhost/info', { headers: proxied })
    )
    expect(await res.json()).toMatchObject({
      protocol: 'http',
      host: 'localhost',
      remoteAddress: null,
    })
  })

  it('walks from the right: the nearest hops first, a spoofed left-most entry never wins', async () => {
    // The client sent `X-Forwarded-For: 6.6.6.6`; the edge proxy (10.0.0.1) appended the client,
    // the peer (127.0.0.1) appended the edge.
    const headers = { ...proxied, 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.1' }
    const expected = { protocol: 'https', host: 'api.example.com', remoteAddress: '198.51.100.7' }
    const forms: TrustProxy[] = [
      2,
      ['127.0.0.1', '10.0.0.0/8'],
      (address, hop) => hop === 0 || address.startsWith('10.'),
    ]
    for (const form of forms) expect(await info(form, headers)).toMatchObject(expected)
    // A single trusted hop: the peer speaks for proto and host; its client is the edge proxy.
    expect(await info(1, headers)).toMatchObject({ ...expected, remoteAddress: '10.0.0.1' })
    // `true` believes every hop: only for a server nothing reaches but your proxies.
    expect(await info(true, headers)).toMatchObject({ ...expected, remoteAddress: '6.6.6.6' })
    // An untrusted peer: nothing it says is believed.
    expect(await info(['10.0.0.0/8'], headers)).toMatchObject({
      protocol: 'http',
      host: 'localhost',
      remoteAddress: '127.0.0.1',
    })
  })

  it('matches an IPv4-mapped peer against IPv4 entries', async () => {
    expect(await info(['127.0.0.1'], proxied, '::ffff:127.0.0.1')).toMatchObject({
      remoteAddress: '10.0.0.1',
    })
  })

  it('prefers RFC 7239 Forwarded over X-Forwarded-*', async () => {
    const headers = { ...proxied, forwarded: 'for="[2001:db8::17]:4711";proto=http;host=a.test' }
    expect(await info(true, headers)).toMatchObject({
      protocol: 'http',
      host: 'a.test',
      remoteAddress: '2001:db8::17',
    })
  })

  it('reads several X-Forwarded-For fields as one list (Headers.get() joins them)', async () => {
    const headers = new Headers([
      ['x-forwarded-for', '6.6.6.6'],
      ['x-forwarded-for', '198.51.100.7, 10.0.0.1'],
    ])
    expect(await info(2, headers)).toMatchObject({ remoteAddress: '198.51.100.7' })
  })

  it('checks allowedHosts against the forwarded host, and ignores an invalid one', async () => {
    const app = createApp({ urls: [path('', () => text('ok'))], allowedHosts: ['api.example.com'] })
    const trusting = toFetchHandler(app, { trustProxy: true })
    const headers = { 'x-forwarded-host': 'api.example.com' }
    expect((await trusting(new Request('http://internal:8080/', { headers }))).status).toBe(200)
    expect(
      (await toFetchHandler(app)(new Request('http://internal:8080/', { headers }))).status
    ).toBe(400)
    expect(await info(true, { 'x-forwarded-host': 'bad host/x' })).toMatchObject({
      host: 'localhost',
    })
  })

  it('keeps the platform address when no proxy header gives one', async () => {
    expect(await info(true, {}, '192.0.2.1')).toMatchObject({
      remoteAddress: '192.0.2.1',
      protocol: 'http',
    })
  })

  it('without a peer address (workerd), hop counts and true still work, lists and functions trust nobody', async () => {
    expect(await info(1, proxied, null)).toMatchObject({ remoteAddress: '10.0.0.1' })
    const nobody = { protocol: 'http', host: 'localhost', remoteAddress: null }
    expect(await info(['0.0.0.0/0', '::/0'], proxied, null)).toMatchObject(nobody)
    expect(await info(() => true, proxied, null)).toMatchObject(nobody)
  })

  it('asks the platform for the address once, and only when it is read', async () => {
    const getRemoteAddress = vi.fn(() => '192.0.2.1')
    const h = toFetchHandler(fixture, { getRemoteAddress })
    await h(new Request('http://localhost/text'))
    expect(getRemoteAddress).not.toHaveBeenCalled()
    await h(new Request('http://localhost/info'))
    expect(getRemoteAddress).toHaveBeenCalledOnce()
  })

  it('refuses a list or a function without getRemoteAddress, and bad forms, at once', () => {
    expect(() => toFetchHandler(fixture, { trustProxy: ['10.0.0.0/8'] })).toThrow(
      /trustProxy as a list or a function .* needs getRemoteAddress/
    )
    expect(() => toFetchHandler(fixture, { trustProxy: () => true })).toThrow(ImproperlyConfigured)
    for (const trustProxy of ['yes', 1.5, ['10.0.0.0/33']]) {
      expect(() =>
        toFetchHandler(fixture, {
          trustProxy: trustProxy as TrustProxy,
          getRemoteAddress: () => '',
        })
      ).toThrow(ImproperlyConfigured)
    }
    // An empty list trusts nobody and needs no address.
    expect(() => toFetchHandler(fixture, { trustProxy: [] })).not.toThrow()
  })
})

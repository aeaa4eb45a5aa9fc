import { gatewaySuite } from '@cycle/testing/suite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchFetchServer } from './launch'
import type { RunningServer } from './server-process'

// A Worker is never told the socket address, and the list and function forms of trustProxy judge
// the peer by it: with no address they trust no hop (so a client can never spoof them), and the
// scenario fails by showing nothing forwarded believed. Hop counts and `true` work on workerd.
const NO_PEER =
  'workerd gives a Worker no peer address, so trustProxy as a list or a function trusts no ' +
  'hop (nothing forwarded is believed); use a hop count or true behind Cloudflare'

// gateway-fetch as a Workers ES module in workerd (Cloudflare Workers' runtime), over real HTTP.
gatewaySuite('gateway-fetch on workerd', () => launchFetchServer('workerd'), {
  unsupported: {
    'streaming.request-signal':
      'workerd does not abort request.signal when the client disconnects ' +
      '(a bare Worker shows the same, with or without request_signal_passthrough)',
    'forwarding.list': NO_PEER,
    'forwarding.function': NO_PEER,
  },
})

// The marks above only say the scenarios fail; this says how: nothing forwarded is believed
// (never the forged left-most entry), exactly as with trust off.
describe('gateway-fetch on workerd: trustProxy list and function without a peer address', () => {
  let server: RunningServer | undefined
  beforeAll(async () => {
    server = await launchFetchServer('workerd')
  }, 60_000)
  afterAll(async () => {
    await server?.close()
  })

  it.each(['list', 'function'])('%s: believes no hop and reports no address', async (form) => {
    const base = (server as RunningServer).baseUrl
    const res = await fetch(`${base}/trust/${form}/info`, {
      headers: {
        'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'shop.example',
      },
    })
    expect(await res.json()).toMatchObject({
      remoteAddress: null,
      protocol: 'http',
      host: new URL(base).host,
    })
  })
})

/**
 * @module
 * Forwarding scenarios: every `trustProxy` form gives the same client address, scheme and host
 * on every gateway and runtime, walking the hops from the server outwards, so a client-sent
 * left-most entry never wins past the trusted hops.
 *
 * The chain the scenarios pretend: the real client 203.0.113.9 (which itself sent a forged
 * `X-Forwarded-For: 6.6.6.6`) → an edge proxy at 10.0.0.2, asked over https for `shop.example`
 * → the test client on loopback, the server's peer. Each form is served under `/trust/<form>/`
 * (see `TRUST_FORMS`).
 */
import type { TrustForm } from '../fixture/trust'
import { assert, assertEqual, assertStatus } from './assert'
import { at } from './helpers'
import type { Scenario, ScenarioTarget } from './types'

const CLIENT = '203.0.113.9'
const SPOOFED = `6.6.6.6, ${CLIENT}, 10.0.0.2`
const PROXIED = {
  'x-forwarded-for': SPOOFED,
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'shop.example',
}

interface Seen {
  remoteAddress: string | null
  protocol: string
  host: string
  url: string
}

async function info(
  base: string,
  target: ScenarioTarget | undefined,
  form: TrustForm,
  headers: HeadersInit
): Promise<Seen> {
  const url = at(target?.trustUrl ?? base, `/trust/${form}/info`)
  const res = await fetch(url, { headers })
  await assertStatus(res, 200, `GET /trust/${form}/info`)
  return (await res.json()) as Seen
}

function expectClient(seen: Seen, form: TrustForm, address: string | null): void {
  assertEqual(
    { remoteAddress: seen.remoteAddress, protocol: seen.protocol, host: seen.host },
    { remoteAddress: address, protocol: 'https', host: 'shop.example' },
    `trustProxy ${form}: what the proxies say (walked from the right)`
  )
  assertEqual(
    seen.url,
    `https://shop.example/trust/${form}/info`,
    `trustProxy ${form}: request.url`
  )
}

/** A loopback peer, or none where the platform gives no address (workerd). */
function assertPeer(seen: Seen, what: string): void {
  const a = seen.remoteAddress
  assert(
    a === null || a === '::1' || /^(?:::ffff:)?127\./.test(a),
    `${what}: expected the loopback peer (or null where the platform has no address), got ${JSON.stringify(
      a
    )}`
  )
}

/** The trusting forms that believe exactly the peer and the edge proxy. */
function walked(form: 'hops' | 'list' | 'function', title: string): Scenario {
  return {
    id: `forwarding.${form}`,
    title,
    async run(base, target) {
      expectClient(await info(base, target, form, PROXIED), form, CLIENT)
    },
  }
}

/** The forwarding scenarios. */
export const forwardingScenarios: Scenario[] = [
  {
    id: 'forwarding.none',
    title: 'trustProxy false: forwarding headers are ignored, the connection is the client',
    async run(base, target) {
      const seen = await info(base, target, 'none', PROXIED)
      assertPeer(seen, 'trustProxy false: remoteAddress')
      assertEqual(seen.protocol, 'http', 'trustProxy false: protocol')
      assertEqual(seen.host, new URL(target?.trustUrl ?? base).host, 'trustProxy false: host')
    },
  },
  {
    id: 'forwarding.true',
    title: 'trustProxy true: every hop is believed, so the left-most entry is the client',
    async run(base, target) {
      const honest = { ...PROXIED, 'x-forwarded-for': `${CLIENT}, 10.0.0.2` }
      expectClient(await info(base, target, 'true', honest), 'true', CLIENT)
      // By definition, then, a forged entry wins: `true` is only for servers nothing else reaches.
      expectClient(await info(base, target, 'true', PROXIED), 'true', '6.6.6.6')
    },
  },
  walked(
    'hops',
    'trustProxy 2 (hop count): the two nearest hops are believed, a forged entry is not'
  ),
  walked('list', 'trustProxy list of addresses and CIDRs: the listed hops are believed, no more'),
  walked('function', 'trustProxy function: the hops it accepts are believed, no more'),
  {
    id: 'forwarding.forwarded-header',
    title: 'Forwarded (RFC 7239) wins over X-Forwarded-*, walked element by element',
    async run(base, target) {
      const forwarded =
        `for=6.6.6.6;proto=http;host=evil.example, for=${CLIENT};proto=https;host=shop.example, ` +
        'for=10.0.0.2;proto=http;host=edge.internal'
      const headers = { forwarded, 'x-forwarded-for': '9.9.9.9', 'x-forwarded-proto': 'http' }
      expectClient(await info(base, target, 'hops', headers), 'hops', CLIENT)
    },
  },
  {
    id: 'forwarding.repeated-fields',
    title: 'several X-Forwarded-For fields read as one list, in order',
    async run(base, target) {
      const headers = new Headers([
        ['x-forwarded-for', '6.6.6.6'],
        ['x-forwarded-for', `${CLIENT}, 10.0.0.2`],
        ['x-forwarded-proto', 'https'],
        ['x-forwarded-host', 'shop.example'],
      ])
      // A hop count needs no peer address, so this runs on every platform (workerd included).
      expectClient(await info(base, target, 'hops', headers), 'hops', CLIENT)
    },
  },
  {
    id: 'forwarding.bad-values',
    title:
      'an unknown client, a bad scheme or an invalid host from a trusted proxy are not believed',
    async run(base, target) {
      const headers = {
        'x-forwarded-for': 'unknown',
        'x-forwarded-proto': 'gopher',
        'x-forwarded-host': 'bad host/x',
      }
      const seen = await info(base, target, 'true', headers)
      assertEqual(seen.remoteAddress, null, 'for=unknown: remoteAddress')
      assertEqual(seen.protocol, 'http', 'X-Forwarded-Proto: gopher')
      assertEqual(seen.host, new URL(target?.trustUrl ?? base).host, 'X-Forwarded-Host: bad host/x')
    },
  },
]

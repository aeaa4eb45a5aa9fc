import { afterAll, describe, expect, it } from 'vitest'
import { createFixtureApp } from './index'
import { expectUnsupported } from './conformance/expect-failure'
import { scenarios, type Scenario } from './scenarios'
import { gatewaySuite } from './suite'

const BASE = 'http://fixture.test'
const realFetch = globalThis.fetch

/**
 * Serves the fixture in memory: a global `fetch` that answers `BASE` URLs with `app.fetch()`,
 * rejecting on abort like a real fetch would.
 */
function installInMemoryFetch(): () => void {
  const app = createFixtureApp()
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    if (!request.url.startsWith(BASE)) return realFetch(input, init)
    const pending = app.fetch(request)
    const signal = init?.signal
    if (!signal) return pending
    return new Promise((resolve, reject) => {
      const onAbort = (): void =>
        reject(new DOMException('The operation was aborted.', 'AbortError'))
      if (signal.aborted) onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      pending.then(resolve, reject)
    })
  }
  return () => {
    globalThis.fetch = realFetch
  }
}

// `app.fetch()` is the app alone, with no gateway around it: what the gateway contract adds
// (trustProxy, HEAD framing, reporting errors outside the cycle) is missing, and those marks
// check that the scenarios do notice.
const NO_TRUST = 'app.fetch() is no gateway, and trustProxy is a gateway option'
const NO_SOCKET = 'app.fetch() listens on no socket to write repeated fields to'
const NO_GATEWAY = {
  'forwarding.true': NO_TRUST,
  'forwarding.hops': NO_TRUST,
  'forwarding.list': NO_TRUST,
  'forwarding.function': NO_TRUST,
  'forwarding.forwarded-header': NO_TRUST,
  'forwarding.repeated-fields': NO_TRUST,
  'framing.head-length': "app.fetch() leaves HEAD's Content-Length to the gateway",
  'reporting.broken-stream': 'app.fetch() has no gateway to report a stream failing mid-way',
  'fields.repeated-authorization': NO_SOCKET,
  'fields.repeated-content-type': NO_SOCKET,
  'fields.repeated-host': NO_SOCKET,
}

// Every scenario against the fixture app, in process (the gateways run them over HTTP).
gatewaySuite(
  'fixture app (in memory)',
  async () => {
    const restore = installInMemoryFetch()
    return { baseUrl: BASE, close: async () => restore() }
  },
  { unsupported: NO_GATEWAY }
)

const failing: Scenario = {
  id: 'demo.always-fails',
  title: 'a scenario no gateway passes',
  run: () => Promise.reject(new Error('not supported here')),
}
const passing: Scenario = {
  id: 'demo.passes',
  title: 'a scenario that passes',
  run: async () => {},
}

// An unsupported scenario is still registered, and passes because the scenario does fail.
gatewaySuite('unsupported marks', async () => ({ baseUrl: BASE, close: async () => {} }), {
  scenarios: [failing],
  unsupported: { 'demo.always-fails': 'the demo gateway cannot do it' },
})

describe('gatewaySuite', () => {
  it('refuses unsupported ids that are not scenarios (typo guard)', () => {
    expect(() =>
      gatewaySuite('typo', async () => ({ baseUrl: BASE, close: async () => {} }), {
        unsupported: { 'routing.hed': 'typo' },
      })
    ).toThrow(/unknown scenario ids routing\.hed/)
  })

  it('refuses runtimeRefuses ids that are not scenarios, or not fields.* scenarios', () => {
    const setup = async () => ({ baseUrl: BASE, close: async () => {} })
    expect(() =>
      gatewaySuite('typo', setup, { runtimeRefuses: { 'fields.repeated-hots': 'typo' } })
    ).toThrow(/runtimeRefuses lists unknown scenario ids fields\.repeated-hots/)
    expect(() =>
      gatewaySuite('misplaced', setup, { runtimeRefuses: { 'routing.head': 'no' } })
    ).toThrow(/fields\.\* scenarios only, not routing\.head/)
  })

  it('exposes unique, dotted scenario ids', () => {
    const ids = scenarios.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z-]+$/)
  })
})

describe('expectUnsupported', () => {
  it('resolves when the scenario fails', async () => {
    await expect(expectUnsupported(failing, BASE, 'gw', 'why')).resolves.toBeUndefined()
  })

  it('rejects, asking to remove the mark, when the scenario passes', async () => {
    await expect(expectUnsupported(passing, BASE, 'gw', 'why')).rejects.toThrow(
      'Scenario "demo.passes" is marked unsupported on gw (why) but it passes: remove the mark.'
    )
  })
})

afterAll(() => {
  globalThis.fetch = realFetch
})

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

// Every scenario against the fixture app, in process (the fetch gateway runs them over HTTP).
gatewaySuite('fixture app (in memory)', async () => {
  const restore = installInMemoryFetch()
  return { baseUrl: BASE, close: async () => restore() }
})

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

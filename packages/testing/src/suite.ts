/**
 * @module
 * `@cycle/testing/suite`: registers the conformance scenarios as vitest tests for one gateway.
 * The only entry of this package that imports vitest (an optional peer dependency).
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { expectUnsupported } from './conformance/expect-failure'
import { scenarios as allScenarios, type Scenario, type ScenarioTarget } from './scenarios'

/** A running server with the fixture app, as `setup` returns it. */
export interface GatewayServer {
  /** Where the fixture app is served (`http://127.0.0.1:54321`). */
  baseUrl: string
  /**
   * Where `/trust/<form>/…` is served with `trustProxy: TRUST_FORMS[form]`, when that is another
   * server (gateway-node runs one `toNodeHandler()` per form behind one node:http server).
   * Default: `baseUrl`, for a server that dispatches by the `/trust/<form>/` prefix itself.
   */
  trustUrl?: string
  /** Stops the server; called once after the last scenario. */
  close(): Promise<void>
}

/** Options of {@link gatewaySuite}. */
export interface GatewaySuiteOptions {
  /**
   * Scenarios this gateway does not support, by id, with the reason. They still run, as tests
   * asserting that the scenario fails (so a stale mark is caught), titled `unsupported: <reason>`.
   */
  unsupported?: Record<string, string>
  /**
   * Scenarios the runtime itself refuses before the gateway sees the request, by id, with what
   * it does (`{ 'fields.repeated-host': 'Deno answers two Host lines with its own 400' }`). They
   * run, titled `refused by the runtime: <what>`, and check that refusal instead of the gateway's
   * answer; only the `fields.*` scenarios accept such a mark.
   */
  runtimeRefuses?: Record<string, string>
  /** Per-scenario timeout in ms. Default 20 000. */
  timeout?: number
  /** The scenarios to run. Default: all of `@cycle/testing/scenarios`. */
  scenarios?: readonly Scenario[]
}

/**
 * Registers `describe(name)` with one test per scenario, against a server `setup` starts.
 *
 * @param name the suite title, e.g. `'gateway-fetch (Node 20)'`
 * @param setup starts the fixture app (`createFixtureApp()`) behind the gateway on 127.0.0.1
 * @param options unsupported scenarios, timeout, scenario list
 * @throws Error when `unsupported` names a scenario id that does not exist (typo guard)
 * @example
 * ```ts
 * import { createFixtureApp } from '@cycle/testing'
 * import { gatewaySuite } from '@cycle/testing/suite'
 * gatewaySuite('my-gateway', async () => {
 *   const server = await myServe(createFixtureApp(), { port: 0, hostname: '127.0.0.1' })
 *   return { baseUrl: server.url, close: () => server.close() }
 * })
 * ```
 *
 * The forwarding scenarios need the fixture served once per `trustProxy` form: route
 * `/trust/<form>/…` to a handler made with `TRUST_FORMS[form]` (`trustFormOf(url)` tells which),
 * or return `trustUrl` pointing at a server that does.
 */
export function gatewaySuite(
  name: string,
  setup: () => Promise<GatewayServer>,
  options: GatewaySuiteOptions = {}
): void {
  const list = options.scenarios ?? allScenarios
  const unsupported = options.unsupported ?? {}
  const timeout = options.timeout ?? 20_000
  const runtimeRefuses = options.runtimeRefuses ?? {}
  const marks: [string, string[]][] = [
    ['unsupported', Object.keys(unsupported)],
    ['runtimeRefuses', Object.keys(runtimeRefuses)],
  ]
  for (const [option, ids] of marks) {
    const unknown = ids.filter((id) => !list.some((s) => s.id === id))
    if (unknown.length > 0) {
      throw new Error(
        `gatewaySuite("${name}"): ${option} lists unknown scenario ids ${unknown.join(', ')}. ` +
          `Known ids: ${list.map((s) => s.id).join(', ')}.`
      )
    }
  }
  const misplaced = Object.keys(runtimeRefuses).filter((id) => !id.startsWith('fields.'))
  if (misplaced.length > 0) {
    throw new Error(
      `gatewaySuite("${name}"): runtimeRefuses applies to the fields.* scenarios only, not ` +
        `${misplaced.join(', ')}.`
    )
  }
  describe(name, () => {
    let server: GatewayServer | undefined
    const running = (): GatewayServer => {
      if (server === undefined) throw new Error(`gatewaySuite("${name}"): setup() did not finish.`)
      return server
    }
    const target = (): ScenarioTarget => ({ trustUrl: running().trustUrl, runtimeRefuses })
    beforeAll(async () => {
      server = await setup()
    }, 60_000)
    afterAll(async () => {
      await server?.close()
    }, 60_000)
    for (const scenario of list) {
      const reason = unsupported[scenario.id]
      if (reason === undefined) {
        const refusal = runtimeRefuses[scenario.id]
        const note = refusal === undefined ? '' : ` (refused by the runtime: ${refusal})`
        it(
          `${scenario.id}: ${scenario.title}${note}`,
          () => scenario.run(running().baseUrl, target()),
          timeout
        )
        continue
      }
      it(
        `${scenario.id}: ${scenario.title} (unsupported: ${reason})`,
        () => expectUnsupported(scenario, running().baseUrl, name, reason, target()),
        timeout
      )
    }
  })
}

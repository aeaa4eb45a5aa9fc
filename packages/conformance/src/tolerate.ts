/**
 * @module
 * Scenarios whose outcome a runtime makes racy. `gatewaySuite`'s `unsupported` mark asserts that a
 * scenario fails, which suits a scenario that always fails; one that fails only sometimes needs a
 * narrower, visible allowance instead: here, a connection reset in place of the response, and
 * nothing else. Any response that arrives is still checked in full.
 */
import { scenarios } from '@cycle/testing/scenarios'
import type { Scenario } from '@cycle/testing/scenarios'

// undici (Node's fetch) reports a peer that reset or closed mid-request with these codes.
const RESET_CODES = new Set(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'])

/**
 * Whether `error` is fetch failing because the server reset the connection (rather than any HTTP
 * answer, right or wrong). Follows the `cause` chain, where undici puts the socket error.
 *
 * @param error - what a scenario threw
 * @returns true only for a connection reset
 */
export function isConnectionReset(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as Error & { code?: unknown }).code
    if (typeof code === 'string' && RESET_CODES.has(code)) return true
    current = current.cause
  }
  return false
}

/**
 * Wraps one scenario so that a connection reset passes (with a warning on stderr) while every
 * other failure still fails. The reason is put in the test title, so the allowance is visible in
 * every report.
 *
 * @param scenario - the scenario to relax
 * @param reason - why this runtime may reset the connection
 * @returns a scenario with the same id
 */
export function tolerateReset(scenario: Scenario, reason: string): Scenario {
  return {
    id: scenario.id,
    title: `${scenario.title} (tolerates a connection reset: ${reason})`,
    async run(baseUrl) {
      try {
        await scenario.run(baseUrl)
      } catch (error) {
        if (!isConnectionReset(error)) throw error
        console.warn(`${scenario.id}: connection reset instead of a response (${reason})`)
      }
    },
  }
}

/**
 * All conformance scenarios, with the ones named in `tolerated` relaxed by {@link tolerateReset}.
 *
 * @param tolerated - scenario id → reason
 * @returns the scenario list to pass to `gatewaySuite`'s `scenarios` option
 * @throws Error when `tolerated` names an unknown scenario id (typo guard)
 */
export function scenariosTolerating(tolerated: Readonly<Record<string, string>>): Scenario[] {
  const unknown = Object.keys(tolerated).filter((id) => !scenarios.some((s) => s.id === id))
  if (unknown.length > 0) throw new Error(`Unknown scenario ids: ${unknown.join(', ')}`)
  return scenarios.map((scenario) => {
    const reason = tolerated[scenario.id]
    return reason === undefined ? scenario : tolerateReset(scenario, reason)
  })
}

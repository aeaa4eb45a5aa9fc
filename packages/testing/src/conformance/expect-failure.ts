/**
 * @module
 * How an "unsupported" scenario is checked: it must still fail, so a stale mark is noticed.
 */
import type { Scenario, ScenarioTarget } from './types'

/**
 * Runs `scenario` and resolves when it fails; rejects when it passes (the gateway now supports
 * it, so the `unsupported` mark must go).
 */
export async function expectUnsupported(
  scenario: Scenario,
  baseUrl: string,
  gateway: string,
  reason: string,
  target?: ScenarioTarget
): Promise<void> {
  try {
    await scenario.run(baseUrl, target)
  } catch {
    return // Expected: the gateway is known not to support this.
  }
  throw new Error(
    `Scenario "${scenario.id}" is marked unsupported on ${gateway} (${reason}) but it passes: remove the mark.`
  )
}

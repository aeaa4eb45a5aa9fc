/**
 * @module
 * How an "unsupported" scenario is checked: it must still fail, so a stale mark is noticed.
 */
import type { Scenario } from './types'

/**
 * Runs `scenario` and resolves when it fails; rejects when it passes (the gateway now supports
 * it, so the `unsupported` mark must go).
 */
export async function expectUnsupported(
  scenario: Scenario,
  baseUrl: string,
  gateway: string,
  reason: string
): Promise<void> {
  try {
    await scenario.run(baseUrl)
  } catch {
    return // Expected: the gateway is known not to support this.
  }
  throw new Error(
    `Scenario "${scenario.id}" is marked unsupported on ${gateway} (${reason}) but it passes: remove the mark.`
  )
}

/**
 * @module
 * `@cycle/testing/scenarios`: the gateway conformance scenarios, runner-agnostic.
 *
 * Each scenario talks to the fixture app (`createFixtureApp()` from `@cycle/testing`) served by
 * the gateway under test, using global `fetch` (and, for the `fields.*` scenarios, a raw socket
 * from `node:net`, which the test process must provide), and throws an `AssertionError` to fail. Run
 * them with `gatewaySuite()` (`@cycle/testing/suite`) under vitest, or with any runner:
 *
 * @example
 * ```ts
 * import { scenarios } from '@cycle/testing/scenarios'
 * for (const s of scenarios) await s.run('http://127.0.0.1:8787')
 * ```
 */
import { bodyScenarios } from './conformance/bodies'
import { contractScenarios } from './conformance/contract'
import { errorScenarios } from './conformance/errors'
import { fieldScenarios } from './conformance/fields'
import { forwardingScenarios } from './conformance/forwarding'
import { routingScenarios } from './conformance/routing'
import { streamingScenarios } from './conformance/streaming'
import type { Scenario } from './conformance/types'

export type { Scenario, ScenarioTarget } from './conformance/types'
export {
  AssertionError,
  assert,
  assertEqual,
  assertProblem,
  assertStatus,
} from './conformance/assert'

/**
 * Every conformance scenario, grouped by topic (routing, bodies, streaming, errors, forwarding,
 * HEAD framing and error reporting, repeated security fields).
 */
export const scenarios: Scenario[] = [
  ...routingScenarios,
  ...bodyScenarios,
  ...streamingScenarios,
  ...errorScenarios,
  ...forwardingScenarios,
  ...contractScenarios,
  ...fieldScenarios,
]

/**
 * @module
 * The shape of a conformance scenario.
 */

/** One conformance scenario: a self-contained check against a running fixture app. */
export interface Scenario {
  /** Stable id (`routing.head`), used to mark a scenario unsupported on a gateway. */
  readonly id: string
  /** What the scenario checks, in a few words. */
  readonly title: string
  /**
   * Runs the scenario against the fixture app served at `baseUrl` (`http://127.0.0.1:8787`,
   * no trailing slash needed). Uses only global `fetch`; throws to fail.
   */
  run(baseUrl: string): Promise<void>
}

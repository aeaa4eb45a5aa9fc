/**
 * @module
 * The shape of a conformance scenario.
 */

/** Where a gateway serves the fixture app, beyond the base URL. */
export interface ScenarioTarget {
  /**
   * Where the `/trust/<form>/…` routes are served, each by a handler with
   * `trustProxy: TRUST_FORMS[form]` (`http://127.0.0.1:8788`, no trailing slash needed).
   * Default: the base URL, for a server that dispatches `/trust/<form>/` itself.
   */
  trustUrl?: string
  /**
   * Scenarios the runtime answers itself before the gateway sees the request, by id, with what
   * it does (Deno answers two `Host` lines with its own 400). Only the `fields.*` scenarios read
   * it: they then check the runtime's refusal instead of the gateway's problem document.
   */
  runtimeRefuses?: Readonly<Record<string, string>>
}

/** One conformance scenario: a self-contained check against a running fixture app. */
export interface Scenario {
  /** Stable id (`routing.head`), used to mark a scenario unsupported on a gateway. */
  readonly id: string
  /** What the scenario checks, in a few words. */
  readonly title: string
  /**
   * Runs the scenario against the fixture app served at `baseUrl` (`http://127.0.0.1:8787`,
   * no trailing slash needed). Uses global `fetch`, and the `fields.*` scenarios a raw TCP socket
   * (`node:net`, in Node, Bun and Deno); throws to fail.
   */
  run(baseUrl: string, target?: ScenarioTarget): Promise<void>
}

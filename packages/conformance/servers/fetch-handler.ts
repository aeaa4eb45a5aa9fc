/**
 * @module
 * The handler every fetch-runtime entry serves: the shared fixture app behind gateway-fetch.
 * The launcher's self-test swaps this module for `smoke-handler.ts` at bundle time.
 */
import { toFetchHandler } from '@cycle/gateway-fetch'
import { createFixtureApp } from '@cycle/testing'

/** gateway-fetch over the fixture app. */
export const handler: (
  request: Request,
  env?: unknown,
  ctx?: ConformanceExecutionContext
) => Response | Promise<Response> = toFetchHandler(createFixtureApp())

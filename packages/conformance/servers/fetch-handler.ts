/**
 * @module
 * The handler every fetch-runtime entry serves: the shared fixture app behind gateway-fetch,
 * once with trust off and once per `trustProxy` form under `/trust/<form>/` (gateway-fetch's
 * `test-support/conformance-handler.ts`, also used on Node 20). The launcher's self-test swaps
 * this module for `smoke-handler.ts` at bundle time.
 */
import { createConformanceHandler } from '../../gateway-fetch/test-support/conformance-handler'

/** Where a runtime's client address comes from, given the handler's second argument. */
export type RemoteAddressOf<Env> = (request: Request, env: Env) => string | null | undefined

/** gateway-fetch over the fixture app, with the runtime's client address. */
export function createHandler<Env>(
  getRemoteAddress: RemoteAddressOf<Env>
): (
  request: Request,
  env?: Env,
  ctx?: ConformanceExecutionContext
) => Response | Promise<Response> {
  return createConformanceHandler<Env>(getRemoteAddress)
}

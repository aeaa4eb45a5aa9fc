/**
 * @module
 * The composed stack (`stack-app.ts`) behind gateway-fetch. The launcher swaps it in for
 * `fetch-handler.ts` (`launchFetchServer(runtime, { handlerModule })`), so every fetch runtime's
 * entry serves it unchanged.
 */
import { toFetchHandler, type FetchHandler } from '@cycle/gateway-fetch'
import { createStackApp } from './stack-app'

/** Where a runtime's client address comes from, given the handler's second argument. */
export type RemoteAddressOf<Env> = (request: Request, env: Env) => string | null | undefined

/** gateway-fetch over the composed stack, with the runtime's client address. */
export function createHandler<Env>(getRemoteAddress: RemoteAddressOf<Env>): FetchHandler<Env> {
  return toFetchHandler<Env>(createStackApp(), { getRemoteAddress })
}

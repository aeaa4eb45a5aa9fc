/**
 * @module
 * The fetch handler every gateway-fetch conformance server serves (Node 20 here, Node 24, Bun,
 * Deno and workerd in `packages/conformance`): the fixture app behind `toFetchHandler()`, once
 * with trust off and once per `trustProxy` form, dispatched by the `/trust/<form>/` prefix as
 * `@cycle/testing`'s forwarding scenarios expect. Not shipped.
 */
import { createFixtureApp, TRUST_FORM_NAMES, TRUST_FORMS, trustFormOf } from '@cycle/testing'
import type { TrustForm } from '@cycle/testing'
import { toFetchHandler, type FetchHandler, type FetchHandlerOptions } from '../src/index'

/** How the platform tells the client address (Bun: `server.requestIP`, Deno: `info.remoteAddr`). */
export type RemoteAddressOf<Env> = NonNullable<FetchHandlerOptions<Env>['getRemoteAddress']>

/**
 * The conformance handler for one runtime.
 *
 * @param getRemoteAddress the platform's client address. Where the platform has none (workerd),
 *   pass `() => undefined`: the list and function forms then trust no hop, which is what the
 *   forwarding scenarios of those forms show (marked unsupported there).
 */
export function createConformanceHandler<Env = unknown>(
  getRemoteAddress: RemoteAddressOf<Env>
): FetchHandler<Env> {
  const app = createFixtureApp()
  const plain = toFetchHandler<Env>(app, { getRemoteAddress })
  const byForm = {} as Record<TrustForm, FetchHandler<Env>>
  for (const form of TRUST_FORM_NAMES) {
    byForm[form] = toFetchHandler<Env>(app, { trustProxy: TRUST_FORMS[form], getRemoteAddress })
  }
  return function conformanceHandler(request, env, ctx) {
    const form = trustFormOf(request.url)
    return (form === null ? plain : byForm[form])(request, env, ctx)
  }
}

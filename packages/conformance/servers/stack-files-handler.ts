/**
 * @module
 * The composed stack with `serveStatic()` behind gateway-fetch, for the runtimes with Node's file
 * system (Node 24, Bun, Deno): the folder comes from `STACK_STATIC_ROOT` (the bundle runs from a
 * temp folder). The launcher swaps it in for `fetch-handler.ts`, like `stack-handler.ts`.
 */
import { toFetchHandler, type FetchHandler } from '@cycle/gateway-fetch'
import { serveStatic } from '@cycle/middleware-static'
import { createStackApp } from './stack-app'

/** Where a runtime's client address comes from, given the handler's second argument. */
export type RemoteAddressOf<Env> = (request: Request, env: Env) => string | null | undefined

/** gateway-fetch over the composed stack with static files, with the runtime's client address. */
export function createHandler<Env>(getRemoteAddress: RemoteAddressOf<Env>): FetchHandler<Env> {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
  const root = env?.['STACK_STATIC_ROOT']
  if (root === undefined) throw new Error('STACK_STATIC_ROOT is not set')
  const app = createStackApp({ files: serveStatic({ root, prefix: '/static/' }) })
  return toFetchHandler<Env>(app, { getRemoteAddress })
}

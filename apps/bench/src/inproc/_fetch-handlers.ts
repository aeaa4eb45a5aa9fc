/**
 * @module
 * The in-process fetch handlers compared by `fetch.ts` (and counted by `fetch-count.ts`).
 */
import { toFetchHandler } from '@cycle/gateway-fetch'
import { buildCycleApp } from '../servers/_cycle-app'
import { buildH3App } from '../servers/_h3-app'
import { buildHonoApp } from '../servers/_hono-app'
import {
  AUTHORIZATION,
  HELLO,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from '../servers/_shared'
import type { FetchHandlerName } from './_fetch-names'
import { buildIttyRouter } from './_itty-app'

export type Handler = (request: Request) => Response | Promise<Response>

const TEXT = { 'content-type': 'text/plain;charset=UTF-8' }
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }

/** The floor: the same routes by hand on WHATWG Request/Response (route 4 answers as route 3). */
const bare: Handler = (req) => {
  const path = new URL(req.url).pathname
  if (path === '/') return new Response(HELLO, { headers: TEXT })
  if (path.startsWith('/users/')) {
    return new Response(JSON.stringify(userOf(Number(path.slice(7)))), { headers: JSON_TYPE })
  }
  const requestId = requestIdOf(req.headers.get(REQUEST_ID))
  if (req.headers.get('authorization') !== AUTHORIZATION) {
    return new Response(UNAUTHORIZED_BODY, {
      status: 401,
      headers: { 'content-type': PROBLEM_TYPE, [REQUEST_ID]: requestId },
    })
  }
  return new Response(JSON.stringify({ data: USER, meta: { requestId } }), {
    headers: { ...JSON_TYPE, [REQUEST_ID]: requestId },
  })
}

const cycle = toFetchHandler(buildCycleApp())
const hono = buildHonoApp()
const h3 = buildH3App()
const itty = buildIttyRouter()

/** Handlers in table order. */
export const HANDLERS: Record<FetchHandlerName, Handler> = {
  bare,
  cycle: (req) => cycle(req),
  hono: (req) => hono.fetch(req),
  h3: (req) => h3.fetch(req),
  'itty-router': (req) => itty.fetch(req),
}

/** Origin of every in-process request. */
export const ORIGIN = 'http://127.0.0.1'

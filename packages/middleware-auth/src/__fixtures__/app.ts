/**
 * @module
 * Test fixtures: a small app around the middleware under test, driven in process through
 * `app.fetch()`, and a reader for the responses.
 */
import {
  createApp,
  json,
  path,
  type App,
  type AppOptions,
  type CycleRequest,
  type Middleware,
} from '@cycle/core'

type UrlEntry = AppOptions['urls'][number]
import { getAuth } from '../authenticate'

/** A view that echoes the user and how it was authenticated. */
export function whoami(request: CycleRequest): unknown {
  const state = request.state as { user?: unknown }
  return json({ user: state.user, auth: getAuth(request) })
}

/** An app with `middleware` globally, `/me/` open and `/guarded/` behind `guards`. */
export function appWith(
  middleware: readonly Middleware[],
  guards: readonly Middleware[] = [],
  extra: readonly UrlEntry[] = []
): App {
  return createApp({
    middleware,
    urls: [path('me/', whoami), path('guarded/', whoami, { middleware: guards, methods: ['GET', 'POST'] }), ...extra],
  })
}

/** A decoded response. */
export interface Result {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/** Sends a request to the app and reads the JSON body. */
export async function call(
  app: App,
  target: string,
  headers: Record<string, string> = {},
  init: RequestInit = {}
): Promise<Result> {
  const res = await app.fetch(new Request(`http://localhost${target}`, { ...init, headers }))
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  }
}

/** `Basic base64(user:password)` with UTF-8. */
export function basic(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return `Basic ${btoa(bin)}`
}

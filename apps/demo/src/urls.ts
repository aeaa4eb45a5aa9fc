/**
 * @module
 * The URL conf (Django's `urls.py`). Route-scoped middleware sits on the routes that need it:
 * `requireAuth()` on everything under `api/` except the login, then `validate()` for bodies and
 * queries, so an anonymous client gets its 401 before any 415 or 422.
 */
import { defineUrls, include, type UrlEntry } from '@cycle/core'
import { requireAuth } from '@cycle/middleware-auth'
import type { DemoContext } from './context'
import { eventsView } from './inspector/events'
import { inspectorView } from './inspector/page'
import type { State } from './settings'
import { credentials, tokenView } from './views/auth'
import { createBody, listQuery, noteVersion, noteViews, patchBody } from './views/notes'
import { ME_RESPONSE, systemViews } from './views/system'

/** Route names of the inspector's own traffic, which the feed and the access log leave out. */
export const INSPECTOR_ROUTES: ReadonlySet<string> = new Set(['inspector', 'inspector-events'])

/** Builds the URL conf for one app. `hello` is the inspector's first SSE event. */
export function demoUrls(ctx: DemoContext, hello: () => unknown): UrlEntry[] {
  const { path } = defineUrls<State>()
  const guard = requireAuth()
  const notes = noteViews(ctx)
  const system = systemViews(ctx)
  const limit = ctx.settings.bodyLimit
  // ETag "v<version>" on the note, 304 for If-None-Match, 412 for a stale If-Match.
  const version = noteVersion(ctx)

  const api = [
    path('auth/token', tokenView(ctx), {
      name: 'token',
      methods: ['POST'],
      middleware: [credentials],
      bodyLimit: 4 * 1024,
    }),
    path('me', system.me, {
      name: 'me',
      methods: ['GET'],
      middleware: [guard],
      response: { 200: ME_RESPONSE },
    }),
    path('notes', notes.list, { name: 'notes', methods: ['GET'], middleware: [guard, listQuery] }),
    path('notes', notes.create, {
      name: 'note-create',
      methods: ['POST'],
      middleware: [guard, createBody],
      bodyLimit: limit,
    }),
    path('notes/<uuid:id>', notes.detail, {
      name: 'note',
      methods: ['GET'],
      middleware: [guard, version],
    }),
    path('notes/<uuid:id>', notes.update, {
      name: 'note-update',
      methods: ['PATCH'],
      middleware: [guard, version, patchBody],
      bodyLimit: limit,
    }),
    path('notes/<uuid:id>', notes.remove, {
      name: 'note-delete',
      methods: ['DELETE'],
      middleware: [guard, version],
    }),
    ...(ctx.settings.debugRoutes ? [path('debug/boom', system.boom, { name: 'boom' })] : []),
  ]

  return [
    path('', inspectorView(), { name: 'inspector', methods: ['GET'] }),
    path('inspector/events', eventsView(ctx.feed, hello), {
      name: 'inspector-events',
      methods: ['GET'],
    }),
    path('healthz', system.health, { name: 'health', methods: ['GET'] }),
    include('api/', api, { namespace: 'api' }),
  ]
}

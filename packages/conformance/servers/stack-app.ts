/**
 * @module
 * The composed stack: every HTTP middleware package in the order `docs/middleware-order.md`
 * recommends, over a small notes API. Served by gateway-node (Node 20 in the test process and
 * Node 24) and by gateway-fetch on Node 24, Bun, Deno and workerd; `src/stack.test.ts` checks that
 * the packages' headers do not fight on any of them.
 */
import {
  type App,
  createApp,
  defineUrls,
  include,
  json,
  type CycleRequest,
  type Middleware,
  type StateOf,
} from '@cycle/core'
import { authenticate, bearerBackend, requireAuth } from '@cycle/middleware-auth'
import { compress } from '@cycle/middleware-compress'
import { conditional, etag, precondition } from '@cycle/middleware-conditional'
import { cors } from '@cycle/middleware-cors'
import { format } from '@cycle/middleware-format'
import { observe } from '@cycle/middleware-observe'
import { csrf, securityHeaders } from '@cycle/middleware-security'
import { timeout } from '@cycle/middleware-timeout'

/** The origin the API is shared with (CORS) and that may send unsafe requests (CSRF). */
export const APP_ORIGIN = 'https://app.example'
/** The only token the stack accepts (`Authorization: Bearer <STACK_TOKEN>`). */
export const STACK_TOKEN = 'stack-token-4d1f07'
/** How long `/api/slow/` may take before the deadline answers. */
export const SLOW_DEADLINE_MS = 100

interface Note {
  id: number
  title: string
  body: string
  version: number
}

/** Outermost first; the reason for each position is in docs/middleware-order.md. */
const middleware = [
  observe({ accessLog: false }),
  securityHeaders({
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  }),
  cors({ origin: [APP_ORIGIN], credentials: true, exposedHeaders: ['ETag', 'X-Request-Id'] }),
  compress(),
  conditional(),
  format(),
  csrf({ trustedOrigins: [APP_ORIGIN] }),
  authenticate({
    backends: [
      bearerBackend({
        verify: (token) => (token === STACK_TOKEN ? { id: 'u1', name: 'Ada' } : null),
      }),
    ],
  }),
] as const

type State = StateOf<typeof middleware>

/** Options of {@link createStackApp}. */
export interface StackOptions {
  /**
   * `serveStatic()` from `@cycle/middleware-static` (Node's file system: Node, Bun and Deno, not
   * workerd), put where docs/middleware-order.md says: after `cors()`, before `format()`.
   */
  files?: Middleware
}

/** A fresh app with its own notes (each server process and each test app starts the same). */
export function createStackApp(options: StackOptions = {}): App {
  const notes = new Map<number, Note>()
  for (let id = 1; id <= 40; id++) {
    // Enough notes that the list is well over every compression threshold.
    notes.set(id, {
      id,
      title: `Note ${id}`,
      body: `The body of note ${id}. `.repeat(4),
      version: 1,
    })
  }
  const { path } = defineUrls<State>()
  const noteVersion = precondition((req: CycleRequest) => {
    const note = notes.get(Number((req.params as { id?: number }).id))
    return note === undefined ? null : { etag: String(note.version) }
  })
  const guard = requireAuth()

  const api = include('api/', [
    path('notes/', () => [...notes.values()], { methods: ['GET'] }),
    path(
      'notes/<int:id>/',
      async (req) => {
        const note = notes.get(req.params.id)
        if (note === undefined) return json({ detail: 'No such note.' }, { status: 404 })
        if (req.method === 'PATCH') {
          const patch = (await req.json()) as { title?: unknown }
          if (typeof patch.title === 'string') note.title = patch.title
          note.version++
        }
        return etag(json(note), String(note.version))
      },
      { methods: ['GET', 'PATCH'], middleware: [guard, noteVersion] }
    ),
    path('me/', (req) => ({ user: req.state.user }), { middleware: [guard] }),
    path(
      'slow/',
      (req) =>
        new Promise<{ late: true }>((resolve, reject) => {
          const timer = setTimeout(() => resolve({ late: true }), SLOW_DEADLINE_MS * 20)
          req.signal.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(req.signal.reason)
          })
        }),
      { middleware: [timeout({ ms: SLOW_DEADLINE_MS, status: 504 })] }
    ),
  ])

  const list: Middleware[] = [...middleware]
  if (options.files !== undefined) list.splice(4, 0, options.files)
  return createApp({ middleware: list, urls: [api] })
}

/**
 * @module
 * Route 4 for Cycle: what a user installs, configured the way the READMEs show.
 *
 * - request id: `requestId()` of `@cycle/middleware-observe` (an incoming `X-Request-Id` kept when
 *   valid, else a UUID), handed to the envelope by format's `meta` option (format's README,
 *   "Metadata");
 * - auth: `authenticate({ backends: [bearerBackend({ verify })] })` and the `requireAuth()` guard
 *   (`@cycle/middleware-auth`'s README), the token compared with its `timingSafeEqual()`;
 * - envelope and problems: `format()` first in the list (`@cycle/middleware-format`'s README).
 *
 * Scoped to an `include('pkg/', …)` so that routes 1–3 do not run it.
 */
import {
  defineUrls,
  include,
  type CycleRequest,
  type JsonSchema,
  type StateOf,
  type UrlEntry,
} from '@cycle/core'
import { authenticate, bearerBackend, requireAuth, timingSafeEqual } from '@cycle/middleware-auth'
import { format } from '@cycle/middleware-format'
import { requestId, type RequestIdState } from '@cycle/middleware-observe'
import { TOKEN, UNAUTHORIZED_DETAIL, USER } from './_shared'

const auth = authenticate({
  backends: [
    bearerBackend({
      // The README's advice for stored secrets: compare in constant time.
      verify: (token) => (timingSafeEqual(token, TOKEN) ? USER : null),
    }),
  ],
})

const middleware = [
  format({ meta: (req) => ({ requestId: (req.state as RequestIdState).requestId }) }),
  requestId(),
  auth,
] as const
type State = StateOf<typeof middleware>
// Views see the state the include's middleware adds (the README's `defineUrls<StateOf<…>>()`).
const { path } = defineUrls<State>()

/** The user of `/pkg/me` and `/stack/me` (`requireAuth()` refused anonymous requests). */
type SignedIn = { isAuthenticated: true; id: number; name: string } | { isAuthenticated: false }

/**
 * The answer of `/pkg/me` and `/stack/me`: the signed-in user. The check narrows the type; the
 * user carries `isAuthenticated` (added by `authenticate()`), which the answer leaves out.
 */
export function userAnswer(user: SignedIn): { id: number; name: string } | null {
  return user.isAuthenticated ? { id: user.id, name: user.name } : null
}

/** The `me` route's options on routes 4 and 5: the guard, and the envelope's schema if given. */
export function meOptions(schema?: JsonSchema) {
  const guard = requireAuth({ message: UNAUTHORIZED_DETAIL })
  return schema === undefined
    ? { middleware: [guard] }
    : { middleware: [guard], response: { 200: schema } }
}

/**
 * The `pkg/` include: route 4. `schema` is the envelope's response schema (format's README: it
 * describes the document format builds), given with `SCHEMAS=1` as on routes 2 and 3.
 */
export function pkgUrls(schema?: JsonSchema): UrlEntry {
  return include(
    'pkg/',
    [path('me', (req: CycleRequest<State>) => userAnswer(req.state.user), meOptions(schema))],
    { middleware }
  )
}

/**
 * @module
 * Route 5 for Cycle, "the real stack": every package configured the way its README shows, on an
 * `include('stack/', …)` so that routes 1–4 do not run it.
 *
 * - security headers: `securityHeaders()` first (`@cycle/middleware-security`'s README), with
 *   `X-Frame-Options: SAMEORIGIN` and a `default-src 'self'` policy (HSTS is sent on HTTPS only);
 * - CORS: `cors({ origin: [...], credentials: true })` right after it (`@cycle/middleware-cors`);
 * - ETag: `conditional()` (`@cycle/middleware-conditional`): a strong tag hashed from the body;
 * - envelope and problems: `format()`; request id as route 4's hook;
 * - auth: `authenticate({ backends: [jwtBackend({ secret, algorithms: ['HS256'], toUser })] })`
 *   and the `requireAuth()` guard (`@cycle/middleware-auth`).
 */
import {
  defineMiddleware,
  defineUrls,
  include,
  type CycleRequest,
  type JsonSchema,
  type StateOf,
  type UrlEntry,
} from '@cycle/core'
import { authenticate, jwtBackend, requireAuth } from '@cycle/middleware-auth'
import { conditional } from '@cycle/middleware-conditional'
import { cors } from '@cycle/middleware-cors'
import { addMeta, format } from '@cycle/middleware-format'
import { securityHeaders } from '@cycle/middleware-security'
import {
  ALLOWED_ORIGIN,
  JWT_SECRET,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_DETAIL,
  userOfClaims,
} from './_shared'

// STACK: replace with requestId() from @cycle/middleware-observe
const requestId = defineMiddleware<{ requestId: string }>({
  name: 'requestId',
  request(req) {
    req.state.requestId = requestIdOf(req.header(REQUEST_ID))
    addMeta(req, { requestId: req.state.requestId })
  },
  response(req, res) {
    if (req.state.requestId) res.headers.set(REQUEST_ID, req.state.requestId)
  },
})

const middleware = [
  securityHeaders({
    frameOptions: 'SAMEORIGIN',
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } },
  }),
  cors({ origin: [ALLOWED_ORIGIN], credentials: true }),
  // STACK: add compress() from @cycle/middleware-compress
  conditional(),
  format(),
  requestId,
  authenticate({
    backends: [
      jwtBackend({
        secret: JWT_SECRET,
        algorithms: ['HS256'],
        toUser: (payload) => userOfClaims(payload),
      }),
    ],
  }),
] as const
type State = StateOf<typeof middleware>
const { path } = defineUrls<State>()

/** `GET /stack/me`: the signed-in user, enveloped by `format()`. */
function me(req: CycleRequest<State>): { id: number; name: string } | null {
  const user = req.state.user
  return user.isAuthenticated ? { id: user.id, name: user.name } : null
}

/** The `stack/` include: route 5 (`schema`: the envelope's response schema, with `SCHEMAS=1`). */
export function stackUrls(schema?: JsonSchema): UrlEntry {
  const guard = requireAuth({ message: UNAUTHORIZED_DETAIL })
  return include(
    'stack/',
    [
      path(
        'me',
        me,
        schema === undefined
          ? { middleware: [guard] }
          : { middleware: [guard], response: { 200: schema } }
      ),
    ],
    { middleware }
  )
}

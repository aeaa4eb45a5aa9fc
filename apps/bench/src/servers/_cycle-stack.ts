/**
 * @module
 * Route 5 for Cycle, "the real stack": every package configured the way its README shows, on an
 * `include('stack/', …)` so that routes 1–4 do not run it.
 *
 * - request id: `requestId()` first (`@cycle/middleware-observe`), into the envelope by
 *   format's `meta` option; the order is docs/middleware-order.md's;
 * - security headers: `securityHeaders()` (`@cycle/middleware-security`'s README), with
 *   `X-Frame-Options: SAMEORIGIN` and a `default-src 'self'` policy (HSTS is sent on HTTPS only);
 * - CORS: `cors({ origin: [...], credentials: true })` right after it (`@cycle/middleware-cors`);
 * - compression: `compress()` (`@cycle/middleware-compress`) outside `conditional()`; the answer
 *   is under its 1 KiB threshold, so it only negotiates and adds `Vary: Accept-Encoding`;
 * - ETag: `conditional()` (`@cycle/middleware-conditional`): a strong tag hashed from the body;
 * - envelope and problems: `format()`;
 * - auth: `authenticate({ backends: [jwtBackend({ secret, algorithms: ['HS256'], toUser })] })`
 *   and the `requireAuth()` guard (`@cycle/middleware-auth`).
 */
import {
  defineUrls,
  include,
  type CycleRequest,
  type JsonSchema,
  type StateOf,
  type UrlEntry,
} from '@cycle/core'
import { authenticate, jwtBackend } from '@cycle/middleware-auth'
import { conditional } from '@cycle/middleware-conditional'
import { cors } from '@cycle/middleware-cors'
import { compress } from '@cycle/middleware-compress'
import { format } from '@cycle/middleware-format'
import { requestId, type RequestIdState } from '@cycle/middleware-observe'
import { securityHeaders } from '@cycle/middleware-security'
import { meOptions, userAnswer } from './_cycle-pkg'
import { ALLOWED_ORIGIN, JWT_SECRET, userOfClaims } from './_shared'

const middleware = [
  requestId(),
  securityHeaders({
    frameOptions: 'SAMEORIGIN',
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } },
  }),
  cors({ origin: [ALLOWED_ORIGIN], credentials: true }),
  compress(),
  conditional(),
  format({ meta: (req) => ({ requestId: (req.state as RequestIdState).requestId }) }),
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

/** The `stack/` include: route 5 (`schema`: the envelope's response schema, with `SCHEMAS=1`). */
export function stackUrls(schema?: JsonSchema): UrlEntry {
  return include(
    'stack/',
    [path('me', (req: CycleRequest<State>) => userAnswer(req.state.user), meOptions(schema))],
    { middleware }
  )
}

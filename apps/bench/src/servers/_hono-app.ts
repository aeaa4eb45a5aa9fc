/**
 * @module
 * The Hono app, written the way Hono's docs show. Routes 2–3: `c.json()` with its own content
 * type, hand-written middlewares on `app.use('/api/*', …)` that set headers before `await next()`
 * (set after it, Hono rebuilds the finished response); route 4: the built-in `requestId()` and
 * `bearerAuth()` middlewares on `/pkg/*`; route 5: `requestId()`, `secureHeaders()`, `cors()`,
 * `compress()`, `etag()` and `jwt()` on `/stack/*`. Served by `@hono/node-server` in `hono.ts`; its
 * `app.fetch` is used by the fetch bench.
 */
import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { compress } from 'hono/compress'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import { jwt } from 'hono/jwt'
import { secureHeaders } from 'hono/secure-headers'
import { createMiddleware } from 'hono/factory'
import { requestId as honoRequestId, type RequestIdVariables } from 'hono/request-id'
import {
  ALLOWED_ORIGIN,
  AUTHORIZATION,
  JWT_SECRET,
  type JwtClaims,
  HELLO,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  TOKEN,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
  userOfClaims,
} from './_shared'

type Env = {
  Variables: RequestIdVariables & {
    jwtPayload: JwtClaims
    user: typeof USER
    ok: (data: unknown) => Response
  }
}

const requestId = createMiddleware<Env>(async (c, next) => {
  const id = requestIdOf(c.req.header(REQUEST_ID))
  c.set('requestId', id)
  // Before `next()`: the header joins the response the handler builds (Hono's docs set headers
  // in middleware this way; after `next()` it would copy the finished response).
  c.header(REQUEST_ID, id)
  await next()
})

const bearer = createMiddleware<Env>(async (c, next) => {
  if (c.req.header('authorization') !== AUTHORIZATION) {
    return c.body(UNAUTHORIZED_BODY, 401, {
      'content-type': PROBLEM_TYPE,
      'www-authenticate': 'Bearer',
    })
  }
  c.set('user', USER)
  await next()
})

// Hono has no "response data" stage: an envelope middleware would read the JSON back. Its docs
// extend the context from a middleware instead (`c.set('echo', (str) => str)` in "Extending the
// Context in Middleware"): views call the helper. One function call per request.
const envelope = createMiddleware<Env>(async (c, next) => {
  c.set('ok', (data: unknown) => c.json({ data, meta: { requestId: c.get('requestId') } }))
  await next()
})

/** The 401 problem, as `bearerAuth()`'s `message` option (which may be a `Response`). */
const unauthorized = (): Response =>
  new Response(UNAUTHORIZED_BODY, { status: 401, headers: { 'content-type': PROBLEM_TYPE } })

/** Builds the app. */
export function buildHonoApp(): Hono<Env> {
  const app = new Hono<Env>()
  app.get('/', (c) => c.text(HELLO))
  app.get('/users/:id', (c) => c.json(userOf(Number(c.req.param('id')))))
  app.use('/api/*', requestId, bearer, envelope)
  app.get('/api/me', (c) => c.var.ok(c.var.user))
  // Route 4: the built-in middlewares, as their docs pages show them (`bearerAuth({ token })`),
  // with the 401 answered as the same problem document and challenge.
  app.use(
    '/pkg/*',
    honoRequestId({ headerName: REQUEST_ID }),
    bearerAuth({
      token: TOKEN,
      noAuthenticationHeader: { message: unauthorized, wwwAuthenticateHeader: 'Bearer' },
      invalidToken: { message: unauthorized },
    }),
    envelope
  )
  app.get('/pkg/me', (c) => c.var.ok(USER))
  // Route 5: the built-in middlewares, each as its docs page shows it. `compress()` before
  // `etag()` so the tag is the uncompressed body's; the answer is below its 1 KiB threshold.
  app.use(
    '/stack/*',
    honoRequestId({ headerName: REQUEST_ID }),
    secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"] } }),
    cors({ origin: ALLOWED_ORIGIN, credentials: true }),
    compress(),
    etag(),
    jwt({ secret: JWT_SECRET, alg: 'HS256' }),
    envelope
  )
  app.get('/stack/me', (c) => c.var.ok(userOfClaims(c.var.jwtPayload)))
  return app
}

/**
 * @module
 * The Hono app, the idiomatic way: `app.use('/api/*', …)` middlewares over `c.set()`/`c.get()`.
 * Served by `@hono/node-server` in `hono.ts`; its `app.fetch` is used by the fetch bench.
 */
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import {
  AUTHORIZATION,
  HELLO,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from './_shared'

type Env = {
  Variables: { requestId: string; user: typeof USER; ok: (data: unknown) => Response }
}

const requestId = createMiddleware<Env>(async (c, next) => {
  const id = requestIdOf(c.req.header(REQUEST_ID))
  c.set('requestId', id)
  await next()
  c.header(REQUEST_ID, id)
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

// Hono has no "response data" stage: an envelope middleware reads the JSON back, or (the common
// idiom) views call a helper. The helper is what Hono users write; it is one function call.
const envelope = createMiddleware<Env>(async (c, next) => {
  c.set('ok', (data: unknown) =>
    c.json({ data, meta: { requestId: c.get('requestId') } }, 200, {
      'content-type': 'application/json; charset=utf-8',
    })
  )
  await next()
})

/** Builds the app. */
export function buildHonoApp(): Hono<Env> {
  const app = new Hono<Env>()
  app.get('/', (c) => c.text(HELLO))
  app.get('/users/:id', (c) =>
    c.json(userOf(Number(c.req.param('id'))), 200, {
      'content-type': 'application/json; charset=utf-8',
    })
  )
  app.use('/api/*', requestId, bearer, envelope)
  app.get('/api/me', (c) => c.var.ok(c.var.user))
  return app
}

/**
 * @module
 * The h3 v2 app, written the way h3's docs show: handlers return values (a string is sent as
 * `text/plain`, an object as JSON), middlewares are `app.use(route, …)`: one that returns nothing
 * lets the request go on, one that returns a value answers, and one that takes `next` gets the
 * handler's raw value back (so the envelope wraps data, not bytes). h3 ships `basicAuth()` but no
 * bearer-token or request-id middleware, so route 4 (`/pkg/**`) runs the same middlewares as
 * route 3 (`/api/**`). Served by srvx's node adapter in `h3.ts`; its `app.fetch` is used by the
 * fetch bench.
 */
import { H3, type H3Event } from 'h3'
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

interface Ctx {
  requestId?: string
  user?: typeof USER
}
const ctx = (event: H3Event): Ctx => event.context as Ctx

/** Builds the app. */
export function buildH3App(): H3 {
  const app = new H3()
  app.get('/', () => HELLO)
  app.get('/users/:id', (event) => userOf(Number(event.context.params?.['id'])))

  for (const scope of ['/api/**', '/pkg/**']) {
    app.use(scope, (event) => {
      const id = requestIdOf(event.req.headers.get(REQUEST_ID))
      ctx(event).requestId = id
      event.res.headers.set(REQUEST_ID, id)
    })
    app.use(scope, (event) => {
      if (event.req.headers.get('authorization') !== AUTHORIZATION) {
        return new Response(UNAUTHORIZED_BODY, {
          status: 401,
          headers: {
            'content-type': PROBLEM_TYPE,
            'www-authenticate': 'Bearer',
            [REQUEST_ID]: ctx(event).requestId as string,
          },
        })
      }
      ctx(event).user = USER
    })
    app.use(scope, async (event, next) => {
      const data = await next()
      return { data, meta: { requestId: ctx(event).requestId } }
    })
  }
  app.get('/api/me', (event) => ctx(event).user)
  app.get('/pkg/me', (event) => ctx(event).user)
  return app
}

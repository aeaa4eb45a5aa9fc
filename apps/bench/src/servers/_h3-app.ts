/**
 * @module
 * The h3 v2 app, the idiomatic way: `app.use('/api/**', …)` middlewares around `next()`, which
 * hands back the handler's raw value (so the envelope wraps data, not bytes). Served by srvx's
 * node adapter in `h3.ts`; its `app.fetch` is used by the fetch bench.
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
  app.get('/', (event) => {
    event.res.headers.set('content-type', 'text/plain;charset=UTF-8')
    return HELLO
  })
  app.get('/users/:id', (event) => userOf(Number(event.context.params?.['id'])))

  app.use('/api/**', async (event, next) => {
    const id = requestIdOf(event.req.headers.get(REQUEST_ID))
    ctx(event).requestId = id
    event.res.headers.set(REQUEST_ID, id)
    return next()
  })
  app.use('/api/**', (event, next) => {
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
    return next()
  })
  app.use('/api/**', async (event, next) => {
    const data = await next()
    return { data, meta: { requestId: ctx(event).requestId } }
  })
  app.get('/api/me', (event) => ctx(event).user)
  return app
}

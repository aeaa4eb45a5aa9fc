/**
 * @module
 * Koa 3 with @koa/router, the way Koa's docs show: `ctx.state` and async middlewares on a prefixed
 * router; the envelope rewraps `ctx.body` after `await next()`. Route 3 (`/api`) hand-writes the
 * request id and the token check; route 4 (`/pkg`) uses what Koa users install: `koa-requestid`,
 * and Passport through `koa-passport` with `passport-http-bearer`, its refusal turned into the
 * problem document by an error-handling middleware (Koa's docs: `try { await next() } catch`).
 */
import Router from '@koa/router'
import Koa, { type Middleware } from 'koa'
import passport from 'koa-passport'
import koaRequestId from 'koa-requestid'
import { Strategy as BearerStrategy } from 'passport-http-bearer'
import {
  announce,
  AUTHORIZATION,
  HELLO,
  PORT,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  TOKEN,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from './_shared'

const requestId: Middleware = async (ctx, next) => {
  ctx.state['requestId'] = requestIdOf(ctx.get(REQUEST_ID))
  ctx.set(REQUEST_ID, ctx.state['requestId'])
  await next()
}

const bearer: Middleware = async (ctx, next) => {
  if (ctx.get('authorization') !== AUTHORIZATION) {
    ctx.status = 401
    ctx.set('www-authenticate', 'Bearer')
    ctx.type = PROBLEM_TYPE
    ctx.body = UNAUTHORIZED_BODY
    return
  }
  ctx.state['user'] = USER
  await next()
}

const envelope: Middleware = async (ctx, next) => {
  await next()
  if (ctx.status === 200) ctx.body = { data: ctx.body, meta: { requestId: ctx.state['requestId'] } }
}

// Route 4. Passport's strategy looks the token up (its README: `User.findOne({ token })`); the
// map stands for that store.
const tokens = new Map([[TOKEN, USER]])
passport.use(new BearerStrategy((token, done) => done(null, tokens.get(token) ?? false)))

const problems: Middleware = async (ctx, next) => {
  try {
    await next()
  } catch (error) {
    // Passport's `failWithError` throws an AuthenticationError (status 401) after setting the
    // WWW-Authenticate challenge: answer it as the problem document.
    if ((error as { status?: number }).status !== 401) throw error
    ctx.status = 401
    ctx.type = PROBLEM_TYPE
    ctx.body = UNAUTHORIZED_BODY
  }
}

const pkgEnvelope: Middleware = async (ctx, next) => {
  await next()
  if (ctx.status === 200) ctx.body = { data: ctx.body, meta: { requestId: ctx.state['id'] } }
}

const app = new Koa()
const router = new Router()
router.get('/', (ctx) => {
  ctx.body = HELLO
})
router.get('/users/:id', (ctx) => {
  ctx.body = userOf(Number(ctx.params['id']))
})
const api = new Router({ prefix: '/api' })
api.use(requestId, bearer, envelope)
api.get('/me', (ctx) => {
  ctx.body = ctx.state['user']
})
const pkg = new Router({ prefix: '/pkg' })
pkg.use(
  // The id from `x-request-id` (not the query string), echoed under the same name.
  koaRequestId({ header: REQUEST_ID, expose: REQUEST_ID, query: false }),
  problems,
  passport.authenticate('bearer', { session: false, failWithError: true }),
  pkgEnvelope
)
pkg.get('/me', (ctx) => {
  ctx.body = ctx.state['user']
})
app.use(router.routes()).use(api.routes()).use(pkg.routes())

const server = app.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

/**
 * @module
 * Koa 3 with @koa/router, the idiomatic way: `ctx.state` and async middlewares on an `/api`
 * router; the envelope rewraps `ctx.body` after `await next()`.
 */
import Router from '@koa/router'
import Koa, { type Middleware } from 'koa'
import {
  announce,
  AUTHORIZATION,
  HELLO,
  PORT,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
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
app.use(router.routes()).use(api.routes())

const server = app.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

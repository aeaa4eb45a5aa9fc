/**
 * @module
 * Express 5, the idiomatic way: `res.locals` and middlewares on an `/api` router; the envelope
 * wraps `res.json` (Express has no response-data stage). Defaults kept (ETag, X-Powered-By).
 */
import express, { type RequestHandler } from 'express'
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

const requestId: RequestHandler = (req, res, next) => {
  res.locals['requestId'] = requestIdOf(req.get(REQUEST_ID))
  res.set(REQUEST_ID, res.locals['requestId'] as string)
  next()
}

const bearer: RequestHandler = (req, res, next) => {
  if (req.get('authorization') !== AUTHORIZATION) {
    res.status(401).set({ 'content-type': PROBLEM_TYPE, 'www-authenticate': 'Bearer' })
    res.end(UNAUTHORIZED_BODY)
    return
  }
  res.locals['user'] = USER
  next()
}

const envelope: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res)
  res.json = (data: unknown) => json({ data, meta: { requestId: res.locals['requestId'] } })
  next()
}

const app = express()
app.get('/', (_req, res) => {
  res.type('text/plain').send(HELLO)
})
app.get('/users/:id', (req, res) => {
  res.json(userOf(Number(req.params['id'])))
})
const api = express.Router()
api.use(requestId, bearer, envelope)
api.get('/me', (_req, res) => {
  res.json(res.locals['user'])
})
app.use('/api', api)

const server = app.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

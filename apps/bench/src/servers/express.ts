/**
 * @module
 * Express 5, the way its docs show: `res.locals` and middlewares on a router; the envelope wraps
 * `res.json` (Express has no response-data stage). Defaults kept (ETag, X-Powered-By). Route 3
 * (`/api`) hand-writes the request id and the token check; route 4 (`/pkg`) uses what Express
 * users install: `express-request-id`, and Passport with `passport-http-bearer`, its refusal
 * (`failWithError`) answered by an error-handling middleware, as Express's error-handling guide
 * writes them.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import requestID from 'express-request-id'
import passport from 'passport'
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

// Route 4. Passport's strategy looks the token up (its README: `User.findOne({ token })`); the
// map stands for that store.
const tokens = new Map([[TOKEN, USER]])
passport.use(new BearerStrategy((token, done) => done(null, tokens.get(token) ?? false)))

const pkgEnvelope: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res)
  res.json = (data: unknown) => json({ data, meta: { requestId: req.id } })
  next()
}

// Passport has set the WWW-Authenticate challenge; the refusal becomes the problem document.
const problems: ErrorRequestHandler = (error: { status?: number }, _req, res, next) => {
  if (error.status !== 401) return next(error)
  res.status(401).type(PROBLEM_TYPE).send(UNAUTHORIZED_BODY)
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
const pkg = express.Router()
pkg.use(
  requestID({ headerName: REQUEST_ID }),
  passport.authenticate('bearer', { session: false, failWithError: true }),
  pkgEnvelope
)
pkg.get('/me', (req, res) => {
  res.json(req.user)
})
pkg.use(problems)
app.use('/pkg', pkg)

const server = app.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

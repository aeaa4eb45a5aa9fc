/**
 * @module
 * Fastify, the way its docs show. Route 3: hand-written hooks scoped to an encapsulated `/api`
 * plugin (`onRequest` for the id and the token check, `preSerialization` for the envelope).
 * Route 4: what Fastify users install and configure instead: request ids from the server's
 * `requestIdHeader` option with `setGenReqId()` in the `/pkg` plugin (UUIDs for that scope only),
 * echoed by an `onRequest` hook; the core plugin `@fastify/bearer-auth` (its own `onRequest` hook,
 * constant-time key comparison) with the 401 body and type set through its `errorResponse` and
 * `contentType` options; the envelope in `preSerialization`.
 * Route 5, the real stack, in an encapsulated `/stack` plugin: `@fastify/helmet`, `@fastify/cors`,
 * `@fastify/etag`, `@fastify/compress` and `@fastify/jwt` (`request.jwtVerify()` in an `onRequest`
 * hook, as its README shows), request ids as route 4's, the envelope in `preSerialization`.
 * `SCHEMAS=1` adds response schemas (fast-json-stringify) — the variant Fastify recommends.
 */
import { randomUUID } from 'node:crypto'
import bearerAuth from '@fastify/bearer-auth'
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import etag from '@fastify/etag'
import helmet from '@fastify/helmet'
import jwt from '@fastify/jwt'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  announce,
  ALLOWED_ORIGIN,
  AUTHORIZATION,
  HELLO,
  JWT_SECRET,
  type JwtClaims,
  PORT,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  TOKEN,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
  userOfClaims,
} from './_shared'

const schemas = process.env['SCHEMAS'] === '1'
/** The 401 problem document (Fastify serializes it: its content type names JSON). */
const unauthorized = JSON.parse(UNAUTHORIZED_BODY) as Record<string, unknown>
const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const

/** Route options of routes 3 and 4: the envelope's response schema with `SCHEMAS=1`. */
const envelopeSchema = schemas
  ? {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              data: user,
              meta: { type: 'object', properties: { requestId: { type: 'string' } } },
            },
          },
        },
      },
    }
  : {}

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string
  }
}
declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: JwtClaims
    user: JwtClaims | typeof USER | null
  }
}

// `requestIdHeader` is a server option: `request.id` is the incoming `x-request-id` when there is
// one, else what the scope's generator makes (routes 1–3 keep Fastify's default counter).
const app = Fastify({ requestIdHeader: REQUEST_ID })
app.decorateRequest('requestId', '')

app.get('/', async () => HELLO)

app.get<{ Params: { id: string } }>(
  '/users/:id',
  schemas
    ? {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } } },
          response: { 200: user },
        },
      }
    : {},
  async (req) => userOf(Number(req.params.id))
)

app.register(
  async (api: FastifyInstance) => {
    // Scoped to the plugin: `@fastify/jwt` decorates `request.user` in the `/stack` one.
    api.decorateRequest('user', null)
    api.addHook('onRequest', async (req, reply) => {
      req.requestId = requestIdOf(req.headers[REQUEST_ID] as string | undefined)
      reply.header(REQUEST_ID, req.requestId)
      if (req.headers.authorization !== AUTHORIZATION) {
        reply.code(401).type(PROBLEM_TYPE).header('www-authenticate', 'Bearer')
        return reply.send(unauthorized)
      }
      req.user = USER
    })
    // Problems (the 401s) are serialized too: only successes are enveloped.
    api.addHook('preSerialization', async (req, reply, payload) =>
      reply.statusCode === 200 ? { data: payload, meta: { requestId: req.requestId } } : payload
    )
    api.get('/me', envelopeSchema, async (req) => req.user)
  },
  { prefix: '/api' }
)

app.register(
  async (pkg: FastifyInstance) => {
    pkg.setGenReqId(() => randomUUID())
    // Fastify does not echo the id; the hook its maintainers point to sets the header.
    pkg.addHook('onRequest', async (req, reply) => {
      reply.header(REQUEST_ID, req.id)
    })
    await pkg.register(bearerAuth, {
      keys: [TOKEN],
      contentType: PROBLEM_TYPE,
      // The plugin's types say `{ error: string }`; its README: "the content body to be sent".
      errorResponse: (() => unauthorized) as unknown as (err: Error) => { error: string },
    })
    pkg.addHook('preSerialization', async (req, reply, payload) =>
      reply.statusCode === 200 ? { data: payload, meta: { requestId: req.id } } : payload
    )
    pkg.get('/me', envelopeSchema, async () => USER)
  },
  { prefix: '/pkg' }
)

app.register(
  async (stack: FastifyInstance) => {
    stack.setGenReqId(() => randomUUID())
    stack.addHook('onRequest', async (req, reply) => {
      reply.header(REQUEST_ID, req.id)
    })
    await stack.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"] } },
    })
    await stack.register(cors, { origin: [ALLOWED_ORIGIN], credentials: true })
    await stack.register(etag)
    await stack.register(compress)
    await stack.register(jwt, { secret: JWT_SECRET })
    // @fastify/jwt's README: verify in an `onRequest` hook, sending the error it throws.
    stack.addHook('onRequest', async (req, reply) => {
      try {
        await req.jwtVerify()
      } catch (err) {
        return reply.send(err)
      }
    })
    stack.addHook('preSerialization', async (req, reply, payload) =>
      reply.statusCode === 200 ? { data: payload, meta: { requestId: req.id } } : payload
    )
    stack.get('/me', envelopeSchema, async (req) => userOfClaims(req.user as JwtClaims))
  },
  { prefix: '/stack' }
)

const address = await app.listen({ port: PORT, host: '127.0.0.1' })
announce(Number(new URL(address).port))

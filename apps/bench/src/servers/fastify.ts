/**
 * @module
 * Fastify, the way its docs show. Route 3: hand-written hooks scoped to an encapsulated `/api`
 * plugin (`onRequest` for the id and the token check, `preSerialization` for the envelope).
 * Route 4: what Fastify users install and configure instead: request ids from the server's
 * `requestIdHeader` option with `setGenReqId()` in the `/pkg` plugin (UUIDs for that scope only),
 * echoed by an `onRequest` hook; the core plugin `@fastify/bearer-auth` (its own `onRequest` hook,
 * constant-time key comparison) with the 401 body and type set through its `errorResponse` and
 * `contentType` options; the envelope in `preSerialization`.
 * `SCHEMAS=1` adds response schemas (fast-json-stringify) — the variant Fastify recommends.
 */
import { randomUUID } from 'node:crypto'
import bearerAuth from '@fastify/bearer-auth'
import Fastify, { type FastifyInstance } from 'fastify'
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
    user: typeof USER | null
  }
}

// `requestIdHeader` is a server option: `request.id` is the incoming `x-request-id` when there is
// one, else what the scope's generator makes (routes 1–3 keep Fastify's default counter).
const app = Fastify({ requestIdHeader: REQUEST_ID })
app.decorateRequest('requestId', '')
app.decorateRequest('user', null)

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

const address = await app.listen({ port: PORT, host: '127.0.0.1' })
announce(Number(new URL(address).port))

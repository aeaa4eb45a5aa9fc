/**
 * @module
 * Fastify, the idiomatic way: hooks scoped to an encapsulated `/api` plugin (onRequest for the
 * id and the token check, preSerialization for the envelope, onSend for the header).
 * `SCHEMAS=1` adds response schemas (fast-json-stringify) — the variant Fastify recommends.
 */
import Fastify, { type FastifyInstance } from 'fastify'
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

const schemas = process.env['SCHEMAS'] === '1'
// A string payload would get `; charset=utf-8` appended to the problem type; bytes are sent as is.
const unauthorized = Buffer.from(UNAUTHORIZED_BODY)
const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string
    user: typeof USER | null
  }
}

const app = Fastify()
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
    api.addHook('preSerialization', async (req, _reply, payload) => ({
      data: payload,
      meta: { requestId: req.requestId },
    }))
    api.get(
      '/me',
      schemas
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
        : {},
      async (req) => req.user
    )
  },
  { prefix: '/api' }
)

const address = await app.listen({ port: PORT, host: '127.0.0.1' })
announce(Number(new URL(address).port))

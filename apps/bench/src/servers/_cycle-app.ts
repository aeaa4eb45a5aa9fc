/**
 * @module
 * The Cycle app: routes 1–3 (route 3's middlewares written as core hooks, the way core's docs show
 * them, scoped to the `api/` include), route 4 (`_cycle-pkg.ts`: the auth and format packages)
 * and route 5 (`_cycle-stack.ts`: the real stack).
 * Served by gateway-node in `cycle.ts`, by gateway-fetch in the fetch bench.
 * With `schemas`, routes 2–5 declare response schemas (compiled serializers instead of
 * `JSON.stringify`), the same schemas as the Fastify variant's.
 */
import {
  createApp,
  defineMiddleware,
  include,
  path,
  text,
  Unauthorized,
  type App,
  type CycleRequest,
  type JsonSchema,
} from '@cycle/core'
import {
  AUTHORIZATION,
  HELLO,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_DETAIL,
  USER,
  userOf,
} from './_shared'
import { pkgUrls } from './_cycle-pkg'
import { stackUrls } from './_cycle-stack'

const requestId = defineMiddleware<{ requestId: string }>({
  name: 'requestId',
  request(req) {
    req.state.requestId = requestIdOf(req.header(REQUEST_ID))
  },
  response(req, res) {
    if (req.state.requestId) res.headers.set(REQUEST_ID, req.state.requestId)
  },
})

const bearer = defineMiddleware<{ user: typeof USER }>({
  name: 'bearer',
  request(req) {
    if (req.header('authorization') !== AUTHORIZATION) {
      throw new Unauthorized(UNAUTHORIZED_DETAIL, { challenge: 'Bearer' })
    }
    req.state.user = USER
  },
})

const envelope = defineMiddleware<object, { requestId: string }>({
  name: 'envelope',
  // A render hook reshapes the view's data before core writes it (once, with the route's schema
  // when it has one); problems stay RFC 9457 documents.
  render(req, res) {
    if (res.status === 200) {
      res.data = { data: res.data, meta: { requestId: req.state.requestId } }
    }
  },
})

const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const satisfies JsonSchema

const envelopeOfUser = {
  type: 'object',
  properties: {
    data: user,
    meta: { type: 'object', properties: { requestId: { type: 'string' } } },
  },
} as const satisfies JsonSchema

/** Builds the app; `schemas` adds response schemas to routes 2–4. */
export function buildCycleApp(o: { schemas?: boolean } = {}): App {
  return createApp({
    urls: [
      path('', () => text(HELLO)),
      path(
        'users/<int:id>',
        (req: CycleRequest<object, { id: number }>) => userOf(req.params.id),
        o.schemas === true ? { response: { 200: user } } : {}
      ),
      include(
        'api/',
        [
          path(
            'me',
            (req) => (req.state as { user: typeof USER }).user,
            o.schemas === true ? { response: { 200: envelopeOfUser } } : {}
          ),
        ],
        { middleware: [requestId, bearer, envelope] }
      ),
      pkgUrls(o.schemas === true ? envelopeOfUser : undefined),
      stackUrls(o.schemas === true ? envelopeOfUser : undefined),
    ],
  })
}

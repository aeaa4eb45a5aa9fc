/**
 * @module
 * The four routes on itty-router v5 (`Router` with `before`/`finally` stages): the request id
 * and token check are route middlewares (handlers that return nothing), the envelope and the
 * serialization happen in `finally`. itty-router ships no auth or request-id middleware, so
 * route 4 runs route 3's.
 */
import { Router, json, text, type IRequest } from 'itty-router'
import {
  AUTHORIZATION,
  HELLO,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from '../servers/_shared'

interface Req extends IRequest {
  requestId?: string
  user?: typeof USER
  wrapped?: boolean
}

const withRequestId = (req: Req): void => {
  req.requestId = requestIdOf(req.headers.get(REQUEST_ID))
}
const withBearer = (req: Req): Response | undefined => {
  if (req.headers.get('authorization') !== AUTHORIZATION) {
    return new Response(UNAUTHORIZED_BODY, {
      status: 401,
      headers: {
        'content-type': PROBLEM_TYPE,
        'www-authenticate': 'Bearer',
        [REQUEST_ID]: req.requestId as string,
      },
    })
  }
  req.user = USER
  req.wrapped = true
  return undefined
}

/** Builds the router; `router.fetch(request)` answers. */
export function buildIttyRouter(): { fetch: (request: Request) => Promise<Response> } {
  const router = Router<Req>({
    finally: [
      (res: unknown, req: Req) => {
        if (res instanceof Response) return res
        if (req.wrapped !== true) return json(res)
        return json(
          { data: res, meta: { requestId: req.requestId } },
          { headers: { [REQUEST_ID]: req.requestId as string } }
        )
      },
    ],
  })
  router.get('/', () => text(HELLO))
  router.get('/users/:id', (req) => userOf(Number(req.params['id'])))
  router.all('/api/*', withRequestId, withBearer)
  router.get('/api/me', (req) => req.user)
  router.all('/pkg/*', withRequestId, withBearer)
  router.get('/pkg/me', (req) => req.user)
  return router as unknown as { fetch: (request: Request) => Promise<Response> }
}

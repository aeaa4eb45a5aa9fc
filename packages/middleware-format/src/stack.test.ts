/**
 * A composed stack: core + format + `@cycle/middleware-auth`. Whoever refuses the request (auth's
 * request hook, a guard, URL resolution, validation, a broken view), the client gets the same
 * standard problem: same content type, `type`/`title`/`status` members, `Vary: Accept`, and the
 * error's own headers (`WWW-Authenticate` on a 401).
 */
import { createApp, include, json, path } from '@cycle/core'
import {
  authenticate,
  jwtBackend,
  requireAuth,
  requirePermission,
  requireScope,
  signJwt,
} from '@cycle/middleware-auth'
import { createTestClient, type TestResponse } from '@cycle/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { format } from './format'
import { addMeta } from './meta'
import type { FormatOptions } from './options'
import { validate, validated } from './validate'

const SECRET = 'format-stack-test-secret-32-bytes!!'

type User = { id: string; permissions: string[] }

const createNote = validate({ body: z.object({ title: z.string().min(1).max(100) }) })

function stack(options?: FormatOptions) {
  const auth = authenticate({
    backends: [
      jwtBackend<User>({
        secret: SECRET,
        algorithms: ['HS256'],
        realm: 'notes',
        toUser: (p) => ({
          id: String(p.sub),
          permissions: (p['perms'] as string[] | undefined) ?? [],
        }),
      }),
    ],
  })
  const app = createApp({
    middleware: [format(options), auth],
    urls: [
      include(
        'api/',
        [
          path(
            'notes/',
            (req) => {
              addMeta(req, { user: (req.state as { user: User }).user.id })
              return [{ id: 1, title: 'First' }]
            },
            { methods: ['GET'] }
          ),
          path('notes/', (req) => json(validated(req, createNote).body, 201), {
            methods: ['POST'],
            middleware: [requirePermission('notes.add'), createNote],
          }),
          path('admin/', () => ({ secret: 'admin' }), { middleware: [requireScope('admin')] }),
          path('boom/', () => {
            throw new Error('database password is hunter2')
          }),
        ],
        { middleware: [requireAuth()] }
      ),
    ],
  })
  return createTestClient(app)
}

const token = (payload: Record<string, unknown> = {}) =>
  signJwt({ sub: 'u1', ...payload }, { secret: SECRET, algorithm: 'HS256', expiresIn: '5m' })
const bearer = async (payload?: Record<string, unknown>) => ({
  authorization: `Bearer ${await token(payload)}`,
})

/** The standard problem shape every error of the stack shares. */
function expectStandardProblem(res: TestResponse, status: number, title: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  expect(res.headers.get('vary')).toBe('Accept')
  const doc = JSON.parse(res.text) as Record<string, unknown>
  expect(Object.keys(doc).slice(0, 3)).toEqual(['type', 'title', 'status'])
  expect(doc).toMatchObject({ type: 'about:blank', title, status })
  return doc
}

describe('core + format + middleware-auth', () => {
  const client = stack()

  it('200: the envelope, with meta added by the view', async () => {
    const res = await client.get('/api/notes/', { headers: await bearer() })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ data: [{ id: 1, title: 'First' }], meta: { user: 'u1' } })
  })

  it('401 (no credentials, from a guard) carries WWW-Authenticate', async () => {
    const res = await client.get('/api/notes/')
    const doc = expectStandardProblem(res, 401, 'Unauthorized')
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="notes"')
    expect(doc['detail']).toBe('Authentication credentials were not provided.')
  })

  it('401 (a bad token, refused by authenticate in the request phase) too', async () => {
    const res = await client.get('/api/notes/', { headers: { authorization: 'Bearer not.a.jwt' } })
    expectStandardProblem(res, 401, 'Unauthorized')
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="notes", error="invalid_token"/
    )
  })

  it('403 from requireScope and requirePermission', async () => {
    expectStandardProblem(
      await client.get('/api/admin/', { headers: await bearer() }),
      403,
      'Forbidden'
    )
    const res = await client.post('/api/notes/', { headers: await bearer(), json: { title: 'x' } })
    expectStandardProblem(res, 403, 'Forbidden')
  })

  it('404 from URL resolution', async () => {
    const res = await client.get('/api/nope/', { headers: await bearer() })
    expectStandardProblem(res, 404, 'Not Found')
  })

  it('422 from validation, with pointers', async () => {
    const headers = await bearer({ perms: ['notes.add'] })
    const res = await client.post('/api/notes/', { headers, json: { title: '' } })
    const doc = expectStandardProblem(res, 422, 'Unprocessable Content')
    expect(doc['errors']).toEqual([{ pointer: '/body/title', detail: expect.any(String) }])
    const ok = await client.post('/api/notes/', { headers, json: { title: 'Hello' } })
    expect(ok.status).toBe(201)
    expect(ok.json).toEqual({ data: { title: 'Hello' }, meta: {} })
  })

  it('500 from a broken view, with nothing internal', async () => {
    const res = await client.get('/api/boom/', { headers: await bearer() })
    expectStandardProblem(res, 500, 'Internal Server Error')
    expect(res.text).not.toContain('hunter2')
  })

  it("the same statuses in errors: 'envelope' mode share { error: problem, meta }", async () => {
    const env = stack({ errors: 'envelope' })
    const cases: [Promise<TestResponse>, number][] = [
      [env.get('/api/notes/'), 401],
      [env.get('/api/admin/', { headers: await bearer() }), 403],
      [env.get('/api/nope/', { headers: await bearer() }), 404],
      [env.post('/api/notes/', { headers: await bearer({ perms: ['notes.add'] }), json: {} }), 422],
      [env.get('/api/boom/', { headers: await bearer() }), 500],
    ]
    for (const [pending, status] of cases) {
      const res = await pending
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const body = res.json as { error: Record<string, unknown>; meta: unknown }
      expect(Object.keys(body)).toEqual(['error', 'meta'])
      expect(body.error).toMatchObject({ type: 'about:blank', status })
      expect(typeof body.error['title']).toBe('string')
      if (status === 401) expect(res.headers.get('www-authenticate')).toContain('Bearer')
    }
  })
})

import { createApp, path, ResponseShapeError, type JsonSchema } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { format } from './format'

// A route's response schema must hold whatever format renders: format writes the body itself
// (in its render hook), so without it an undeclared field would slip past the schema.
const user = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const satisfies JsonSchema

/** The schema describes the final document: format's envelope. */
const envelope = {
  type: 'object',
  properties: { data: user, meta: {} },
  required: ['data'],
} as const satisfies JsonSchema

const errors: unknown[] = []
const app = createApp({
  middleware: [format({ pretty: 'query' })],
  urls: [
    path('me', () => ({ id: 1, name: 'Ada', passwordHash: 'pbkdf2$…' }), {
      response: { 200: envelope },
    }),
    path('broken', () => ({ id: 'one', name: 'Ada' }), { response: { 200: envelope } }),
    path('free', () => ({ id: 2, name: 'Bo', extra: true })),
  ],
})
app.on('requestException', (_req, error) => errors.push((error as Error).cause ?? error))
const get = (url: string, accept = 'application/json') =>
  app.fetch(new Request(`http://localhost${url}`, { headers: { accept } }))

describe('format with a route response schema', () => {
  it('writes the JSON envelope with the declared fields only', async () => {
    const res = await get('/me')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = await res.text()
    expect(body).not.toContain('passwordHash')
    expect(JSON.parse(body)).toEqual({ data: { id: 1, name: 'Ada' }, meta: {} })
  })

  it('pretty-prints the projected document', async () => {
    const body = await (await get('/me?pretty')).text()
    expect(body).toBe(JSON.stringify({ data: { id: 1, name: 'Ada' }, meta: {} }, null, 2))
  })

  it('renders HTML and text from the projected document', async () => {
    for (const accept of ['text/html', 'text/plain']) {
      const res = await get('/me', accept)
      expect(res.status).toBe(200)
      const body = await res.text()
      expect(body).toContain('Ada')
      expect(body).not.toContain('passwordHash')
      expect(body).not.toContain('pbkdf2')
    }
  })

  it('answers data of the wrong shape with a 500 problem and reports the shape error', async () => {
    errors.length = 0
    const res = await get('/broken')
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ status: 500 })
    expect(errors[0]).toBeInstanceOf(ResponseShapeError)
    expect((errors[0] as ResponseShapeError).pointer).toBe('/data/id')
  })

  it('leaves routes without a schema as they were', async () => {
    expect(await (await get('/free')).json()).toEqual({
      data: { id: 2, name: 'Bo', extra: true },
      meta: {},
    })
  })
})

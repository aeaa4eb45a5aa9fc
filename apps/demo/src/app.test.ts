import { describe, expect, it } from 'vitest'
import { buildApp } from './app'

process.env['CYCLE_DEMO_QUIET'] = '1'

describe('demo app (in process)', () => {
  it('creates a note and finds it at its Location', async () => {
    const app = buildApp()
    const created = await app.fetch(
      new Request('http://localhost/api/notes/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'first' }),
      })
    )
    expect(created.status).toBe(201)
    const location = created.headers.get('location') as string
    expect(location).toBe('/api/notes/1/')
    const res = await app.fetch(new Request(`http://localhost${location}`))
    expect(await res.json()).toEqual({ id: 1, title: 'first' })
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers bad input with problems', async () => {
    const app = buildApp()
    const post = (body: string, type = 'application/json') =>
      app.fetch(new Request('http://localhost/api/notes/', { method: 'POST', headers: { 'content-type': type }, body }))
    expect((await post('{"title":""}')).status).toBe(422)
    expect((await post('{nope')).status).toBe(400)
    expect((await post('title=x', 'application/x-www-form-urlencoded')).status).toBe(415)
    expect((await app.fetch(new Request('http://localhost/api/notes/99/'))).status).toBe(404)
    const evil = await app.fetch(new Request('http://localhost/', { headers: { host: 'evil.example' } }))
    expect(evil.status).toBe(400)
  })
})

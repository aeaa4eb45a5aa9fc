import { describe, expect, it } from 'vitest'
import { Client, isProblem } from '../test/helpers'
import worker, { createFetchDemo } from './worker.fetch'

// The fetch entry with its in-memory store, through @cycle/gateway-fetch: no socket, no SQLite.
const env = { CYCLE_DEMO_QUIET: '1', CYCLE_DEMO_PBKDF2_ITERATIONS: '1000' }

async function fetchClient(extra: Record<string, string> = {}) {
  const built = await createFetchDemo({ env: { ...env, ...extra } })
  return { ...built, client: new Client('http://localhost', (r) => built.fetch(r)) }
}

describe('worker.fetch.ts', () => {
  it('serves the notes API from the memory store', async () => {
    const { client, demo } = await fetchClient()
    expect(demo.store.kind).toBe('memory')
    await client.login()
    const created = await client.send('POST', '/api/notes', {
      body: { title: 'In memory', body: 'no SQLite' },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`/api/notes/${created.body.data.id}`)
    const list = await client.send('GET', '/api/notes?q=memory')
    expect(list.body.meta).toMatchObject({ total: 1, page: 1 })
    expect(
      (await client.send('GET', created.headers.get('location') as string)).body.data.title
    ).toBe('In memory')
    const health = await client.send('GET', '/healthz')
    expect(health.body.data).toEqual({ status: 'ok', database: { kind: 'memory', ok: true } })
  })

  it('answers the same errors as the node entry', async () => {
    const { client } = await fetchClient()
    expect(isProblem(await client.send('GET', '/api/me'), 401)).toBe(true)
    await client.login()
    expect(
      isProblem(await client.send('GET', '/api/notes/00000000-0000-4000-8000-000000000000'), 404)
    ).toBe(true)
    expect(isProblem(await client.send('POST', '/api/notes', { body: { title: '' } }), 422)).toBe(
      true
    )
    expect(
      isProblem(await client.send('POST', '/api/notes', { body: 'x', type: 'text/plain' }), 415)
    ).toBe(true)
    expect(isProblem(await client.send('POST', '/api/notes', { body: '{' }), 400)).toBe(true)
    const big = await client.send('POST', '/api/notes', {
      body: { title: 'big', body: 'x'.repeat(70_000) },
    })
    expect(isProblem(big, 413)).toBe(true)
    const put = await client.send('PUT', '/api/notes/00000000-0000-4000-8000-000000000000')
    expect(isProblem(put, 405)).toBe(true)
    expect(put.headers.get('allow')).toContain('PATCH')
    const evil = await client.fetcher(new Request('http://evil.example/healthz'))
    expect(evil.status).toBe(400)
  })

  it('keeps the deliberate 500 off unless CYCLE_DEMO_DEBUG_ROUTES=1', async () => {
    const off = await worker.fetch(new Request('http://localhost/api/debug/boom'), env)
    expect(off.status).toBe(404)
    const { client } = await fetchClient({ CYCLE_DEMO_DEBUG_ROUTES: '1' })
    expect(isProblem(await client.send('GET', '/api/debug/boom'), 500)).toBe(true)
  })

  it("the default export builds the app once from the platform's env and answers", async () => {
    const res = await worker.fetch(new Request('http://localhost/healthz'), env)
    expect(res.status).toBe(200)
    expect(
      ((await res.json()) as { data: { database: { kind: string } } }).data.database.kind
    ).toBe('memory')
    const page = await worker.fetch(new Request('http://localhost/'), env)
    expect(page.headers.get('content-type')).toContain('text/html')
  })

  it('feeds the inspector through the fetch gateway too', async () => {
    const { client, demo } = await fetchClient()
    await client.send('GET', '/api/nowhere')
    const [event] = demo.feed.recent()
    expect(event).toMatchObject({
      gateway: '@cycle/gateway-fetch',
      method: 'GET',
      target: '/api/nowhere',
      status: 404,
    })
    expect(event?.trace.find((t) => t.phase === 'resolve')?.outcome).toBe('miss')
  })

  it('refuses a bad setting at start-up, naming the variable', async () => {
    await expect(createFetchDemo({ env: { CYCLE_DEMO_JWT_SECRET: 'short' } })).rejects.toThrow(
      /32 bytes/
    )
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, isProblem, tempDir } from '../test/helpers'
import { bundleWorker, startRuntime, type Runtime } from '../test/runtimes'

// The fetch entry, bundled, on the runtimes it is written for: Bun, Deno and workerd (from the
// npm registry). Each logs in, creates a note, reads it back and is refused without a token.
const dir = tempDir()
const env = { CYCLE_DEMO_QUIET: '1', CYCLE_DEMO_PASSWORD: 'runtime-pass' }

beforeAll(async () => {
  await bundleWorker(dir.path)
})

afterAll(() => dir.remove())

describe.each<Runtime>(['bun', 'deno', 'workerd'])('worker.fetch.ts on %s', (runtime) => {
  it('serves the notes API from the memory store', async () => {
    const server = await startRuntime(runtime, dir.path, env)
    try {
      const client = new Client(server.url)
      await client.login('demo', 'runtime-pass')
      const created = await client.send('POST', '/api/notes', {
        body: { title: runtime, body: 'fetch entry' },
      })
      expect(created.status).toBe(201)
      const read = await client.send('GET', created.headers.get('location') as string)
      expect(read.body.data).toMatchObject({ title: runtime, body: 'fetch entry' })
      expect(isProblem(await client.send('GET', '/api/me', { token: null }), 401)).toBe(true)
      const health = await client.send('GET', '/healthz')
      expect(health.body.data.database.kind).toBe('memory')
    } finally {
      await server.stop()
    }
  })
})

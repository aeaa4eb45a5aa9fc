import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Client, isProblem, tempDir, testSettings } from '../test/helpers'
import { startNodeDemo, type NodeDemo } from './node'
import { hashPassword } from './passwords'

// Restarts over one data directory, and two users side by side, over real HTTP.
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void> | void)()
})

async function start(env: Record<string, string>): Promise<NodeDemo> {
  const running = await startNodeDemo(testSettings(env))
  cleanups.push(() => running.close())
  return running
}

describe('restart durability', () => {
  it('creates the data directory on first run, and a note survives a restart', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const data = join(dir.path, 'nested', 'data')
    const first = await start({ CYCLE_DEMO_DATA: data })
    expect(first.databaseFile).toBe(join(data, 'demo.sqlite'))
    expect(existsSync(join(data, 'demo.sqlite'))).toBe(true)
    const before = new Client(first.url)
    await before.login()
    const created = await before.send('POST', '/api/notes', {
      body: { title: 'Kept', body: 'across restarts' },
    })
    expect(created.status).toBe(201)
    const userId = (await before.send('GET', '/api/me')).body.data.id
    await first.close()

    const second = await start({ CYCLE_DEMO_DATA: data })
    const after = new Client(second.url)
    await after.login()
    const read = await after.send('GET', created.headers.get('location') as string)
    expect(read.status).toBe(200)
    expect(read.body.data).toEqual(created.body.data)
    const list = await after.send('GET', '/api/notes')
    expect(list.body.meta.total).toBe(1)
    // Seeding is idempotent: still one demo user, the same one.
    expect((await after.send('GET', '/api/me')).body.data.id).toBe(userId)
  })

  it('applies a changed CYCLE_DEMO_PASSWORD at the next start', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const first = await start({ CYCLE_DEMO_DATA: dir.path })
    await first.close()
    const second = await start({ CYCLE_DEMO_DATA: dir.path, CYCLE_DEMO_PASSWORD: 'new-secret' })
    const client = new Client(second.url)
    const old = await client.send('POST', '/api/auth/token', {
      body: { username: 'demo', password: 'cycle-demo' },
    })
    expect(isProblem(old, 401)).toBe(true)
    await expect(client.login('demo', 'new-secret')).resolves.toMatch(/^ey/)
  })

  it('keeps the token valid across a restart when CYCLE_DEMO_JWT_SECRET is set', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const env = {
      CYCLE_DEMO_DATA: dir.path,
      CYCLE_DEMO_JWT_SECRET: 'a-test-secret-that-is-32-bytes-long!',
    }
    const first = await start(env)
    const token = await new Client(first.url).login()
    await first.close()
    const second = await start(env)
    const me = await new Client(second.url).send('GET', '/api/me', { token })
    expect(me.status).toBe(200)
  })
})

describe('isolation between users', () => {
  it("never shows, changes or deletes another user's note", async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const running = await start({ CYCLE_DEMO_DATA: dir.path })
    await running.demo.store.createUser('eve', await hashPassword('eve-pass', 1000))
    const demo = new Client(running.url)
    await demo.login()
    const eve = new Client(running.url)
    await eve.login('eve', 'eve-pass')

    const created = await demo.send('POST', '/api/notes', {
      body: { title: 'Private', body: 'demo only' },
    })
    const url = created.headers.get('location') as string
    expect(isProblem(await eve.send('GET', url), 404)).toBe(true)
    expect(isProblem(await eve.send('PATCH', url, { body: { title: 'pwned' } }), 404)).toBe(true)
    expect(isProblem(await eve.send('DELETE', url), 404)).toBe(true)
    const eveList = await eve.send('GET', '/api/notes?q=Private')
    expect(eveList.body).toMatchObject({ data: [], meta: { total: 0 } })
    expect((await eve.send('GET', '/api/me')).body.data.username).toBe('eve')

    const still = await demo.send('GET', url)
    expect(still.body.data).toMatchObject({ title: 'Private', body: 'demo only' })
    const demoList = await demo.send('GET', '/api/notes')
    expect(demoList.body.data.map((n: { id: string }) => n.id)).toEqual([created.body.data.id])
  })
})

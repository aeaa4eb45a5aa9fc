import { get } from 'node:http'
import { describe, expect, it } from 'vitest'
import { Client, tempDir, testSettings } from '../../test/helpers'
import { createDemoApp, seedDemoUser } from '../app'
import { startNodeDemo } from '../node'
import { MemoryStore } from '../store/memory'
import { inspectorEvents, sseFrame } from './events'
import { InspectorFeed, type TracedRequest } from './feed'

async function demoInMemory() {
  const demo = createDemoApp({
    settings: testSettings(),
    store: new MemoryStore(),
    gateway: 'test',
  })
  await seedDemoUser(demo.store, demo.settings)
  return { demo, client: new Client('http://localhost', (r) => demo.app.fetch(r)) }
}

describe('InspectorFeed', () => {
  it("records API requests with core's trace and leaves the inspector's own out", async () => {
    const { demo, client } = await demoInMemory()
    await client.send('GET', '/')
    await client.send('GET', '/healthz')
    const events = demo.feed.recent()
    expect(events.map((e) => e.target)).toEqual(['/healthz'])
    expect(events[0]).toMatchObject({
      seq: 1,
      status: 200,
      view: 'health',
      route: { pattern: 'healthz', name: 'health' },
    })
    expect(events[0]?.trace.map((t) => t.phase)).toEqual([
      ...Array<string>(6).fill('request'),
      'resolve',
      'view',
      'render',
      ...Array<string>(5).fill('response'),
    ])
  })

  it('keeps only the last requests and stops publishing once closed', () => {
    const feed = new InspectorFeed({ gateway: 'g', capacity: 2 })
    const req = (target: string) => ({
      method: 'GET',
      target,
      trace: [],
      route: null,
      params: {},
      state: {},
    })
    const res = { status: 200, data: undefined }
    for (const t of ['/a', '/b', '/c']) feed.record(req(t) as never, res as never)
    expect(feed.recent().map((e) => e.target)).toEqual(['/b', '/c'])
    const seen: (TracedRequest | null)[] = []
    feed.subscribe((e) => seen.push(e))
    feed.close()
    expect(feed.record(req('/d') as never, res as never)).toBeNull()
    expect(seen).toEqual([null])
    const late: (TracedRequest | null)[] = []
    feed.subscribe((e) => late.push(e))
    expect(late).toEqual([null])
  })

  it('skips untraced requests', () => {
    const feed = new InspectorFeed({ gateway: 'g' })
    expect(feed.record({ trace: undefined } as never, { status: 200 } as never)).toBeNull()
  })
})

describe('inspectorEvents()', () => {
  it('sends hello, the backlog, then live requests, and ends when the signal aborts', async () => {
    const { demo, client } = await demoInMemory()
    await client.send('GET', '/healthz')
    const abort = new AbortController()
    const it = inspectorEvents(demo.feed, abort.signal, { hi: 1 })
    expect((await it.next()).value).toBe('retry: 2000\n\n')
    expect((await it.next()).value).toBe(sseFrame('hello', { hi: 1 }))
    expect((await it.next()).value).toContain('"target":"/healthz"')
    const pending = it.next()
    await client.send('GET', '/api/nowhere')
    const live = (await pending).value as string
    expect(live).toMatch(/^event: request\nid: 2\ndata: \{.*"status":404/)
    const waiting = it.next()
    abort.abort()
    expect(await waiting).toEqual({ done: true, value: undefined })
  })

  it('ends when the feed closes (shutdown)', async () => {
    const feed = new InspectorFeed({ gateway: 'g' })
    const it = inspectorEvents(feed, new AbortController().signal, {})
    await it.next()
    await it.next()
    const waiting = it.next()
    feed.close()
    expect(await waiting).toEqual({ done: true, value: undefined })
  })

  it('streams over HTTP through gateway-node and stops when the client goes away', async () => {
    const dir = tempDir()
    const running = await startNodeDemo(testSettings({ CYCLE_DEMO_DATA: dir.path }))
    try {
      let text = ''
      let type: string | undefined
      let wake = (): void => {}
      const req = get(`${running.url}/inspector/events`, (res) => {
        type = res.headers['content-type']
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
          wake()
        })
      })
      req.on('error', () => {}) // destroyed on purpose below
      const until = async (what: string): Promise<void> => {
        while (!text.includes(what)) await new Promise<void>((resolve) => (wake = resolve))
      }
      await until('event: hello')
      expect(type).toBe('text/event-stream; charset=utf-8')
      await fetch(`${running.url}/healthz`)
      await until('"target":"/healthz"')
      expect(text).not.toContain('"target":"/inspector/events"')
      expect(running.demo.feed.subscribers).toBe(1)
      req.destroy()
      // The client went away: request.signal aborted and the server's generator unsubscribed.
      for (let i = 0; i < 250 && running.demo.feed.subscribers > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(running.demo.feed.subscribers).toBe(0)
    } finally {
      await running.close()
      dir.remove()
    }
  })
})

import { createServer } from 'node:net'
import { describe, it, expect, afterAll, beforeAll } from 'vitest'
import { freePort, launchFetchServer, serverEntry, workerdConfig } from './launch'
import type { FetchRuntime } from './launch'
import type { RunningServer } from './server-process'

const smoke = serverEntry('smoke-handler.ts')

// What each runtime reports as navigator.userAgent, so we know the right binary answered.
const runtimes: ReadonlyArray<[FetchRuntime, RegExp]> = [
  ['bun', /^Bun\/1\./],
  ['deno', /^Deno\/2\./],
  ['workerd', /^Cloudflare-Workers$/],
  ['node24', /^Node\.js\/24$/],
]

describe.each(runtimes)('launchFetchServer(%s) with a trivial handler', (runtime, userAgent) => {
  let server: RunningServer

  beforeAll(async () => {
    server = await launchFetchServer(runtime, { handlerModule: smoke })
  })

  afterAll(async () => {
    await server?.close()
  })

  it('listens on 127.0.0.1 and answers a real HTTP request from that runtime', async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${server.baseUrl}/ping`)
    expect(response.status).toBe(200)
    const [word, path, ...agent] = (await response.text()).split(' ')
    expect([word, path]).toEqual(['ok', '/ping'])
    expect(agent.join(' ')).toMatch(userAgent)
  })
})

describe('launchFetchServer errors', () => {
  it('names the runtime and keeps esbuild’s message when the entry does not bundle', async () => {
    const start = launchFetchServer('bun', { handlerModule: serverEntry('no-such-handler.ts') })
    const error: unknown = await start.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('gateway-fetch on bun: cannot start')
    expect(String((error as Error).cause)).toMatch(/no-such-handler\.ts/)
  })
})

describe('workerdConfig', () => {
  it('binds one HTTP socket on 127.0.0.1 and embeds the bundle as an ES module', () => {
    const config = workerdConfig(43210, '2026-01-02', 'fetch-workerd.mjs')
    expect(config).toContain('address = "127.0.0.1:43210", http = ()')
    expect(config).toContain('esModule = embed "fetch-workerd.mjs"')
    expect(config).toContain('compatibilityDate = "2026-01-02"')
  })
})

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1 right after', async () => {
    const port = await freePort()
    expect(port).toBeGreaterThan(0)
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
    await new Promise((resolve) => server.close(resolve))
  })
})

import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, isProblem, tempDir, testSettings } from '../test/helpers'
import { startNodeDemo, type NodeDemo } from './node'

// Health, the host check, the deliberate 500 and request ids, over real HTTP.
let running: NodeDemo
let dir: ReturnType<typeof tempDir>
let client: Client

beforeAll(async () => {
  dir = tempDir()
  running = await startNodeDemo(testSettings({ CYCLE_DEMO_DATA: dir.path }))
  client = new Client(running.url)
  await client.login()
})

afterAll(async () => {
  await running?.close()
  dir?.remove()
})

describe('system endpoints', () => {
  it('GET /healthz checks the database', async () => {
    const res = await client.send('GET', '/healthz', { token: null })
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual({
      status: 'ok',
      database: { kind: 'sqlite', ok: true, schemaVersion: 3 },
    })
  })

  it('answers 400 to a Host that is not a loopback name', async () => {
    const { port } = running.server
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/healthz', headers: { host: 'evil.example' } },
        (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        }
      )
      req.on('error', reject)
      req.end()
    })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, title: 'Bad Request' })
    for (const host of ['localhost', '127.0.0.1']) {
      const ok = await client.send('GET', '/healthz', { headers: { host: `${host}:${port}` } })
      expect(ok.status).toBe(200)
    }
  })

  it('answers 500 from /api/debug/boom without leaking the error', async () => {
    const res = await client.send('GET', '/api/debug/boom')
    expect(isProblem(res, 500)).toBe(true)
    expect(res.text).not.toContain('Boom')
    expect(res.body.detail).toBeUndefined()
  })

  it('puts an X-Request-Id on every answer, echoing a safe client id only', async () => {
    const own = await client.send('GET', '/api/nowhere', {
      headers: { 'x-request-id': 'trace-123' },
    })
    expect(own.headers.get('x-request-id')).toBe('trace-123')
    const unsafe = await client.send('GET', '/healthz', { headers: { 'x-request-id': 'a b"c' } })
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const refused = await client.send('GET', '/api/me', { token: 'bad' })
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

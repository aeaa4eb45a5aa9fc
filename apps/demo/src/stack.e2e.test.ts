import { request as httpRequest } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, isProblem, tempDir, testSettings } from '../test/helpers'
import { startNodeDemo, type NodeDemo } from './node'

// The middleware set a real notes service adopts, over real HTTP through gateway-node and
// SQLite: ETag / If-None-Match / If-Match on notes, security headers, CORS, CSRF.
let running: NodeDemo
let dir: ReturnType<typeof tempDir>
let client: Client

const APP_ORIGIN = 'http://localhost:5173'

beforeAll(async () => {
  dir = tempDir()
  running = await startNodeDemo(
    testSettings({ CYCLE_DEMO_DATA: dir.path, CYCLE_DEMO_CORS_ORIGINS: APP_ORIGIN })
  )
  client = new Client(running.url)
  await client.login()
})

afterAll(async () => {
  await running?.close()
  dir?.remove()
})

async function newNote(title = 'versioned'): Promise<string> {
  const res = await client.send('POST', '/api/notes', { body: { title, body: 'v1' } })
  expect(res.status).toBe(201)
  expect(res.body.data.version).toBe(1)
  return res.body.data.id as string
}

describe('ETag and If-Match on notes (optimistic concurrency)', () => {
  it('GET → ETag; PATCH with it → 200 and a new ETag; PATCH with the old one → 412', async () => {
    const id = await newNote()
    const got = await client.send('GET', `/api/notes/${id}`)
    expect(got.status).toBe(200)
    expect(got.headers.get('etag')).toBe('"v1"')
    expect(got.body.meta.requestId).toBe(got.headers.get('x-request-id'))

    const patched = await client.send('PATCH', `/api/notes/${id}`, {
      body: { body: 'v2' },
      headers: { 'if-match': '"v1"' },
    })
    expect(patched.status).toBe(200)
    expect(patched.headers.get('etag')).toBe('"v2"')
    expect(patched.body.data).toMatchObject({ id, body: 'v2', version: 2 })

    const stale = await client.send('PATCH', `/api/notes/${id}`, {
      body: { body: 'lost update' },
      headers: { 'if-match': '"v1"' },
    })
    expect(isProblem(stale, 412)).toBe(true)
    expect(stale.headers.get('etag')).toBe('"v2"') // the current tag, to refetch and retry
    expect((await client.send('GET', `/api/notes/${id}`)).body.data.body).toBe('v2')
  })

  it('If-None-Match with the current tag → 304; with an old one → 200', async () => {
    const id = await newNote()
    const fresh = await client.send('GET', `/api/notes/${id}`, {
      headers: { 'if-none-match': '"v1"' },
    })
    expect(fresh.status).toBe(304)
    expect(fresh.text).toBe('')
    expect(fresh.headers.get('etag')).toBe('"v1"')
    expect(fresh.headers.get('vary')).toMatch(/\bAccept\b/)
    await client.send('PATCH', `/api/notes/${id}`, { body: { title: 'changed' } })
    const changed = await client.send('GET', `/api/notes/${id}`, {
      headers: { 'if-none-match': '"v1"' },
    })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).toBe('"v2"')
  })

  it('DELETE with a stale If-Match → 412 and the note stays; with the current one → 204', async () => {
    const id = await newNote()
    await client.send('PATCH', `/api/notes/${id}`, { body: { body: 'v2' } })
    const stale = await client.send('DELETE', `/api/notes/${id}`, {
      headers: { 'if-match': '"v1"' },
    })
    expect(isProblem(stale, 412)).toBe(true)
    expect((await client.send('GET', `/api/notes/${id}`)).status).toBe(200)
    const ok = await client.send('DELETE', `/api/notes/${id}`, { headers: { 'if-match': '"v2"' } })
    expect(ok.status).toBe(204)
    expect((await client.send('GET', `/api/notes/${id}`)).status).toBe(404)
  })

  it('tags the list by what it shows: 304 while unchanged, 200 after a write', async () => {
    const id = await newNote()
    const list = await client.send('GET', '/api/notes')
    const tag = list.headers.get('etag')
    expect(tag).toMatch(/^W\/"[0-9a-f-]+"$/)
    const again = await client.send('GET', '/api/notes', { headers: { 'if-none-match': tag! } })
    expect(again.status).toBe(304)
    await client.send('PATCH', `/api/notes/${id}`, { body: { body: 'v2' } })
    const after = await client.send('GET', '/api/notes', { headers: { 'if-none-match': tag! } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(tag)
  })

  it('hashes other GET answers (conditional()); the request id in meta makes each tag unique', async () => {
    const me = await client.send('GET', '/api/me')
    expect(me.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
  })
})

describe('security headers, CORS and CSRF', () => {
  it('puts the security headers on API answers and errors alike', async () => {
    for (const res of [
      await client.send('GET', '/api/me'),
      await client.send('GET', '/api/nowhere'),
      await client.send('GET', '/api/me', { token: 'bad' }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
      // observe() made a UUID (no id was sent), errors included.
      expect(res.headers.get('x-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
      )
    }
  })

  it('answers a preflight from a configured origin before authentication, with If-Match allowed', async () => {
    const res = await client.send('OPTIONS', '/api/notes/00000000-0000-4000-8000-000000000000', {
      token: null,
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type, if-match',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(res.headers.get('access-control-allow-headers')).toMatch(/If-Match/)
    const read = await client.send('GET', '/api/notes', { headers: { origin: APP_ORIGIN } })
    expect(read.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(read.headers.get('access-control-expose-headers')).toMatch(/ETag/)
  })

  it('gives another origin no CORS headers, and refuses its cross-site writes (csrf)', async () => {
    const read = await client.send('GET', '/api/notes', {
      headers: { origin: 'https://evil.example' },
    })
    expect(read.status).toBe(200)
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
    const write = await client.send('POST', '/api/notes', {
      body: { title: 'pwned', body: '' },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    })
    expect(isProblem(write, 403)).toBe(true)
    // curl and other non-browser clients (no Origin, no Sec-Fetch-Site, no cookie) still write.
    expect(
      (await client.send('POST', '/api/notes', { body: { title: 'ok', body: '' } })).status
    ).toBe(201)
  })
})

/** A GET over node:http, which (unlike fetch) leaves the body as the server encoded it. */
function rawGet(
  path: string,
  headers: Record<string, string>
): Promise<{
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, running.url), { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('compression (compress() outside conditional())', () => {
  it('compresses the Inspector page and a long notes list, with a weak tag and Vary', async () => {
    const page = await rawGet('/', { 'accept-encoding': 'br, gzip' })
    expect(page.status).toBe(200)
    expect(page.headers['content-encoding']).toBe('br')
    expect(String(page.headers['vary'])).toMatch(/Accept-Encoding/i)
    expect(brotliDecompressSync(page.body).toString('utf8')).toMatch(/<html/i)

    for (let i = 0; i < 12; i++) await newNote(`a note long enough to fill the list ${i}`)
    const auth = { authorization: `Bearer ${client.token}`, 'accept-encoding': 'gzip' }
    const list = await rawGet('/api/notes', auth)
    expect(list.status).toBe(200)
    expect(list.headers['content-encoding']).toBe('gzip')
    expect(String(list.headers['etag'])).toMatch(/^W\//)
    const doc = JSON.parse(gunzipSync(list.body).toString('utf8'))
    expect(doc.data.length).toBeGreaterThanOrEqual(12)
    // Its own (weak) tag still answers 304, compressed or not.
    const again = await rawGet('/api/notes', {
      ...auth,
      'if-none-match': String(list.headers['etag']),
    })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
  })

  it('leaves the Inspector event stream uncompressed', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        new URL('/inspector/events', running.url),
        { headers: { 'accept-encoding': 'gzip', accept: 'text/event-stream' } },
        (res) => {
          expect(res.statusCode).toBe(200)
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
          expect(res.headers['content-encoding']).toBeUndefined()
          res.destroy()
          resolve()
        }
      )
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? resolve() : reject(error)
      )
      req.end()
    })
  })
})

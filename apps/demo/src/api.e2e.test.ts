import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signJwt } from '@cycle/middleware-auth'
import { Client, isProblem, tempDir, testSettings } from '../test/helpers'
import { startNodeDemo, type NodeDemo } from './node'
import { hashPassword } from './passwords'

// Every endpoint and every error of the issue, over real HTTP through @cycle/gateway-node and SQLite.
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

const UNKNOWN = '00000000-0000-4000-8000-000000000000'

describe('POST /api/auth/token', () => {
  it('answers a JWT and its expiry in the envelope', async () => {
    const res = await client.send('POST', '/api/auth/token', {
      token: null,
      body: { username: 'demo', password: 'cycle-demo' },
    })
    expect(res.status).toBe(200)
    expect(res.body.data.token.split('.')).toHaveLength(3)
    expect(res.body.data.tokenType).toBe('Bearer')
    const ttl = Date.parse(res.body.data.expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(3500_000)
    expect(ttl).toBeLessThanOrEqual(3600_000)
    expect(res.body.meta.requestId).toBe(res.headers.get('x-request-id'))
  })

  it('refuses a wrong password and an unknown user alike: 401 with a Bearer challenge', async () => {
    for (const body of [
      { username: 'demo', password: 'nope' },
      { username: 'nobody', password: 'cycle-demo' },
    ]) {
      const res = await client.send('POST', '/api/auth/token', { token: null, body })
      expect(isProblem(res, 401)).toBe(true)
      expect(res.body.detail).toBe('The username or password is wrong.')
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cycle-demo"')
    }
  })

  it('answers 422 for missing fields, 415 for a form, 400 for broken JSON, 405 for GET', async () => {
    const missing = await client.send('POST', '/api/auth/token', {
      token: null,
      body: { username: 'demo' },
    })
    expect(isProblem(missing, 422)).toBe(true)
    expect(missing.body.errors).toEqual([{ pointer: '/body/password', detail: expect.any(String) }])
    const form = await client.send('POST', '/api/auth/token', {
      token: null,
      body: 'username=demo',
      type: 'application/x-www-form-urlencoded',
    })
    expect(isProblem(form, 415)).toBe(true)
    expect(
      isProblem(await client.send('POST', '/api/auth/token', { token: null, body: '{"user' }), 400)
    ).toBe(true)
    const get = await client.send('GET', '/api/auth/token')
    expect(isProblem(get, 405)).toBe(true)
    expect(get.headers.get('allow')).toContain('POST')
  })
})

describe('GET /api/me', () => {
  it('answers the authenticated user', async () => {
    const res = await client.send('GET', '/api/me')
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual({
      id: expect.any(String),
      username: 'demo',
      createdAt: expect.any(String),
    })
  })

  it('never sends the password hash: the view returns the whole record, the response schema writes a Me', async () => {
    for (const accept of ['application/json', 'text/html', 'text/plain']) {
      const res = await client.send('GET', '/api/me', { headers: { accept } })
      expect(res.status).toBe(200)
      expect(res.text).toContain('demo')
      expect(res.text).not.toMatch(/passwordHash|pbkdf2/i)
    }
  })

  it('answers 401 with WWW-Authenticate without a token, with a bad one, and with a forged one', async () => {
    const none = await client.send('GET', '/api/me', { token: null })
    expect(isProblem(none, 401)).toBe(true)
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="cycle-demo"')
    const bad = await client.send('GET', '/api/me', { token: 'not-a-jwt' })
    expect(isProblem(bad, 401)).toBe(true)
    expect(bad.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="cycle-demo", error="invalid_token"/
    )
    const forged = await signJwt(
      {},
      { secret: 'x'.repeat(32), algorithm: 'HS256', issuer: 'cycle-demo', subject: 'u' }
    )
    const wrongKey = await client.send('GET', '/api/me', { token: forged })
    expect(isProblem(wrongKey, 401)).toBe(true)
    expect(wrongKey.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })
})

describe('notes', () => {
  it('creates a note: 201, Location from reverse(), readable there', async () => {
    const res = await client.send('POST', '/api/notes', { body: { title: 'First', body: 'Hello' } })
    expect(res.status).toBe(201)
    const note = res.body.data
    expect(note).toEqual({
      id: expect.any(String),
      title: 'First',
      body: 'Hello',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    })
    expect(res.headers.get('location')).toBe(`/api/notes/${note.id}`)
    const back = await client.send('GET', res.headers.get('location') as string)
    expect(back.status).toBe(200)
    expect(back.body.data).toEqual(note)
  })

  it('refuses invalid notes with 422 and pointers to each field', async () => {
    const empty = await client.send('POST', '/api/notes', { body: { title: '' } })
    expect(isProblem(empty, 422)).toBe(true)
    expect(empty.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/body',
      '/body/title',
    ])
    const long = await client.send('POST', '/api/notes', {
      body: { title: 'x'.repeat(201), body: '' },
    })
    expect(long.body.errors).toEqual([{ pointer: '/body/title', detail: expect.any(String) }])
    const typed = await client.send('POST', '/api/notes', { body: { title: 'ok', body: 42 } })
    expect(typed.body.errors).toEqual([{ pointer: '/body/body', detail: expect.any(String) }])
    const edge = await client.send('POST', '/api/notes', {
      body: { title: 'x'.repeat(200), body: '' },
    })
    expect(edge.status).toBe(201)
  })

  it('answers 415 for a non-JSON body, 400 for broken JSON, 413 over the body limit', async () => {
    const form = await client.send('POST', '/api/notes', {
      body: 'title=x',
      type: 'application/x-www-form-urlencoded',
    })
    expect(isProblem(form, 415)).toBe(true)
    const broken = await client.send('POST', '/api/notes', { body: '{"title": "x",' })
    expect(isProblem(broken, 400)).toBe(true)
    const huge = await client.send('POST', '/api/notes', {
      body: { title: 'big', body: 'x'.repeat(70 * 1024) },
    })
    expect(isProblem(huge, 413)).toBe(true)
  })

  it('answers 401 before validating when there is no token', async () => {
    const res = await client.send('POST', '/api/notes', { token: null, body: { title: '' } })
    expect(isProblem(res, 401)).toBe(true)
  })

  it('paginates with meta totals and filters with ?q=', async () => {
    const pager = new Client(running.url)
    await running.demo.store.createUser('pager', await hashPassword('pager-pass', 1000))
    await pager.login('pager', 'pager-pass')
    for (const title of ['alpha', 'beta', 'gamma', 'delta', 'alphabet']) {
      expect(
        (await pager.send('POST', '/api/notes', { body: { title, body: `about ${title}` } })).status
      ).toBe(201)
    }
    const page = await pager.send('GET', '/api/notes?page=2&pageSize=2')
    expect(page.status).toBe(200)
    expect(page.body.data.map((n: { title: string }) => n.title)).toEqual(['gamma', 'beta'])
    expect(page.body.meta).toMatchObject({ page: 2, pageSize: 2, total: 5, totalPages: 3 })
    const last = await pager.send('GET', '/api/notes?page=3&pageSize=2')
    expect(last.body.data.map((n: { title: string }) => n.title)).toEqual(['alpha'])
    const found = await pager.send('GET', '/api/notes?q=ALPHA')
    expect(found.body.data.map((n: { title: string }) => n.title)).toEqual(['alphabet', 'alpha'])
    expect(found.body.meta.total).toBe(2)
    const literal = await pager.send('GET', '/api/notes?q=%25')
    expect(literal.body.meta.total).toBe(0)
    for (const bad of ['page=0', 'pageSize=1000', 'page=two']) {
      expect(isProblem(await pager.send('GET', `/api/notes?${bad}`), 422)).toBe(true)
    }
  })

  it('updates with PATCH, deletes with 204, then answers 404', async () => {
    const { body } = await client.send('POST', '/api/notes', {
      body: { title: 'Draft', body: 'v1' },
    })
    const url = `/api/notes/${body.data.id}`
    const patched = await client.send('PATCH', url, { body: { body: 'v2' } })
    expect(patched.status).toBe(200)
    expect(patched.body.data).toMatchObject({ title: 'Draft', body: 'v2' })
    expect(isProblem(await client.send('PATCH', url, { body: {} }), 422)).toBe(true)
    expect(isProblem(await client.send('PATCH', url, { body: { title: '' } }), 422)).toBe(true)
    const gone = await client.send('DELETE', url)
    expect(gone.status).toBe(204)
    expect(gone.text).toBe('')
    expect(isProblem(await client.send('GET', url), 404)).toBe(true)
    expect(isProblem(await client.send('DELETE', url), 404)).toBe(true)
    expect(isProblem(await client.send('PATCH', url, { body: { title: 'x' } }), 404)).toBe(true)
  })

  it('answers 404 for an unknown id and for a path that is not a UUID', async () => {
    const unknown = await client.send('GET', `/api/notes/${UNKNOWN}`)
    expect(isProblem(unknown, 404)).toBe(true)
    expect(unknown.body.detail).toBe(`You have no note ${UNKNOWN}.`)
    expect(isProblem(await client.send('GET', '/api/notes/42'), 404)).toBe(true)
    expect(isProblem(await client.send('GET', '/api/nowhere'), 404)).toBe(true)
  })

  it('answers 405 with Allow for other methods', async () => {
    const put = await client.send('PUT', `/api/notes/${UNKNOWN}`, { body: {} })
    expect(isProblem(put, 405)).toBe(true)
    const allow = (put.headers.get('allow') ?? '').split(', ')
    expect(allow).toEqual(expect.arrayContaining(['GET', 'PATCH', 'DELETE']))
    expect(allow).not.toContain('PUT')
    const del = await client.send('DELETE', '/api/notes')
    expect(isProblem(del, 405)).toBe(true)
    expect((del.headers.get('allow') ?? '').split(', ')).toEqual(
      expect.arrayContaining(['GET', 'POST'])
    )
  })
})

describe('hostile input against the demo', () => {
  /** A normal request still gets its answer afterwards. */
  const stillServes = async (): Promise<void> => {
    const res = await client.send('GET', '/api/notes')
    expect(res.status).toBe(200)
    expect(Array.isArray(res.body.data)).toBe(true)
  }

  it('Vary: Accept on the JSON and the HTML answer of each negotiated URL', async () => {
    for (const [path, token, status] of [
      ['/api/notes', undefined, 200],
      ['/api/me', undefined, 200],
      ['/healthz', null, 200],
      ['/api/notes', null, 401],
      [`/api/notes/${UNKNOWN}`, undefined, 404],
      ['/api/nowhere', undefined, 404],
    ] as const) {
      const asJson = await client.send('GET', path, {
        token,
        headers: { accept: 'application/json' },
      })
      const asHtml = await client.send('GET', path, { token, headers: { accept: 'text/html' } })
      expect([asJson.status, asHtml.status], path).toEqual([status, status])
      expect(asHtml.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(asJson.headers.get('content-type')).toMatch(/json/)
      for (const res of [asJson, asHtml])
        expect(res.headers.get('vary'), path).toMatch(/\bAccept\b/)
    }
    await stillServes()
  })

  it('a note body with a prototype key in any spelling is a 400 problem, and nothing is stored', async () => {
    const before = (await client.send('GET', '/api/notes')).body.data.length as number
    for (const body of [
      '{"title":"t","body":"b","__proto__":{"admin":true}}',
      '{"title":"t","body":"b","\\u005f\\u005fproto__":{"admin":true}}',
      '{"title":"t","body":"b","constructor":{"prototype":{"admin":true}}}',
    ]) {
      const res = await client.send('POST', '/api/notes', { body })
      expect(isProblem(res, 400), body).toBe(true)
    }
    for (const [type, encoding] of [
      ['application/json; charset=utf-16', undefined],
      ['application/json', 'gzip'],
      ['application/json', 'br'],
    ] as const) {
      const headers: Record<string, string> = encoding ? { 'content-encoding': encoding } : {}
      const res = await client.send('POST', '/api/notes', { body: '{"title":"t"}', type, headers })
      expect(isProblem(res, 415), `${type} ${encoding}`).toBe(true)
    }
    expect((await client.send('GET', '/api/notes')).body.data.length).toBe(before)
    await stillServes()
  })
})

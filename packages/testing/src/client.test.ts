import {
  createApp,
  defineMiddleware,
  json,
  path,
  text,
  CycleResponse,
  type CycleRequest,
} from '@cycle/core'
import { describe, expect, it, vi } from 'vitest'
import { createTestClient, createFixtureApp } from './index'

const stamp = defineMiddleware<{ stamp: string }>({
  name: 'stamp',
  request(request) {
    request.state.stamp = 'seen'
  },
})

function echo(request: CycleRequest): Promise<CycleResponse> {
  return (async () =>
    json({
      method: request.method,
      path: request.path,
      query: [...request.query],
      type: request.contentType,
      cookie: request.header('cookie'),
      custom: request.header('x-custom'),
      host: request.host,
      env: request.env ?? null,
      remote: request.remoteAddress ?? null,
      body: request.method === 'GET' || request.method === 'HEAD' ? null : await request.text(),
    }))()
}

const app = createApp({
  middleware: [stamp],
  allowedHosts: ['localhost', 'api.test'],
  urls: [
    path('echo', echo, { name: 'echo', methods: '*' }),
    path('form', { POST: async (r) => json(Object.fromEntries(await r.form())) }),
    path('login', () => text('in').setCookie('sid', 'abc').setCookie('theme', 'dark')),
    path('logout', () => text('out').deleteCookie('sid')),
    path('notes/<int:id>', (r) => json({ id: r.params.id }), { name: 'note' }),
    path('later', (r) => {
      r.waitUntil(Promise.resolve('done'))
      return text('ok')
    }),
  ],
})

type Echo = {
  method: string
  path: string
  query: [string, string][]
  body: string | null
} & Record<string, unknown>

describe('createTestClient: requests', () => {
  const client = createTestClient(app)

  it('sends GET with query and headers, and reads the JSON body', async () => {
    const res = await client.get<Echo>('/echo?a=1', {
      query: { b: 2, list: ['x', 'y'], skip: undefined },
      headers: { 'x-custom': 'yes' },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      method: 'GET',
      path: '/echo',
      query: [
        ['a', '1'],
        ['b', '2'],
        ['list', 'x'],
        ['list', 'y'],
      ],
      custom: 'yes',
      host: 'localhost',
    })
    expect(res.headers.get('content-type')).toContain('application/json')
  })

  it('posts JSON with a JSON content type', async () => {
    const res = await client.post<Echo>('/echo', { json: { hello: 'wörld' } })
    expect(res.json).toMatchObject({ type: 'application/json', body: '{"hello":"wörld"}' })
  })

  it('posts forms, URL-encoded and multipart', async () => {
    const encoded = await client.post('/form', { form: { a: '1', b: 'two words' } })
    expect(encoded.json).toEqual({ a: '1', b: 'two words' })
    const data = new FormData()
    data.append('file', 'contents')
    const multipart = await client.post('/form', { form: data })
    expect(multipart.json).toEqual({ file: 'contents' })
  })

  it('posts raw and streamed bodies', async () => {
    const raw = await client.put<Echo>('/echo', {
      body: 'plain',
      headers: { 'content-type': 'text/plain' },
    })
    expect(raw.json).toMatchObject({ method: 'PUT', body: 'plain', type: 'text/plain' })
    const streamed = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('chunk-'))
        c.enqueue(new TextEncoder().encode('ed'))
        c.close()
      },
    })
    const res = await client.patch<Echo>('/echo', { body: streamed })
    expect(res.json).toMatchObject({ method: 'PATCH', body: 'chunk-ed' })
  })

  it('supports every verb and request(method, ...)', async () => {
    expect((await client.delete<Echo>('/echo')).json?.method).toBe('DELETE')
    expect((await client.options<Echo>('/echo')).json?.method).toBe('OPTIONS')
    expect((await client.request<Echo>('PROPFIND', '/echo')).json?.method).toBe('PROPFIND')
  })

  it('gives HEAD responses an empty body', async () => {
    const res = await client.head('/echo')
    expect(res.status).toBe(200)
    expect(res.body.byteLength).toBe(0)
    expect(res.text).toBe('')
    expect(res.json).toBeUndefined()
  })

  it('exposes the handled request: route, params, state', async () => {
    const res = await client.get('/notes/7')
    expect(res.json).toEqual({ id: 7 })
    expect(res.request.route?.name).toBe('note')
    expect(res.request.params).toEqual({ id: 7 })
    expect((res.request.state as { stamp?: string }).stamp).toBe('seen')
  })

  it('parses problem+json and leaves other bodies undefined', async () => {
    const missing = await client.get<{ status: number }>('/nope')
    expect(missing.status).toBe(404)
    expect(missing.json?.status).toBe(404)
    const plain = await client.get('/login')
    expect(plain.json).toBeUndefined()
    expect(plain.text).toBe('in')
  })

  it('gives the raw Response with its body still readable', async () => {
    const res = await client.get('/login')
    expect(res.raw).toBeInstanceOf(Response)
    expect(await res.raw.text()).toBe('in')
    expect(new TextDecoder().decode(res.body)).toBe('in')
  })

  it('reads binary bodies byte for byte', async () => {
    const res = await createTestClient(createFixtureApp()).get('/binary')
    expect([...res.body]).toEqual(Array.from({ length: 256 }, (_, i) => i))
  })
})

describe('createTestClient: options', () => {
  it('builds URLs on baseUrl, sending its host', async () => {
    const client = createTestClient(app, { baseUrl: 'https://api.test' })
    const res = await client.get<Echo>('/echo')
    expect(res.json).toMatchObject({ host: 'api.test' })
    expect(res.request.secure).toBe(true)
    const absolute = await client.get<Echo>('http://localhost/echo')
    expect(absolute.json).toMatchObject({ host: 'localhost' })
  })

  it('lets allowedHosts refuse another host', async () => {
    const res = await createTestClient(app, { baseUrl: 'http://evil.test' }).get('/echo')
    expect(res.status).toBe(400)
  })

  it('sends default headers, a call overriding them', async () => {
    const client = createTestClient(app, { headers: { 'x-custom': 'default' } })
    expect((await client.get<Echo>('/echo')).json?.['custom']).toBe('default')
    const own = await client.get<Echo>('/echo', { headers: { 'x-custom': 'own' } })
    expect(own.json?.['custom']).toBe('own')
  })

  it('passes env, remoteAddress and waitUntil to the request', async () => {
    const waitUntil = vi.fn()
    const client = createTestClient(app, {
      env: { KEY: 'v' },
      remoteAddress: '192.0.2.4',
      waitUntil,
    })
    const res = await client.get<Echo>('/echo')
    expect(res.json).toMatchObject({ env: { KEY: 'v' }, remote: '192.0.2.4' })
    await client.get('/later')
    expect(waitUntil).toHaveBeenCalledWith(expect.any(Promise))
  })

  it('keeps cookies between calls with cookies: true', async () => {
    const client = createTestClient(app, { cookies: true })
    await client.get('/login')
    expect(client.cookies).toEqual({ sid: 'abc', theme: 'dark' })
    const res = await client.get<Echo>('/echo', { headers: { cookie: 'own=1' } })
    expect(res.json?.['cookie']).toBe('sid=abc; theme=dark; own=1')
    await client.get('/logout')
    expect(client.cookies).toEqual({ theme: 'dark' })
    client.clearCookies()
    expect((await client.get<Echo>('/echo')).json?.['cookie']).toBeNull()
  })

  it('sends no cookies back without the jar', async () => {
    const client = createTestClient(app)
    const login = await client.get('/login')
    expect(login.headers.getSetCookie()).toHaveLength(2)
    expect((await client.get<Echo>('/echo')).json?.['cookie']).toBeNull()
    expect(client.cookies).toEqual({})
  })
})

describe('createTestClient: bad input', () => {
  const client = createTestClient(app)

  it('refuses a non-app and a bad baseUrl at once', () => {
    expect(() => createTestClient({} as never)).toThrow(/needs a Cycle app/)
    expect(() => createTestClient(app, { baseUrl: 'not a url' })).toThrow(/is not a URL/)
    expect(() => createTestClient(app, { baseUrl: 'ftp://x' })).toThrow(/http: or https:/)
  })

  it('refuses relative paths, bad methods and two bodies', async () => {
    await expect(client.get('echo')).rejects.toThrow(/must start with "\/"/)
    await expect(client.request('BAD METHOD', '/echo')).rejects.toThrow(/Invalid HTTP method/)
    await expect(client.post('/echo', { json: {}, body: 'x' })).rejects.toThrow(/at most one of/)
  })

  it('reports a JSON content type whose body is not JSON', async () => {
    const liar = createApp({
      urls: [
        path(
          '',
          () => new CycleResponse('{oops', { headers: { 'content-type': 'application/json' } })
        ),
      ],
    })
    await expect(createTestClient(liar).get('/')).rejects.toThrow(
      /says application\/json but its body is not JSON/
    )
  })
})

import { describe, expect, it } from 'vitest'
import { HttpError } from './errors'
import { BODY_DRAIN_BUDGET } from './body'
import { CycleRequest, type RawBody } from './request'
import { WebRequest } from './web-request'

const post = (body: BodyInit | null, headers: Record<string, string> = {}, url = 'http://localhost/x') =>
  new WebRequest(new Request(url, { method: 'POST', body, headers, duplex: 'half' } as RequestInit))

/** A request whose primitives count how often they are touched. */
class CountingRequest extends CycleRequest {
  reads: string[] = []
  constructor(target: string, private source: RawBody | null = null, private hdrs: Record<string, string> = {}) {
    super('POST', target)
  }
  header(name: string) {
    this.reads.push(name)
    return this.hdrs[name] ?? null
  }
  get headers() {
    this.reads.push('*headers')
    return new Headers(this.hdrs)
  }
  get signal() {
    return new AbortController().signal
  }
  get protocol() {
    return 'http' as const
  }
  get remoteAddress() {
    return '127.0.0.1'
  }
  protected openBody() {
    this.reads.push('*body')
    return this.source
  }
}

describe('lazy parsing', () => {
  it('derives path, query and url only from the target, on demand', () => {
    const r = new CountingRequest('/a%20b/c?x=1&x=2&y=%C3%A9', null, { host: 'example.com' })
    expect(r.reads).toEqual([])
    expect(r.rawPath).toBe('/a%20b/c')
    expect(r.path).toBe('/a b/c')
    expect(r.query.getAll('x')).toEqual(['1', '2'])
    expect(r.query.get('y')).toBe('é')
    expect(r.url).toBe('http://example.com/a%20b/c?x=1&x=2&y=%C3%A9')
    expect(r.reads).toEqual(['host'])
  })

  it('caches parsed values', () => {
    const r = new CountingRequest('/p?q=1', null, { cookie: 'a=1' })
    expect(r.query).toBe(r.query)
    expect(r.cookies).toBe(r.cookies)
    expect(r.reads.filter((n) => n === 'cookie')).toHaveLength(1)
  })

  it('malformed percent-encoding in the path is a 400', () => {
    const r = new CountingRequest('/%E0%A4%A')
    expect(() => r.path).toThrowError(expect.objectContaining({ status: 400 }))
  })

  it('state is per request and typed', () => {
    const r = new CountingRequest('/')
    ;(r.state as Record<string, unknown>)['user'] = 'ann'
    expect(new CountingRequest('/').state).toEqual({})
    expect(r.state).toEqual({ user: 'ann' })
  })

  it('parses cookies leniently', () => {
    const r = new CountingRequest('/', null, { cookie: 'a=1; b="two"; bad; c=%E2%9C%93; a=ignored; d=%zz' })
    expect({ ...r.cookies }).toEqual({ a: '1', b: 'two', c: '✓', d: '%zz' })
  })

  it('exposes contentType without parameters', () => {
    const r = new CountingRequest('/', null, { 'content-type': 'Application/JSON; charset=utf-8' })
    expect(r.contentType).toBe('application/json')
  })
})

describe('WebRequest', () => {
  it('keeps //host-looking paths as paths', () => {
    const r = new WebRequest(new Request('http://localhost//evil.com/x?y=1'))
    expect(r.target).toBe('//evil.com/x?y=1')
    expect(r.rawPath).toBe('//evil.com/x')
    expect(r.host).toBe('localhost')
    expect(r.url).toBe('http://localhost//evil.com/x?y=1')
  })
  it('splits the URL into host and target, query and fragment included', () => {
    const cases: [string, string, string, boolean][] = [
      ['http://a.test', 'a.test', '/', false],
      ['http://a.test/x/y?q=1#frag', 'a.test', '/x/y?q=1', false],
      ['https://a.test:8443?q=1', 'a.test:8443', '/?q=1', true],
      ['http://[::1]:8080/p', '[::1]:8080', '/p', false],
      ['https://a.test/', 'a.test', '/', true],
    ]
    for (const [url, host, target, secure] of cases) {
      const r = new WebRequest({ url, method: 'GET', headers: new Headers() } as unknown as Request)
      expect([r.host, r.target, r.secure]).toEqual([host, target, secure])
    }
  })
  it('knows https and passes env and waitUntil through', () => {
    const waited: Promise<unknown>[] = []
    const r = new WebRequest(new Request('https://a.test:8443/'), {
      env: { KV: 1 },
      waitUntil: (p) => void waited.push(p),
      remoteAddress: '10.0.0.1',
    })
    r.waitUntil(Promise.resolve())
    expect(r.secure).toBe(true)
    expect(r.host).toBe('a.test:8443')
    expect(r.env).toEqual({ KV: 1 })
    expect(r.remoteAddress).toBe('10.0.0.1')
    expect(waited).toHaveLength(1)
  })
  it('combines the platform signal with the request signal', () => {
    const platform = new AbortController()
    const r = new WebRequest(new Request('http://localhost/'), { signal: platform.signal })
    expect(r.signal.aborted).toBe(false)
    platform.abort()
    expect(r.signal.aborted).toBe(true)
  })
})

describe('body readers', () => {
  it('reads text once and caches it', async () => {
    const r = post('héllo')
    expect(await r.text()).toBe('héllo')
    expect(await r.text()).toBe('héllo')
    expect(await r.bytes()).toEqual(new TextEncoder().encode('héllo'))
  })

  it('parses JSON with a JSON content type', async () => {
    expect(await post('{"a":[1,2]}', { 'content-type': 'application/json' }).json()).toEqual({ a: [1, 2] })
    expect(await post('{"a":1}', { 'content-type': 'application/merge-patch+json' }).json()).toEqual({ a: 1 })
  })

  it('malformed JSON is a 400', async () => {
    await expect(post('{"a":', { 'content-type': 'application/json' }).json()).rejects.toMatchObject({ status: 400 })
  })

  it('an empty JSON body is a 400', async () => {
    await expect(post('', { 'content-type': 'application/json' }).json()).rejects.toMatchObject({ status: 400 })
  })

  it('a non-JSON content type is a 415', async () => {
    await expect(post('{}', { 'content-type': 'text/plain' }).json()).rejects.toMatchObject({ status: 415 })
    await expect(post('{}').json()).rejects.toSatisfy(HttpError.isHttpError)
  })

  it('refuses prototype-poisoning keys with a 400 (json.test.ts has every spelling)', async () => {
    const body = '{"a":{"constructor":{"prototype":{"x":1}}},"constructor":"ok"}'
    await expect(post(body, { 'content-type': 'application/json' }).json()).rejects.toMatchObject({
      status: 400,
      detail: expect.stringMatching(/"constructor.prototype" key at "\/a"/),
    })
  })

  it('refuses a JSON charset other than UTF-8 with a 415, before reading', async () => {
    for (const ct of ['application/json; charset=latin1', 'application/json;charset="UTF-16"', 'application/json; charset=iso-8859-1']) {
      const r = new CountingRequest('/', null, { 'content-type': ct })
      await expect(r.json()).rejects.toMatchObject({ status: 415, detail: expect.stringMatching(/must be UTF-8/) })
      expect(r.reads).not.toContain('*body')
    }
    for (const ct of ['application/json; charset=utf-8', 'application/json; Charset="UTF8"', 'application/json; v=1']) {
      expect(await post('{"a":1}', { 'content-type': ct }).json()).toEqual({ a: 1 })
    }
  })

  it('refuses a Content-Encoding with a 415 and Accept-Encoding: identity, never a JSON error', async () => {
    for (const coding of ['gzip', 'br', 'zstd', 'deflate', 'x-unknown', 'identity, gzip']) {
      const r = new CountingRequest('/', null, { 'content-type': 'application/json', 'content-encoding': coding })
      const error = await r.json().catch((e: unknown) => e)
      expect(error).toMatchObject({ status: 415, headers: { 'accept-encoding': 'identity' } })
      expect((error as HttpError).detail).not.toMatch(/JSON/)
      expect(r.reads).not.toContain('*body')
      await expect(r.bytes()).rejects.toMatchObject({ status: 415 })
    }
    expect(await post('{"a":1}', { 'content-type': 'application/json', 'content-encoding': 'Identity' }).json()).toEqual({ a: 1 })
  })

  it('refuses a declared Content-Length over the limit before reading', async () => {
    let pulled = false
    const source = new ReadableStream<Uint8Array>({ pull() { pulled = true } }, { highWaterMark: 0 })
    const r = new CountingRequest('/', source, { 'content-length': '5000' })
    r.bodyLimit = 100
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
    expect(pulled).toBe(false)
    expect(r.reads).not.toContain('*body')
  })

  it('enforces the limit on the raw stream without Content-Length', async () => {
    let cancelled = false
    let sent = 0
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        sent++
        c.enqueue(new Uint8Array(64))
      },
      cancel() {
        cancelled = true
      },
    })
    const r = new CountingRequest('/', source)
    r.bodyLimit = 200
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
    expect(cancelled).toBe(true)
    // An endless body is read up to the limit plus the drain budget (request-drain.test.ts), plus
    // what the stream queued ahead.
    expect(sent * 64).toBeLessThanOrEqual(200 + BODY_DRAIN_BUDGET + 64 * 4)
  })

  it('the body stream enforces the limit too', async () => {
    const r = post('x'.repeat(300))
    r.bodyLimit = 100
    const reader = (r.body as ReadableStream<Uint8Array>).getReader()
    await expect((async () => { for (;;) { const { done } = await reader.read(); if (done) return } })()).rejects.toMatchObject({ status: 413 })
  })

  it('refuses to hand the raw stream out twice', () => {
    const r = post('abc')
    expect(r.body).not.toBeNull()
    expect(() => r.body).toThrow(/already consumed/)
  })

  it('parses urlencoded and multipart forms', async () => {
    const f1 = await post('a=1&b=x+y', { 'content-type': 'application/x-www-form-urlencoded' }).form()
    expect(f1.get('b')).toBe('x y')
    const fd = new FormData()
    fd.append('name', 'ann')
    fd.append('file', new Blob(['data']), 'f.txt')
    const req = new Request('http://localhost/', { method: 'POST', body: fd })
    const f2 = await new WebRequest(req).form()
    expect(f2.get('name')).toBe('ann')
    expect(await (f2.get('file') as File).text()).toBe('data')
  })

  it('a malformed multipart body is a 400, a wrong type a 415', async () => {
    await expect(post('garbage', { 'content-type': 'multipart/form-data; boundary=zz' }).form()).rejects.toMatchObject({ status: 400 })
    await expect(post('a=1', { 'content-type': 'text/plain' }).form()).rejects.toMatchObject({ status: 415 })
  })

  it('no body reads as empty', async () => {
    const r = new WebRequest(new Request('http://localhost/'))
    expect(await r.text()).toBe('')
  })
})

describe('request.abort()', () => {
  it('aborts a signal read before it, with the reason given', () => {
    const req = new WebRequest(new Request('http://localhost/'))
    const signal = req.signal
    expect(signal.aborted).toBe(false)
    const reason = new DOMException('Too slow.', 'TimeoutError')
    req.abort(reason)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe(reason)
    expect(req.signal).toBe(signal)
  })

  it('aborts a signal read after it; the default reason is an AbortError', () => {
    const req = new WebRequest(new Request('http://localhost/'))
    req.abort()
    expect(req.signal.aborted).toBe(true)
    expect((req.signal.reason as DOMException).name).toBe('AbortError')
  })

  it('keeps the client and shutdown signals: either still aborts request.signal', () => {
    const client = new AbortController()
    const shutdown = new AbortController()
    const a = new WebRequest(new Request('http://localhost/', { signal: client.signal }), {
      signal: shutdown.signal,
    })
    const b = new WebRequest(new Request('http://localhost/', { signal: client.signal }))
    const sa = a.signal
    shutdown.abort('closing')
    expect(sa.reason).toBe('closing')
    const sb = b.signal
    client.abort('gone')
    expect(sb.reason).toBe('gone')
    // A second abort changes nothing.
    a.abort('later')
    expect(a.signal.reason).toBe('closing')
  })

  it('throws ERR_ABORT_UNSUPPORTED on a request class that does not implement it', () => {
    const req = new CountingRequest('/')
    expect(() => req.abort()).toThrow(expect.objectContaining({ code: 'ERR_ABORT_UNSUPPORTED' }))
  })
})

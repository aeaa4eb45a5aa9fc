import { describe, expect, it } from 'vitest'
import { HeaderMap } from './headers'
import { serializeCookie } from './cookies'
import { CycleResponse, html, json, noContent, problem, redirect, stream, text } from './response'

describe('HeaderMap', () => {
  it('is case-insensitive and keeps Set-Cookie apart', () => {
    const h = new HeaderMap({ 'Content-Type': 'text/plain' })
    h.append('Set-Cookie', 'a=1')
    h.append('set-cookie', 'b=2, with comma')
    h.append('Vary', 'Accept')
    h.append('vary', 'Origin')
    expect(h.get('content-type')).toBe('text/plain')
    expect(h.getSetCookie()).toEqual(['a=1', 'b=2, with comma'])
    expect(h.get('vary')).toBe('Accept, Origin')
    expect([...h]).toEqual([
      ['content-type', 'text/plain'],
      ['vary', 'Accept, Origin'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2, with comma'],
    ])
    expect(h.toHeaders().getSetCookie()).toEqual(['a=1', 'b=2, with comma'])
  })

  it('vary() adds a field once, case-insensitively, and leaves Vary: * alone', () => {
    const h = new HeaderMap()
    h.vary('Accept')
    expect(h.get('vary')).toBe('Accept')
    h.vary('accept').vary('Origin').vary(' origin'.trim())
    expect(h.get('vary')).toBe('Accept, Origin')
    h.set('Vary', 'Cookie,ACCEPT-encoding')
    h.vary('Accept-Encoding')
    expect(h.get('vary')).toBe('Cookie,ACCEPT-encoding')
    const star = new HeaderMap({ vary: '*' })
    star.vary('Accept')
    expect(star.get('vary')).toBe('*')
    expect(() => h.vary('Accept, Origin')).toThrow(/Invalid header name/)
    expect(() => h.vary('x\r\ny')).toThrow(/Invalid header name/)
  })

  it('refuses CR/LF in values and invalid names (header injection)', () => {
    const h = new HeaderMap()
    expect(() => h.set('location', '/x\r\nset-cookie: evil=1')).toThrow(/CR, LF or NUL/)
    expect(() => h.set('bad name', 'v')).toThrow(/Invalid header name/)
    expect(() => redirect('/a\nb')).toThrow(/header injection/)
    for (const name of ['', 'a:b', 'x y', 'caf\u00e9', 'a\tb', '(x)', 'a/b', 'a\u0100']) {
      expect(() => h.set(name, 'v'), JSON.stringify(name)).toThrow(/Invalid header name/)
    }
    for (const value of ['a\rb', 'a\nb', 'a\0b', '\r', 'x\n']) {
      expect(() => h.append('x-v', value), JSON.stringify(value)).toThrow(/CR, LF or NUL/)
    }
    // Tabs, obs-text and every other byte a field value may carry are kept.
    h.set('x-ok', 'a\tb \u00ff ~')
    expect(h.get('x-ok')).toBe('a\tb \u00ff ~')
  })

  it('lower-cases names once, whatever case they are set or read in', () => {
    const h = new HeaderMap()
    h.set('X-Request-ID', '1')
    h.append("x-Token!#$%&'*+-.^_`|~9", '2')
    expect(h._map).toEqual({ 'x-request-id': '1', "x-token!#$%&'*+-.^_`|~9": '2' })
    expect(h.get('x-REQUEST-id')).toBe('1')
    expect(h.has('X-REQUEST-ID')).toBe(true)
    h.delete('X-Request-Id')
    expect(h.has('x-request-id')).toBe(false)
  })

  it('cannot be used to pollute prototypes', () => {
    const h = new HeaderMap()
    h.set('__proto__', 'x')
    expect(h.get('__proto__')).toBe('x')
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })

  it('copies from WHATWG Headers with cookies', () => {
    const src = new Headers()
    src.append('set-cookie', 'a=1')
    src.append('set-cookie', 'b=2')
    src.set('x-a', '1')
    const h = new HeaderMap(src)
    expect(h.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(h.delete('x-a').has('x-a')).toBe(false)
  })
})

describe('response helpers', () => {
  it('json keeps data pending until serialization', async () => {
    const r = json({ a: 1 }, 201)
    expect(r.pending).toBe(true)
    expect(r.status).toBe(201)
    r.data = { wrapped: r.data }
    const res = r.toResponse()
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({ wrapped: { a: 1 } })
  })

  it('text, html, redirect, noContent, problem', async () => {
    expect(text('hi').headers.get('content-type')).toBe('text/plain;charset=UTF-8')
    expect(html('<b>').headers.get('content-type')).toBe('text/html; charset=utf-8')
    const r = redirect('/next', 303)
    expect([r.status, r.headers.get('location')]).toEqual([303, '/next'])
    expect(noContent().status).toBe(204)
    const p = problem({ status: 409, title: 'Conflict', detail: 'taken' })
    const res = p.toResponse()
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      status: 409,
      title: 'Conflict',
      detail: 'taken',
    })
  })

  it('streams async iterables with backpressure (pull-based)', async () => {
    let produced = 0
    async function* gen() {
      for (let i = 0; i < 100; i++) {
        produced++
        yield `chunk${i};`
      }
    }
    const res = stream(gen()).toResponse()
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    expect(produced).toBeLessThan(5)
    await reader.cancel()
  })

  it('converts a plain text answer with and without a status', async () => {
    for (const [r, status] of [
      [text('hi'), 200],
      [text('hi', 201), 201],
      [text('hi', { status: 404 }), 404],
    ] as const) {
      const res = r.toResponse()
      expect([res.status, res.statusText]).toEqual([status, ''])
      expect([...res.headers]).toEqual([['content-type', 'text/plain;charset=UTF-8']])
      expect(await res.text()).toBe('hi')
    }
  })

  it('drops bodies for HEAD, 204 and 304', async () => {
    expect(await text('x').toResponse(true).text()).toBe('')
    expect(new CycleResponse('x', { status: 304 }).toResponse().body).toBeNull()
  })

  it('wraps a WHATWG Response without buffering', async () => {
    const r = CycleResponse.fromResponse(
      new Response('abc', { status: 202, headers: { 'x-a': '1' } })
    )
    expect(r.status).toBe(202)
    expect(r.body).toBeInstanceOf(ReadableStream)
    expect(r.headers.get('x-a')).toBe('1')
  })

  it('sets and deletes cookies safely', () => {
    const r = text('ok').setCookie('sid', 'a b;c', {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      maxAge: 60,
    })
    expect(r.headers.getSetCookie()[0]).toBe(
      'sid=a%20b%3Bc; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Lax'
    )
    r.deleteCookie('old')
    expect(r.headers.getSetCookie()[1]).toMatch(/^old=; Max-Age=0; Expires=Thu, 01 Jan 1970/)
    expect(() => serializeCookie('bad name', 'v')).toThrow(/Invalid cookie name/)
    expect(() => serializeCookie('a', 'v', { path: '/;evil' })).toThrow(/Invalid cookie Path/)
  })

  it('brand check works across copies', () => {
    const fake = Object.defineProperty({}, Symbol.for('cycle.response'), { value: true })
    expect(CycleResponse.isCycleResponse(fake)).toBe(true)
    expect(CycleResponse.isCycleResponse({ status: 200 })).toBe(false)
  })
})

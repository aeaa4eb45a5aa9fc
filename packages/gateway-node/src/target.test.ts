/**
 * The request target over a real socket, in raw bytes (a client library would rewrite each of
 * these requests): absolute-form names the host, `*`, fragments, encoded slashes and dot
 * segments. After every attack the server must still answer a normal request.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { attack, GOOD_HOST, hostileApp, problemOf } from './__fixtures__/hostile'
import { closeAll, start } from './__fixtures__/net'

afterEach(closeAll)

const get = (target: string, host = GOOD_HOST, method = 'GET'): string =>
  `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`

async function served(): Promise<{ port: number; ran: { count: number } }> {
  const { app, ran } = hostileApp()
  const server = await start(app)
  return { port: server.port, ran }
}

describe('absolute-form: the target names the host (RFC 9112 §3.2.2)', () => {
  it('serves an absolute-form target on an allowed host, from its authority', async () => {
    const { port } = await served()
    const res = await attack(port, get(`http://${GOOD_HOST}/info?x=1`, 'evil.example'))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({
      target: '/info?x=1',
      path: '/info',
      search: 'x=1',
      host: GOOD_HOST,
      url: `http://${GOOD_HOST}/info?x=1`,
    })
    const scheme = await attack(port, get(`HTTPS://${GOOD_HOST}`))
    expect(scheme.status).toBe(404) // `/`: no such route, but the host was accepted
  })

  it('refuses a target authority outside allowedHosts with a 400, before any user code', async () => {
    const { port, ran } = await served()
    const res = await attack(port, get('http://evil.example/api/me'))
    expect(problemOf(res, 400)['detail']).toMatch(/"evil\.example" is not in allowedHosts/)
    expect(ran.count).toBe(2) // the two normal requests attack() sends afterwards
  })

  it.each([
    ['an invalid port', `http://${GOOD_HOST}:99999/api/me`, /Host header is malformed/],
    ['a non-numeric port', `http://${GOOD_HOST}:80a/api/me`, /Host header is malformed/],
    ['an empty port', `http://${GOOD_HOST}:/api/me`, /Host header is malformed/],
    ['userinfo', `http://user@${GOOD_HOST}/api/me`, /userinfo/],
    ['an empty authority', 'http:///api/me', /empty authority/],
    ['another scheme', `ftp://${GOOD_HOST}/api/me`, /scheme other than http/],
  ])('refuses a target with %s with a 400 problem', async (_name, target, detail) => {
    const { port, ran } = await served()
    const res = await attack(port, get(target))
    expect(problemOf(res, 400)['detail']).toMatch(detail)
    expect(ran.count).toBe(2)
  })

  it('still refuses a malformed Host field next to an absolute-form target', async () => {
    const { port } = await served()
    const res = await attack(port, get(`http://${GOOD_HOST}/api/me`, `${GOOD_HOST}:99999`))
    expect(problemOf(res, 400)['detail']).toMatch(/Host header is malformed/)
  })
})

describe('Host ports', () => {
  it.each([`${GOOD_HOST}:99999`, `${GOOD_HOST}:65536`, `${GOOD_HOST}:8o`, `${GOOD_HOST}:`])(
    'refuses Host: %s with a 400 problem',
    async (host) => {
      const { port } = await served()
      const res = await attack(port, get('/api/me', host))
      expect(problemOf(res, 400)['detail']).toMatch(/Host header is malformed/)
    }
  )

  it('accepts the highest port', async () => {
    const { port } = await served()
    expect((await attack(port, get('/api/me', `${GOOD_HOST}:65535`))).text).toBe('me')
  })
})

describe('asterisk-form (RFC 9112 §3.2.4)', () => {
  it("OPTIONS * answers 204 with the methods the app answers anywhere, and no body", async () => {
    const { port } = await served()
    const res = await attack(port, get('*', GOOD_HOST, 'OPTIONS'))
    expect(res.status).toBe(204)
    expect(res.header('allow')).toBe('GET, HEAD, OPTIONS, POST')
    expect(res.header('content-length')).toBeUndefined()
    expect(res.body.byteLength).toBe(0) // and attack() read the next response cleanly after it
  })

  it.each(['GET', 'POST', 'DELETE'])('%s * is a 400 problem', async (method) => {
    const { port } = await served()
    const res = await attack(port, get('*', GOOD_HOST, method))
    expect(problemOf(res, 400)['detail']).toMatch(/only for OPTIONS/)
  })
})

describe('a fragment is never part of the path or the query', () => {
  it.each([
    ['/info?x=1#frag', '/info', 'x=1'],
    ['/info#frag?x=1', '/info', ''],
    ['/info#', '/info', ''],
    [`http://${GOOD_HOST}/info?y#f`, '/info', 'y'],
    // Past 64 characters the gateway looks for '#' another way: same answer.
    [`/info?q=${'a'.repeat(80)}#frag`, '/info', `q=${'a'.repeat(80)}`],
  ])('GET %s reaches %s with query %j', async (target, path, search) => {
    const { port } = await served()
    const res = await attack(port, get(target))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({ path, search, target: search ? `${path}?${search}` : path })
  })
})

describe('an encoded slash is never a separator', () => {
  it.each(['/api%2Fme', '/api%2fme'])('GET %s is a 404, not /api/me', async (target) => {
    const { port } = await served()
    const res = await attack(port, get(target))
    expect(problemOf(res, 404)['detail']).toMatch(/No route matches \/api%2Fme/)
  })

  it('shows <path:…> parameters the encoded slash', async () => {
    const { port } = await served()
    const res = await attack(port, get('/files/a%2Fb/c%20d'))
    expect(JSON.parse(res.text)).toMatchObject({
      path: '/files/a%2Fb/c d',
      rawPath: '/files/a%2Fb/c%20d',
      params: { rest: 'a%2Fb/c d' },
    })
  })

  it('redirects to the slash-appended path with the encoded slash kept', async () => {
    const { port } = await served()
    const res = await attack(port, get('/users/a%2Fb?q=1'))
    expect(res.status).toBe(301)
    expect(res.header('location')).toBe('/users/a%2Fb/?q=1')
  })
})

describe('dot segments are refused', () => {
  it.each([
    '/files/../api/me',
    '/files/./x',
    '/files/x/..',
    '/files/%2E%2E/api/me',
    '/files/%2e/x',
    '/files/.%2e/x',
    `http://${GOOD_HOST}/files/../api/me`,
  ])('GET %s is a 400 problem', async (target) => {
    const { port } = await served()
    const res = await attack(port, get(target))
    expect(problemOf(res, 400)['detail']).toMatch(/"\." or "\.\." segment/)
  })

  it('serves names that merely contain dots', async () => {
    const { port } = await served()
    const res = await attack(port, get('/files/.env/a..b/...'))
    expect(JSON.parse(res.text)).toMatchObject({ params: { rest: '.env/a..b/...' } })
  })
})

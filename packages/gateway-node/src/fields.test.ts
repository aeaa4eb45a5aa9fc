/**
 * Header fields that decide security, repeated, over a real socket in raw bytes (fetch and
 * node's client would join or refuse them): refused with a 400 problem before any user code,
 * never merged or first-wins. After every attack the server must still answer a normal request.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { attack, GOOD_HOST, hostileApp, problemOf } from './__fixtures__/hostile'
import { h2Raw } from './__fixtures__/h2-raw'
import { closeAll, RawClient, rawRequest, start } from './__fixtures__/net'
import { cert, key } from './__fixtures__/tls'

afterEach(closeAll)

async function served(): Promise<{ port: number; ran: { count: number } }> {
  const { app, ran } = hostileApp()
  const server = await start(app, { onError: () => {} })
  return { port: server.port, ran }
}

const request = (fields: string[], method = 'GET', body = ''): string =>
  `${method} /info HTTP/1.1\r\n${fields.join('\r\n')}\r\n` +
  (body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`) +
  `\r\n${body}`

describe('repeated fields are refused', () => {
  it.each([
    ['Host', [`Host: ${GOOD_HOST}`, 'host: evil.example'], /more than one Host/],
    ['Host (same value)', [`Host: ${GOOD_HOST}`, `HOST: ${GOOD_HOST}`], /more than one Host/],
    [
      'Authorization',
      [`Host: ${GOOD_HOST}`, 'Authorization: Bearer a', 'authorization: Bearer b'],
      /more than one Authorization/,
    ],
    [
      'Authorization (odd case)',
      [`Host: ${GOOD_HOST}`, 'aUTHORIZATION: Basic YTpi', 'AuThOrIzAtIoN: Basic YzpkZA=='],
      /more than one Authorization/,
    ],
    [
      'Content-Type',
      [`Host: ${GOOD_HOST}`, 'Content-Type: text/plain', 'content-type: application/json'],
      /more than one Content-Type/,
    ],
  ])('two %s fields: 400 problem, the app never runs', async (_name, fields, detail) => {
    const { port, ran } = await served()
    const res = await attack(port, request(fields, 'POST', '{}'))
    expect(problemOf(res, 400)['detail']).toMatch(detail)
    expect(ran.count).toBe(2) // only attack()'s two normal requests
  })

  it('two Content-Length fields: node refuses them itself, and the server stays up', async () => {
    const { port } = await served()
    const client = await RawClient.connect(port)
    client.write(
      `POST /info HTTP/1.1\r\nHost: ${GOOD_HOST}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`
    )
    await client.closed
    expect((await client.response()).status).toBe(400)
    const after = await rawRequest(port, `GET /api/me HTTP/1.1\r\nHost: ${GOOD_HOST}\r\n\r\n`)
    expect(after.text).toBe('me')
  })

  it('no Host on HTTP/1.1 is a 400; on HTTP/1.0 allowedHosts decides', async () => {
    const { port } = await served()
    const res = await attack(port, 'GET /api/me HTTP/1.1\r\n\r\n')
    expect(problemOf(res, 400)['detail']).toMatch(/no Host header \(required in HTTP\/1\.1\)/)
    // HTTP/1.0 may omit Host; with allowedHosts set, a request naming no host is not served.
    const old = await rawRequest(port, 'GET /api/me HTTP/1.0\r\n\r\n')
    expect(problemOf(old, 400)['detail']).toBe('The request has no Host header.')
  })

  it.each(['bad host', 'evil.example/path', 'a@b', '[::1'])(
    'refuses the malformed Host %j with a 400 problem',
    async (host) => {
      const { port } = await served()
      const res = await attack(port, request([`Host: ${host}`]))
      expect(problemOf(res, 400)['detail']).toMatch(/Host header is malformed/)
    }
  )
})

describe('single fields pass, whatever they contain', () => {
  it('a Digest Authorization with commas and a quoted comma in Content-Type', async () => {
    const { port } = await served()
    const digest =
      'Digest username="a", realm="r,1", nonce="n", uri="/info", response="x", qop=auth, nc=00000001, cnonce="c"'
    const type = 'multipart/form-data; boundary="a,b"'
    const res = await attack(
      port,
      request([`Host: ${GOOD_HOST}`, `Authorization: ${digest}`, `Content-Type: ${type}`])
    )
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({ authorization: digest, contentType: type })
  })

  it('a list field may repeat (two Accept lines)', async () => {
    const { port } = await served()
    const res = await attack(
      port,
      request([`Host: ${GOOD_HOST}`, 'Accept: text/html', 'Accept: application/json'])
    )
    expect(res.status).toBe(200)
  })
})

describe('HTTP/2: node keeps the first of repeated fields there too', () => {
  const base: [string, string][] = [
    [':method', 'GET'],
    [':scheme', 'https'],
    [':authority', GOOD_HOST],
    [':path', '/info'],
  ]
  const h2 = async (): Promise<number> => {
    const { app } = hostileApp()
    const server = await start(app, { https: { key, cert }, http2: true, onError: () => {} })
    return server.port
  }

  it.each([
    ['authorization', 'Bearer a', 'Bearer b', /more than one Authorization/],
    ['content-type', 'text/plain', 'application/json', /more than one Content-Type/],
  ])('two %s fields: 400 problem', async (name, a, b, detail) => {
    const port = await h2()
    const res = await h2Raw(port, cert, [...base, [name, a], [name, b]])
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, detail: expect.stringMatching(detail) })
    const after = await h2Raw(port, cert, [...base.slice(0, 3), [':path', '/api/me']])
    expect(after).toEqual({ status: 200, body: 'me' })
  })

  it('two host fields: nghttp2 resets the stream itself; the server stays up', async () => {
    const port = await h2()
    const res = await h2Raw(port, cert, [...base, ['host', GOOD_HOST], ['host', GOOD_HOST]])
    expect(res).toEqual({ status: 0, body: 'RST_STREAM' })
    const after = await h2Raw(port, cert, [...base.slice(0, 3), [':path', '/api/me']])
    expect(after).toEqual({ status: 200, body: 'me' })
  })

  it('a host field naming another host than :authority: 400 problem', async () => {
    const port = await h2()
    const res = await h2Raw(port, cert, [...base, ['host', 'other.example']])
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ detail: expect.stringMatching(/:authority/) })
    const same = await h2Raw(port, cert, [...base, ['host', GOOD_HOST.toUpperCase()]])
    expect(same.status).toBe(200)
  })

  it('one of each passes', async () => {
    const port = await h2()
    const res = await h2Raw(port, cert, [...base, ['authorization', 'Bearer a']])
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ authorization: 'Bearer a', host: GOOD_HOST })
  })
})

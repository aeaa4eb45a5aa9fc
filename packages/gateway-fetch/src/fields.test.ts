import { createApp, path, text } from '@cycle/core'
import { describe, expect, it } from 'vitest'
import { hostProblem, isJoinedCredentials, isJoinedMediaType } from './_fields'
import { toFetchHandler } from './index'

describe('isJoinedCredentials: one credential or several joined with ", "', () => {
  it.each([
    'Bearer abc.def.ghi',
    'Basic dXNlcjpwYXNz',
    'Basic',
    'Negotiate YIIB/wYGKwYBBQUCoIIB8z==',
    // Digest: a parameter list, commas between name=value pairs, quoted commas inside.
    'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
      'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
      'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    'Digest username="a,b", realm="x, Basic y"',
    // AWS Signature Version 4: commas (and no space) between parameters.
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-date, ' +
      'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    'AWS4-HMAC-SHA256 Credential=a/b,SignedHeaders=host,Signature=c',
    // The list rule allows empty elements and optional whitespace around "=".
    'Digest username="x", , realm = "y",',
  ])('one credential: %s', (value) => {
    expect(isJoinedCredentials(value)).toBe(false)
  })

  it.each([
    'Bearer a, Bearer b',
    'Bearer a,Bearer b',
    'Basic x, Basic y',
    'Basic, Basic x',
    'Basic x, Bearer y',
    'Bearer a, b',
    'Digest username="a", realm="r", Digest username="b"',
    'Digest username="a", Basic eA==',
    'Bearer a=, Bearer b',
    'Bearer a,',
  ])('joined: %s', (value) => {
    expect(isJoinedCredentials(value)).toBe(true)
  })
})

describe('isJoinedMediaType: one media type or several joined', () => {
  it.each([
    'application/json',
    'text/plain; charset=utf-8',
    'multipart/form-data; boundary="a,b,c"',
    'multipart/form-data; boundary="quoted \\" comma, here"',
    'application/x-www-form-urlencoded',
  ])('one: %s', (value) => {
    expect(isJoinedMediaType(value)).toBe(false)
  })

  it.each([
    'application/json, text/plain',
    'text/plain,application/json',
    'multipart/form-data; boundary="a,b", text/plain',
    'application/json, application/json',
  ])('joined: %s', (value) => {
    expect(isJoinedMediaType(value)).toBe(true)
  })
})

describe('hostProblem', () => {
  it('accepts the Host the URL was built from', () => {
    expect(hostProblem('example.com:8080', 'example.com:8080')).toBeNull()
  })

  it('refuses a Host joined from several fields, even when the URL holds the join (workerd)', () => {
    expect(hostProblem('a.example, b.example', 'a.example')).toMatch(/more than one Host/)
    expect(hostProblem('a.example, b.example', 'a.example, b.example')).toMatch(/more than one/)
    expect(hostProblem('a.example,a.example', 'a.example')).toMatch(/more than one Host/)
  })

  it('accepts a well-formed Host the URL does not repeat (absolute-form target on Deno)', () => {
    expect(hostProblem('proxy.example', 'origin.example:81')).toBeNull()
  })

  it('refuses a malformed Host the runtime rewrote into the URL (Bun drops an empty port)', () => {
    expect(hostProblem('example.com:', 'example.com')).toMatch(/malformed/)
    expect(hostProblem('exa mple.com', 'example.com')).toMatch(/malformed/)
  })
})

describe('toFetchHandler: repeated fields that decide security', () => {
  const app = createApp({
    urls: [
      path('', (request) =>
        text(`${request.header('authorization')} | ${request.header('content-type')}`)
      ),
    ],
  })
  const handler = toFetchHandler(app)
  const get = (headers: Record<string, string>): Promise<Response> =>
    Promise.resolve(handler(new Request('http://localhost/', { headers })))

  it.each([
    [{ authorization: 'Bearer a, Bearer b' }, 'more than one Authorization header'],
    [{ 'content-type': 'application/json, text/plain' }, 'more than one Content-Type header'],
    [{ host: 'localhost, evil.example' }, 'more than one Host header'],
  ])('refuses %o with a 400 problem before the app runs', async (headers, detail) => {
    const res = await get(headers)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await res.json()).toMatchObject({ status: 400, detail: `The request has ${detail}.` })
  })

  it('still answers, and hands the app the values it read once', async () => {
    const res = await get({
      authorization: 'Digest username="a", realm="b"',
      'content-type': 'multipart/form-data; boundary="x,y"',
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(
      'Digest username="a", realm="b" | multipart/form-data; boundary="x,y"'
    )
    const bare = await get({})
    expect(await bare.text()).toBe('null | null')
  })
})

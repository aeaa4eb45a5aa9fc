/**
 * Every traversal refusal, as raw bytes on a real socket through `@cycle/gateway-node`: the
 * request line is written exactly as an attacker would write it (no client normalises it first),
 * and no answer may carry the secret that sits next to the static root. Among them are the
 * shapes of published advisories: `send` before 0.8.4 checked containment with a bare prefix
 * comparison, so `/public-evil` passed for a root `/public` (CVE-2014-6394); `@hono/node-server`'s
 * serveStatic let an encoded backslash `%5C` through on Windows (GHSA-frvp-7c67-39w9) and
 * repeated slashes past route-scoped middleware (GHSA-92pp-h63x-v22m).
 */
import { createApp, path, text } from '@cycle/core'
import { serve } from '@cycle/gateway-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET, makeTree, rawRequest, type Tree } from './__fixtures__/tree'
import { serveStatic, staticView } from './serve'

let tree: Tree
let port = 0
let close: () => Promise<void> = async () => {}
/** A second server with the folder mounted at `/`, where `//host` would be an open redirect. */
let rootPort = 0
let closeRoot: () => Promise<void> = async () => {}

beforeAll(async () => {
  tree = makeTree()
  const app = createApp({
    middleware: [
      serveStatic({ root: tree.root, prefix: '/static/' }),
      serveStatic({ root: tree.root, prefix: '/follow/', symlinks: 'follow' }),
    ],
    urls: [
      path('media/<path:file>', staticView({ root: tree.root, param: 'file' })),
      path('', () => text('home')),
    ],
  })
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  port = Number(new URL(server.url).port)
  close = () => server.close({ timeout: 1000 })
  const atRoot = createApp({
    middleware: [serveStatic({ root: tree.root, prefix: '/' })],
    urls: [path('', () => text('home'))],
  })
  const rootServer = await serve(atRoot, { port: 0, hostname: '127.0.0.1' })
  rootPort = Number(new URL(rootServer.url).port)
  closeRoot = () => rootServer.close({ timeout: 1000 })
})

afterAll(async () => {
  await close()
  await closeRoot()
  tree.cleanup()
})

/** Refused with `status`, and nothing of the secret in the answer. */
async function refused(target: string, status: number): Promise<string> {
  const res = await rawRequest(port, target)
  expect(res.text).not.toContain(SECRET)
  expect(res.status, `${target} → ${res.status}\n${res.text.slice(0, 400)}`).toBe(status)
  return res.text
}

describe('the control: the raw client does reach files', () => {
  it('a plain request for a file is served', async () => {
    const res = await rawRequest(port, '/static/hello.txt')
    expect(res.status).toBe(200)
    expect(res.text).toContain('Hello, static world!')
  })

  it('with symlinks: "follow" the outside link is served (so the refusal below is the policy)', async () => {
    const res = await rawRequest(port, '/follow/outside-link.txt')
    expect(res.status).toBe(200)
    expect(res.text).toContain(SECRET)
  })
})

describe.each([
  ['the middleware', '/static/'],
  ['the view', '/media/'],
])('traversal through %s is refused', (_, prefix) => {
  it('encoded slashes: ..%2f..%2f', async () => {
    const body = await refused(`${prefix}..%2fsecret.txt`, 400)
    expect(body).toContain('encoded slash')
    await refused(`${prefix}..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd`, 400)
    await refused(`${prefix}..%2F..%2Fsecret.txt`, 400)
    await refused(`${prefix}sub%2f..%2f..%2fsecret.txt`, 400)
  })

  it('encoded dots: %2e%2e/ (core refuses the dot segment)', async () => {
    await refused(`${prefix}%2e%2e/secret.txt`, 400)
    await refused(`${prefix}%2E%2E/%2e%2e/secret.txt`, 400)
    await refused(`${prefix}.%2e/secret.txt`, 400)
  })

  it('plain dot segments sent unnormalised', async () => {
    await refused(`${prefix}../secret.txt`, 400)
    await refused(`${prefix}sub/../../secret.txt`, 400)
  })

  it('encoded backslashes: ..%5c', async () => {
    const body = await refused(`${prefix}..%5csecret.txt`, 400)
    expect(body).toContain('backslash')
    await refused(`${prefix}..%5C..%5Csecret.txt`, 400)
  })

  it('raw backslashes: ..\\', async () => {
    const body = await refused(`${prefix}..\\secret.txt`, 400)
    expect(body).toContain('backslash')
    await refused(`${prefix}..\\..\\secret.txt`, 400)
  })

  it('NUL: %00', async () => {
    const body = await refused(`${prefix}hello.txt%00.png`, 400)
    expect(body).toContain('NUL')
    await refused(`${prefix}..%00/secret.txt`, 400)
  })

  it('double encoding is never decoded twice: %252e%252e is a (missing) file name', async () => {
    await refused(`${prefix}%252e%252e/secret.txt`, 404)
    await refused(`${prefix}%252e%252e%252fsecret.txt`, 400)
    await refused(`${prefix}..%252fsecret.txt`, 400)
  })

  it('absolute paths: a leading empty segment or an encoded one', async () => {
    const body = await refused(`${prefix}/etc/passwd`, 400)
    expect(body).toContain('empty segment')
    await refused(`${prefix}%2fetc%2fpasswd`, 400)
    await refused(`${prefix}${tree.base}/secret.txt`.replace('//', '/'), 404)
  })

  it('symlinks pointing outside the root answer as absent (404)', async () => {
    await refused(`${prefix}outside-link.txt`, 404)
    await refused(`${prefix}outside-dir/secret.txt`, 404)
  })

  it("a link into a sibling folder whose name starts with the root's (CVE-2014-6394) is absent", async () => {
    await refused(`${prefix}sibling-link.txt`, 404)
  })

  it('a symlink that stays inside the root is served', async () => {
    const res = await rawRequest(port, `${prefix}inside-link.txt`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Hello, static world!')
  })
})

describe('mounted at /: no open redirect, no absolute path', () => {
  it('the folder is served at the root', async () => {
    const res = await rawRequest(rootPort, '/sub')
    expect(res.status).toBe(301)
    expect(res.text).toMatch(/\r\nlocation: \/sub\/\r\n/i)
  })

  it.each(['//evil.example/sub', '//evil.example', '/%2fevil.example/sub', '//etc/passwd'])(
    '%s is refused before any redirect or file access',
    async (target) => {
      const res = await rawRequest(rootPort, target)
      expect(res.status).toBe(400)
      expect(res.text).not.toMatch(/\r\nlocation:/i)
      expect(res.text).not.toContain(SECRET)
    }
  )
})

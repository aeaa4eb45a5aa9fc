/**
 * The composed stack (`servers/stack-app.ts`: every HTTP middleware package together, in the
 * order docs/middleware-order.md recommends) through both gateways on every runtime: gateway-node
 * on Node 20 (this process) and Node 24, gateway-fetch on Node 24, Bun, Deno and workerd. Each
 * scenario reads the raw answer (no client-side decompression, every header line as sent) and
 * checks that the packages' headers do not fight: each single-valued field once, `Vary` naming
 * each request field once, validators and encodings consistent, refusals carrying the same
 * security, CORS and request-id fields as answers.
 */
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib'
import { serve } from '@cycle/gateway-node'
import { serveStatic } from '@cycle/middleware-static'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ORIGIN, SLOW_DEADLINE_MS, STACK_TOKEN, createStackApp } from '../servers/stack-app'
import { launchFetchServer, launchNodeGateway, serverEntry, type FetchRuntime } from './launch'

interface Raw {
  status: number
  /** Every header line as received, names lower-cased, in order. */
  lines: Array<[string, string]>
  body: Buffer
}

function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, base),
      { method, headers: { connection: 'close', ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const lines: Array<[string, string]> = []
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            lines.push([
              (res.rawHeaders[i] as string).toLowerCase(),
              res.rawHeaders[i + 1] as string,
            ])
          }
          resolve({ status: res.statusCode ?? 0, lines, body: Buffer.concat(chunks) })
        })
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)))
    req.end(body)
  })
}

/** The one value of `name`; fails when the field is missing or sent more than once. */
function one(raw: Raw, name: string): string {
  const values = raw.lines.filter(([n]) => n === name).map(([, v]) => v)
  expect(values, `${name} sent ${values.length} times`).toHaveLength(1)
  return values[0] as string
}

function absent(raw: Raw, name: string): void {
  expect(
    raw.lines.filter(([n]) => n === name),
    `${name} should be absent`
  ).toEqual([])
}

/** `Vary`'s members, lower-cased, over every `Vary` line. */
function varyOf(raw: Raw): string[] {
  return raw.lines
    .filter(([n]) => n === 'vary')
    .flatMap(([, v]) => v.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
}

function decoded(raw: Raw): Buffer {
  const encoding = raw.lines.find(([n]) => n === 'content-encoding')?.[1]
  if (encoding === undefined) return raw.body
  if (encoding === 'gzip') return gunzipSync(raw.body)
  if (encoding === 'br') return brotliDecompressSync(raw.body)
  if (encoding === 'deflate') return inflateSync(raw.body)
  throw new Error(`unexpected content-encoding ${encoding}`)
}

const SINGLE = [
  'content-type',
  'content-length',
  'etag',
  'x-request-id',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'content-security-policy',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'server-timing',
]

/** No single-valued field twice, no `Vary` member twice, the security set present. */
function noFight(raw: Raw): void {
  for (const name of SINGLE) {
    const n = raw.lines.filter(([k]) => k === name).length
    expect(n, `${name} sent ${n} times`).toBeLessThanOrEqual(1)
  }
  const vary = varyOf(raw)
  expect(new Set(vary).size, `Vary: ${vary.join(', ')}`).toBe(vary.length)
  expect(one(raw, 'x-content-type-options')).toBe('nosniff')
  expect(one(raw, 'content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'")
  expect(one(raw, 'x-request-id')).toMatch(/^[\w.:+/=@-]{1,200}$/)
}

const AUTH = { authorization: `Bearer ${STACK_TOKEN}` }
const CROSS = { origin: APP_ORIGIN }

const STATIC_ROOT = fileURLToPath(new URL('../servers/static/', import.meta.url))
const CSS = readFileSync(join(STATIC_ROOT, 'app.css'))

function stackSuite(
  name: string,
  files: boolean,
  setup: () => Promise<{ baseUrl: string; close(): Promise<void> }>
) {
  describe(`the composed stack: ${name}`, () => {
    let base = ''
    let close: () => Promise<void> = async () => {}
    beforeAll(async () => {
      const server = await setup()
      base = server.baseUrl
      close = () => server.close()
    })
    afterAll(() => close())

    it('compresses a large JSON answer, with one Vary for every field it depends on', async () => {
      const raw = await send(base, 'GET', '/api/notes/', {
        ...CROSS,
        'accept-encoding': 'gzip',
        'x-request-id': 'stack-req-1',
      })
      expect(raw.status).toBe(200)
      noFight(raw)
      expect(one(raw, 'content-encoding')).toBe('gzip')
      expect(varyOf(raw)).toEqual(expect.arrayContaining(['origin', 'accept', 'accept-encoding']))
      expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
      expect(one(raw, 'access-control-allow-credentials')).toBe('true')
      // The tag was made from the identity body; compression made it weak (RFC 9110 §8.8.3).
      expect(one(raw, 'etag')).toMatch(/^W\/"/)
      const length = raw.lines.find(([n]) => n === 'content-length')?.[1]
      if (length !== undefined) expect(Number(length)).toBe(raw.body.length)
      const doc = JSON.parse(decoded(raw).toString('utf8')) as {
        data: Array<{ id: number }>
        meta: { requestId?: string }
      }
      expect(doc.data).toHaveLength(40)
      expect(one(raw, 'x-request-id')).toBe('stack-req-1')
    })

    it('answers 304 to its own weak tag, with the fields a 200 would carry and no body', async () => {
      const first = await send(base, 'GET', '/api/notes/', { ...CROSS, 'accept-encoding': 'gzip' })
      const tag = one(first, 'etag')
      const raw = await send(base, 'GET', '/api/notes/', {
        ...CROSS,
        'accept-encoding': 'gzip',
        'if-none-match': tag,
      })
      expect(raw.status).toBe(304)
      expect(raw.body.length).toBe(0)
      noFight(raw)
      expect(one(raw, 'etag')).toBe(tag)
      expect(varyOf(raw)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']))
      expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
    })

    it('sends the identity body to a client that accepts no encoding, with the same Vary', async () => {
      const raw = await send(base, 'GET', '/api/notes/', { 'accept-encoding': 'identity' })
      expect(raw.status).toBe(200)
      noFight(raw)
      absent(raw, 'content-encoding')
      expect(one(raw, 'etag')).toMatch(/^"/)
      // Framed by length where the server frames it so (gateway-fetch's Node test bridge
      // streams every body): never a length other than the body's.
      for (const [n, v] of raw.lines)
        if (n === 'content-length') expect(Number(v)).toBe(raw.body.length)
      expect(varyOf(raw)).toEqual(expect.arrayContaining(['accept', 'accept-encoding']))
      // No Origin sent: no CORS grant, but the answer still says it depends on Origin.
      absent(raw, 'access-control-allow-origin')
      expect(varyOf(raw)).toContain('origin')
    })

    it('answers a preflight before authentication and CSRF, with the security set', async () => {
      const raw = await send(base, 'OPTIONS', '/api/notes/1/', {
        ...CROSS,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type, if-match',
      })
      expect(raw.status).toBe(204)
      noFight(raw)
      expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
      expect(one(raw, 'access-control-allow-methods')).toContain('PATCH')
      absent(raw, 'www-authenticate')
      absent(raw, 'content-encoding')
    })

    it('refuses a missing token with a 401 problem the browser may read', async () => {
      const raw = await send(base, 'GET', '/api/me/', { ...CROSS, 'accept-encoding': 'gzip' })
      expect(raw.status).toBe(401)
      noFight(raw)
      expect(one(raw, 'content-type')).toMatch(/^application\/problem\+json/)
      expect(one(raw, 'www-authenticate')).toMatch(/^Bearer/)
      expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
      const problem = JSON.parse(decoded(raw).toString('utf8')) as { status: number }
      expect(problem.status).toBe(401)
    })

    it('refuses a cross-site unsafe request with a 403 problem before authentication', async () => {
      const raw = await send(
        base,
        'PATCH',
        '/api/notes/2/',
        { ...AUTH, origin: 'https://evil.example', 'content-type': 'application/json' },
        '{"title":"pwned"}'
      )
      expect(raw.status).toBe(403)
      noFight(raw)
      expect(one(raw, 'content-type')).toMatch(/^application\/problem\+json/)
      absent(raw, 'access-control-allow-origin')
      const after = await send(base, 'GET', '/api/notes/2/', AUTH)
      expect(JSON.parse(decoded(after).toString('utf8')).data.title).toBe('Note 2')
    })

    it('updates with the current tag and refuses a stale one with 412', async () => {
      const read = await send(base, 'GET', '/api/notes/3/', { ...AUTH, ...CROSS })
      expect(read.status).toBe(200)
      noFight(read)
      const tag = one(read, 'etag')
      expect(tag).toBe('"1"')
      const write = (ifMatch: string) =>
        send(
          base,
          'PATCH',
          '/api/notes/3/',
          { ...AUTH, ...CROSS, 'content-type': 'application/json', 'if-match': ifMatch },
          '{"title":"Edited"}'
        )
      const ok = await write(tag)
      expect(ok.status).toBe(200)
      noFight(ok)
      expect(one(ok, 'etag')).toBe('"2"')
      const stale = await write(tag)
      expect(stale.status).toBe(412)
      noFight(stale)
      expect(one(stale, 'content-type')).toMatch(/^application\/problem\+json/)
      expect(one(stale, 'access-control-allow-origin')).toBe(APP_ORIGIN)
    })

    it('answers the deadline once, with every package’s fields, when the view runs late', async () => {
      const started = Date.now()
      const raw = await send(base, 'GET', '/api/slow/', { ...CROSS, 'x-request-id': 'slow-1' })
      expect(raw.status).toBe(504)
      expect(Date.now() - started).toBeLessThan(SLOW_DEADLINE_MS * 15)
      noFight(raw)
      expect(one(raw, 'x-request-id')).toBe('slow-1')
      expect(one(raw, 'content-type')).toMatch(/^application\/problem\+json/)
      expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
    })

    it('keeps HEAD consistent with GET: same fields, no body', async () => {
      const get = await send(base, 'GET', '/api/notes/', { 'accept-encoding': 'gzip' })
      const head = await send(base, 'HEAD', '/api/notes/', { 'accept-encoding': 'gzip' })
      expect(head.status).toBe(200)
      expect(head.body.length).toBe(0)
      noFight(head)
      expect(one(head, 'content-type')).toBe(one(get, 'content-type'))
      expect(varyOf(head).sort()).toEqual(varyOf(get).sort())
      // RFC 9110 §9.3.2: the fields a GET would carry. The encoding is negotiated, not found
      // while generating the content, so it is the GET's (only the length may be left out).
      const encodingOf = (raw: Raw) => raw.lines.find(([n]) => n === 'content-encoding')?.[1]
      expect(encodingOf(head)).toBe(encodingOf(get))
      expect(one(head, 'etag')).toBe(one(get, 'etag'))
      const headLength = head.lines.find(([n]) => n === 'content-length')?.[1]
      const getLength = get.lines.find(([n]) => n === 'content-length')?.[1]
      if (name === 'gateway-fetch on bun' && encodingOf(head) !== undefined) {
        // Bun's own framing: compress() leaves the encoded length out of a HEAD answer (it is
        // known only by compressing), and Bun.serve then always adds `Content-Length: 0`,
        // whatever body it is given. Every other runtime sends no length.
        expect(headLength).toBe('0')
      } else if (headLength !== undefined) {
        // RFC 9110 §8.6: a HEAD answer carries Content-Length only with the GET's value.
        expect(headLength).toBe(getLength ?? String(get.body.length))
      }
    })

    // Files only where the runtime has a file system (no test is defined elsewhere).
    if (files) {
      it('serves a precompressed file as it is, with one Vary and its own validators', async () => {
        const raw = await send(base, 'GET', '/static/app.css', {
          ...CROSS,
          'accept-encoding': 'gzip',
        })
        expect(raw.status).toBe(200)
        noFight(raw)
        expect(one(raw, 'content-encoding')).toBe('gzip')
        expect(one(raw, 'content-type')).toMatch(/^text\/css/)
        expect(varyOf(raw)).toContain('accept-encoding')
        expect(one(raw, 'access-control-allow-origin')).toBe(APP_ORIGIN)
        expect(decoded(raw).equals(CSS)).toBe(true)
        const again = await send(base, 'GET', '/static/app.css', {
          'accept-encoding': 'gzip',
          'if-none-match': one(raw, 'etag'),
        })
        expect(again.status).toBe(304)
        noFight(again)
      })

      it('answers a range of a file uncompressed, and a whole file compressed on the fly', async () => {
        const range = await send(base, 'GET', '/static/app.css', {
          'accept-encoding': 'identity',
          range: 'bytes=0-99',
        })
        expect(range.status).toBe(206)
        noFight(range)
        absent(range, 'content-encoding')
        expect(range.body.equals(CSS.subarray(0, 100))).toBe(true)
        // br is not precompressed: the file stream is compressed by compress() as it is read.
        const br = await send(base, 'GET', '/static/app.css', { 'accept-encoding': 'br' })
        expect(br.status).toBe(200)
        noFight(br)
        expect(one(br, 'content-encoding')).toBe('br')
        expect(one(br, 'etag')).toMatch(/^W\//)
        expect(decoded(br).equals(CSS)).toBe(true)
      })
    }
  })
}

stackSuite('gateway-node on Node 20', true, async () => {
  const app = createStackApp({ files: serveStatic({ root: STATIC_ROOT, prefix: '/static/' }) })
  const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
  return { baseUrl: `http://127.0.0.1:${server.port}`, close: () => server.close() }
})
stackSuite('gateway-node on Node 24', true, () =>
  launchNodeGateway({ entry: 'stack-node.ts', env: { STACK_STATIC_ROOT: STATIC_ROOT } })
)
// Node 24, Bun and Deno have Node's file system: the stack there includes serveStatic().
for (const runtime of ['node24', 'bun', 'deno'] satisfies FetchRuntime[]) {
  stackSuite(`gateway-fetch on ${runtime}`, true, () =>
    launchFetchServer(runtime, {
      handlerModule: serverEntry('stack-files-handler.ts'),
      env: { STACK_STATIC_ROOT: STATIC_ROOT },
      readFolder: STATIC_ROOT,
    })
  )
}
// workerd has none (Workers serve files from their static assets): the stack without it.
stackSuite('gateway-fetch on workerd', false, () =>
  launchFetchServer('workerd', { handlerModule: serverEntry('stack-handler.ts') })
)

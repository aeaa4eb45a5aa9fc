/**
 * A throw-away folder tree for the tests: `public/` is the static root, `outside/` holds the
 * secret that no request may reach, and links point both ways.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'

export const SECRET = 'TOP-SECRET-CONTENT'
export const HELLO: string = 'Hello, static world!\n'
export const APP_JS: string = 'console.log("app");\n'.repeat(50)
export const BIG_SIZE: number = 16 * 1024 * 1024

export interface Tree {
  base: string
  root: string
  outside: string
  big: string
  cleanup(): void
}

/** Builds the tree; `cleanup()` removes it. */
export function makeTree(): Tree {
  const base = mkdtempSync(join(tmpdir(), 'cycle-static-'))
  const root = join(base, 'public')
  const outside = join(base, 'outside')
  mkdirSync(root)
  mkdirSync(outside)
  writeFileSync(join(outside, 'secret.txt'), SECRET)
  writeFileSync(join(base, 'secret.txt'), SECRET)
  writeFileSync(join(root, 'hello.txt'), HELLO)
  writeFileSync(join(root, 'empty.txt'), '')
  writeFileSync(join(root, 'data.json'), '{"a":1}')
  writeFileSync(join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
  writeFileSync(join(root, 'thing.xyz'), 'x')
  writeFileSync(join(root, 'model.glb'), 'glb')
  writeFileSync(join(root, 'app.js'), APP_JS)
  writeFileSync(join(root, 'app.js.br'), brotliCompressSync(APP_JS))
  writeFileSync(join(root, 'app.js.gz'), gzipSync(APP_JS))
  writeFileSync(join(root, 'only-gz.css'), 'body{}')
  writeFileSync(join(root, 'only-gz.css.gz'), gzipSync('body{}'))
  writeFileSync(join(root, 'page.html'), '<p>page</p>')
  writeFileSync(join(root, '.env'), 'DOTENV=1')
  mkdirSync(join(root, '.git'))
  writeFileSync(join(root, '.git', 'config'), '[core]')
  mkdirSync(join(root, 'sub'))
  writeFileSync(join(root, 'sub', 'index.html'), '<h1>sub</h1>')
  writeFileSync(join(root, 'sub', 'index.html.gz'), gzipSync('<h1>sub</h1>'))
  mkdirSync(join(root, 'noindex'))
  writeFileSync(join(root, 'noindex', 'a.txt'), 'a')
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'assets', 'app.3f2a9c1b.js'), 'hashed')
  writeFileSync(join(root, 'assets', 'plain.js'), 'plain')
  const big = join(root, 'big.bin')
  // Byte i is i % 251: a pattern whose period is no power of two, so a misplaced chunk shows.
  const period = Buffer.from(Array.from({ length: 251 }, (_, i) => i))
  writeFileSync(big, Buffer.alloc(BIG_SIZE, period))
  // Links: one to a file outside the root, one to a folder outside, one that stays inside.
  symlinkSync(join(outside, 'secret.txt'), join(root, 'outside-link.txt'))
  symlinkSync(outside, join(root, 'outside-dir'))
  symlinkSync(join(root, 'hello.txt'), join(root, 'inside-link.txt'))
  // A sibling whose name starts with the root's: a bare prefix check would let it through.
  mkdirSync(join(base, 'public-evil'))
  writeFileSync(join(base, 'public-evil', 'secret.txt'), SECRET)
  symlinkSync(join(base, 'public-evil', 'secret.txt'), join(root, 'sibling-link.txt'))
  return { base, root, outside, big, cleanup: () => rmSync(base, { recursive: true, force: true }) }
}

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

/** One request through node's HTTP client (keep-alive); the whole body as bytes. */
export function fetchRaw(
  port: number,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET'
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: target, method, headers, agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          })
        )
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/**
 * Writes `target` byte for byte in a request line on a fresh socket (no client-side
 * normalisation of `..`, `\` or escapes, as `fetch` or `http.request` might do) and returns the
 * status and the whole answer as text.
 */
export function rawRequest(
  port: number,
  target: string
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text)
      resolve({ status: m ? Number(m[1]) : 0, text })
    })
    socket.write(
      Buffer.from(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        'latin1'
      )
    )
  })
}

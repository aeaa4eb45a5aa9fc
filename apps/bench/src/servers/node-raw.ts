/**
 * @module
 * The floor: a hand-written `node:http` server doing the same work inline, with no framework.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import {
  ALLOWED_ORIGIN,
  announce,
  AUTHORIZATION,
  HELLO,
  JWT_SECRET,
  type JwtClaims,
  PKG_PATH,
  PORT,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  STACK_PATH,
  STACK_SECURITY_HEADERS,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
  userOfClaims,
} from './_shared'

const TEXT = 'text/plain;charset=UTF-8'
const JSON_TYPE = 'application/json; charset=utf-8'

const JWT_KEY = Buffer.from(JWT_SECRET)

/** The claims of a valid HS256 bearer token (signature and `exp` checked), else null. */
function verifyJwt(req: IncomingMessage): JwtClaims | null {
  const auth = req.headers.authorization
  if (auth === undefined || !auth.startsWith('Bearer ')) return null
  const [head, payload, signature] = auth.slice(7).split('.')
  if (head === undefined || payload === undefined || signature === undefined) return null
  const want = createHmac('sha256', JWT_KEY).update(`${head}.${payload}`).digest()
  const got = Buffer.from(signature, 'base64url')
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null
  try {
    const h = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: unknown }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JwtClaims & {
      exp?: unknown
    }
    if (h.alg !== 'HS256') return null
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return null
    return claims
  } catch {
    return null
  }
}

/** Route 5's headers besides the answer's own: security, CORS (origin allowed) and `Vary`. */
function stackHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    ...STACK_SECURITY_HEADERS,
    vary: 'Origin, Accept-Encoding',
    [REQUEST_ID]: requestId,
  }
  if (req.headers.origin === ALLOWED_ORIGIN) {
    headers['access-control-allow-origin'] = ALLOWED_ORIGIN
    headers['access-control-allow-credentials'] = 'true'
  }
  return headers
}

const server = createServer((req, res) => {
  const url = req.url ?? '/'
  if (req.method === 'GET') {
    if (url === '/') {
      res.writeHead(200, { 'content-type': TEXT, 'content-length': HELLO.length })
      res.end(HELLO)
      return
    }
    if (url.startsWith('/users/')) {
      const raw = url.slice(7)
      if (/^\d+$/.test(raw)) {
        const body = JSON.stringify(userOf(Number(raw)))
        res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) })
        res.end(body)
        return
      }
    }
    if (url === '/api/me' || url === PKG_PATH) {
      // The same three steps as the middlewares elsewhere, inline: id, auth, envelope. Route 4
      // answers as route 3: the floor for both.
      const requestId = requestIdOf(req.headers[REQUEST_ID] as string | undefined)
      if (req.headers.authorization !== AUTHORIZATION) {
        res.writeHead(401, {
          'content-type': PROBLEM_TYPE,
          'content-length': UNAUTHORIZED_BODY.length,
          'www-authenticate': 'Bearer',
          [REQUEST_ID]: requestId,
        })
        res.end(UNAUTHORIZED_BODY)
        return
      }
      const body = JSON.stringify({ data: USER, meta: { requestId } })
      res.writeHead(200, {
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
        [REQUEST_ID]: requestId,
      })
      res.end(body)
      return
    }
    if (url === STACK_PATH) {
      // Route 5 by hand: id, security and CORS headers, JWT check, envelope, a strong ETag (the
      // answer is too small to compress: only `Vary: Accept-Encoding` says it could be).
      const requestId = requestIdOf(req.headers[REQUEST_ID] as string | undefined)
      const headers = stackHeaders(req, requestId)
      const claims = verifyJwt(req)
      if (claims === null) {
        res.writeHead(401, {
          ...headers,
          'content-type': PROBLEM_TYPE,
          'content-length': UNAUTHORIZED_BODY.length,
          'www-authenticate': 'Bearer',
        })
        res.end(UNAUTHORIZED_BODY)
        return
      }
      const body = JSON.stringify({ data: userOfClaims(claims), meta: { requestId } })
      const tag = `"${createHash('sha1').update(body).digest('base64url')}"`
      if (req.headers['if-none-match'] === tag) {
        res.writeHead(304, { ...headers, etag: tag })
        res.end()
        return
      }
      res.writeHead(200, {
        ...headers,
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
        etag: tag,
      })
      res.end(body)
      return
    }
  }
  res.writeHead(404, { 'content-type': TEXT, 'content-length': 9 })
  res.end('Not Found')
})

server.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

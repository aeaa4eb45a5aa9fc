/**
 * @module
 * The floor: a hand-written `node:http` server doing the same work inline, with no framework.
 */
import { createServer } from 'node:http'
import {
  announce,
  AUTHORIZATION,
  HELLO,
  PKG_PATH,
  PORT,
  PROBLEM_TYPE,
  REQUEST_ID,
  requestIdOf,
  UNAUTHORIZED_BODY,
  USER,
  userOf,
} from './_shared'

const TEXT = 'text/plain;charset=UTF-8'
const JSON_TYPE = 'application/json; charset=utf-8'

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
  }
  res.writeHead(404, { 'content-type': TEXT, 'content-length': 9 })
  res.end('Not Found')
})

server.listen(PORT, '127.0.0.1', () => {
  const address = server.address()
  announce(typeof address === 'object' && address !== null ? address.port : PORT)
})

/**
 * Test helpers for hostile requests over a real socket: send raw bytes a client library would
 * have cleaned up, read the answer, then check that the server still serves a normal request,
 * on the same connection when it kept it open, and on a new one.
 */
import { expect } from 'vitest'
import { createApp, json, path, text, type App, type CycleRequest } from '@cycle/core'
import { RawClient, rawRequest, type RawResponse } from './net'

/** The Host the hostile app serves. */
export const GOOD_HOST = 'good.example'

/** A normal request and what it answers. */
const NORMAL = `GET /api/me HTTP/1.1\r\nHost: ${GOOD_HOST}\r\n\r\n`

function seen(request: CycleRequest): ReturnType<typeof json> {
  return json({
    method: request.method,
    target: request.target,
    path: request.path,
    rawPath: request.rawPath,
    search: request.search,
    host: request.host,
    url: request.url,
    params: request.params,
    authorization: request.header('authorization'),
    contentType: request.header('content-type'),
  })
}

/**
 * An app with `allowedHosts: [GOOD_HOST]` and a few routes: `GET /api/me` (`me`), `GET /info`
 * (what the request looked like), `GET /files/<path:rest>`, `GET /users/<name>/`, `GET|POST /x`.
 * `ran` counts the requests that reached a request middleware.
 */
export function hostileApp(): { app: App; ran: { count: number } } {
  const ran = { count: 0 }
  const app = createApp({
    allowedHosts: [GOOD_HOST],
    middleware: [{ name: 'count', request: () => void ran.count++ }],
    urls: [
      path('api/me', () => text('me')),
      path('info', seen, { methods: ['GET', 'POST'] }),
      path('files/<path:rest>', seen),
      path('users/<name>/', seen),
      path('x', { GET: () => text('x'), POST: () => text('posted') }),
    ],
  }) as App
  return { app, ran }
}

/**
 * Sends `request` as raw bytes on a fresh connection and returns the answer, after checking that
 * the server still answers a normal request: on that connection if it stayed open (so the
 * refusal left the connection's framing intact), then on a new one.
 */
export async function attack(port: number, request: string): Promise<RawResponse> {
  const client = await RawClient.connect(port)
  let res: RawResponse
  try {
    client.write(request)
    res = await client.response({ head: request.startsWith('HEAD ') })
    if (!client.isClosed && res.header('connection') !== 'close') {
      client.write(NORMAL)
      const next = await client.response()
      expect(next.status, 'a normal request on the same connection').toBe(200)
      expect(next.text).toBe('me')
    }
  } finally {
    client.destroy()
  }
  const fresh = await rawRequest(port, NORMAL.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))
  expect(fresh.status, 'a normal request on a new connection').toBe(200)
  return res
}

/** Asserts a problem+json answer with `status`, and returns its document. */
export function problemOf(res: RawResponse, status: number): Record<string, unknown> {
  expect(res.status).toBe(status)
  expect(res.header('content-type')).toBe('application/problem+json')
  const doc = JSON.parse(res.text) as Record<string, unknown>
  expect(doc).toMatchObject({ status, type: 'about:blank' })
  return doc
}

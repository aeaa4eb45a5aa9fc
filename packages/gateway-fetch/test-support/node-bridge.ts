/**
 * @module
 * A tiny node:http ↔ fetch bridge for tests (not shipped): serves a fetch handler on a real
 * socket so the conformance suite runs over HTTP on Node. Written by hand on purpose (no
 * @hono/node-server) so that what is under test is our gateway, not another adapter.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * What the bridge passes as the handler's second argument, as Deno passes its `info`: the
 * socket's remote address, for `getRemoteAddress: (_request, info) => info.remoteAddress`.
 */
export interface NodeBridgeInfo {
  remoteAddress: string | undefined
}

/** A fetch handler, as `toFetchHandler()` returns it. */
export type FetchLike = (
  request: Request,
  env?: NodeBridgeInfo,
  ctx?: { waitUntil(promise: Promise<unknown>): void }
) => Response | Promise<Response>

/** A running bridge server. */
export interface NodeFetchServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Closes the listener and every open connection. */
  close(): Promise<void>
}

/** Where to listen. Tests use port 0 on 127.0.0.1. */
export interface ListenOptions {
  port?: number
  hostname?: string
}

/**
 * Most bytes of a cancelled request body still read and dropped before the connection is cut.
 * Destroying the request at once (what `Readable.toWeb()` does on cancel) destroys the socket
 * with body bytes still in flight, and the kernel resets the connection before the client has
 * read the response (RFC 9112 §9.6); reading a bounded rest keeps the answer deliverable.
 */
const DISCARD_MAX = 1024 * 1024

const ctx = { waitUntil: (promise: Promise<unknown>): void => void promise.catch(() => {}) }

/**
 * Serves `handler` with node:http. The request body is streamed in (`duplex: 'half'`), the
 * response body streamed out with backpressure, and a client that goes away aborts
 * `request.signal` and cancels the response body.
 */
export function startNodeFetchServer(
  handler: FetchLike,
  { port = 0, hostname = '127.0.0.1' }: ListenOptions = {}
): Promise<NodeFetchServer> {
  const server = createServer((req, res) => void bridge(handler, req, res))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, hostname, () => {
      const { port: actual } = server.address() as AddressInfo
      resolve({
        url: `http://${hostname}:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

async function bridge(
  handler: FetchLike,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const aborter = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort()
  })
  const method = req.method ?? 'GET'
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const hasBody = method !== 'GET' && method !== 'HEAD'
  let response: Response
  try {
    const request = new Request(`http://${req.headers.host ?? hostnameOf(req)}${req.url ?? '/'}`, {
      method,
      headers,
      body: hasBody ? bodyStream(req) : null,
      duplex: 'half',
      signal: aborter.signal,
    } as RequestInit)
    response = await handler(request, { remoteAddress: req.socket.remoteAddress }, ctx)
  } catch {
    res.writeHead(500).end()
    return
  }
  const out: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  try {
    res.writeHead(response.status, out)
  } catch {
    // node:http refused a header (name or value): answer 500 rather than crash the test run.
    res.writeHead(500).end()
    return
  }
  const body = response.body
  if (body === null || method === 'HEAD') {
    res.end()
    return
  }
  const reader = body.getReader()
  aborter.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}))
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      if (res.destroyed) return
      if (!res.write(value)) {
        await new Promise((resume) => {
          res.once('drain', resume)
          res.once('close', resume)
        })
      }
    }
    res.end()
  } catch {
    res.destroy()
  }
}

/**
 * The request body as a byte stream, pulled with backpressure. Cancelling it (the gateway does
 * past the body limit) drops the rest of the body, up to {@link DISCARD_MAX}, instead of
 * destroying the request and with it the socket.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause()
        req.on('data', (chunk: Buffer) => {
          if (settled) return
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
          if ((controller.desiredSize ?? 0) <= 0) req.pause()
        })
        req.once('end', () => {
          if (settled) return
          settled = true
          controller.close()
        })
        req.once('close', () => {
          if (settled) return
          settled = true
          // The client went away mid-body.
          controller.error(new Error('The request body was cut short: the client disconnected.'))
        })
      },
      pull() {
        req.resume()
      },
      cancel() {
        settled = true
        let dropped = 0
        req.on('data', (chunk: Buffer) => {
          dropped += chunk.byteLength
          if (dropped > DISCARD_MAX) req.socket.destroy()
        })
        req.resume()
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength }
  )
}

function hostnameOf(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? '127.0.0.1'
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`
}

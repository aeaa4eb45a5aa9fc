/**
 * Test helpers: a raw HTTP/1.1 client over `node:net` (for malformed input, keep-alive and
 * pipelining), a tiny app whose routes are a request-phase middleware, and server bookkeeping.
 */
import net from 'node:net'
import { createApp, type App, type CycleRequest, type CycleResponse } from '@cycle/core'
import { serve } from '../serve'
import type { ServeOptions, ServerHandle } from '../options'

/** One parsed HTTP/1.1 response. */
export interface RawResponse {
  status: number
  headers: [string, string][]
  body: Buffer
  text: string
  /** The value of `name` (lower case), several joined with `, `; `undefined` when absent. */
  header(name: string): string | undefined
  /** Every value of `name`. */
  all(name: string): string[]
}

/** An app whose routes are looked up by exact path in a request-phase middleware. */
export function routesApp(
  table: Record<string, (request: CycleRequest) => CycleResponse | Promise<CycleResponse>>,
  options: { bodyLimit?: number } = {}
): App {
  return createApp({
    urls: [],
    bodyLimit: options.bodyLimit,
    middleware: [
      {
        name: 'router',
        request: (request: CycleRequest) => table[request.path]?.(request),
      },
    ],
  }) as App
}

const servers = new Set<ServerHandle>()

/** Starts `app` on 127.0.0.1:0; {@link closeAll} stops it. */
export async function start(
  app: Parameters<typeof serve>[0],
  options: ServeOptions = {}
): Promise<ServerHandle> {
  const handle = await serve(app, {
    port: 0,
    hostname: '127.0.0.1',
    shutdownTimeout: 2_000,
    ...options,
  })
  servers.add(handle)
  return handle
}

/** Closes every server {@link start} opened (for `afterEach`). */
export async function closeAll(): Promise<void> {
  const list = [...servers]
  servers.clear()
  await Promise.all(list.map((s) => s.close({ timeout: 500 }).catch(() => {})))
}

/** A raw client: write bytes, read whole responses one at a time. */
export class RawClient {
  readonly socket: net.Socket
  #buffer: Buffer = Buffer.alloc(0)
  #closed = false
  #waiters: (() => void)[] = []
  /** Resolves when the server closes the connection (or it resets). */
  readonly closed: Promise<void>

  private constructor(socket: net.Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk])
      this.#wake()
    })
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#closed = true
        this.#wake()
        resolve()
      })
    })
    socket.on('error', () => {})
  }

  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)))
      socket.once('error', reject)
    })
  }

  /** Whether the server closed the connection. */
  get isClosed(): boolean {
    return this.#closed
  }

  /** Sends raw bytes. */
  write(data: string | Buffer): void {
    this.socket.write(data)
  }

  /** Reads the next complete response (`head`: it has no body whatever its headers say). */
  async response(options: { head?: boolean } = {}): Promise<RawResponse> {
    for (;;) {
      const parsed = parse(this.#buffer, this.#closed, options.head === true)
      if (parsed !== null) {
        this.#buffer = this.#buffer.subarray(parsed.used)
        return parsed.response
      }
      if (this.#closed)
        throw new Error(
          `Connection closed before a full response: ${JSON.stringify(this.#buffer.toString())}`
        )
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  /** Everything received and not parsed yet. */
  get pending(): string {
    return this.#buffer.toString()
  }

  /** Closes the client side. */
  destroy(): void {
    this.socket.destroy()
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w()
  }
}

/** Sends `data` on a fresh connection and reads one response. */
export async function rawRequest(
  port: number,
  data: string | Buffer,
  options: { head?: boolean } = {}
): Promise<RawResponse> {
  const client = await RawClient.connect(port)
  try {
    client.write(data)
    return await client.response(options)
  } finally {
    client.destroy()
  }
}

function parse(
  buf: Buffer,
  closed: boolean,
  head: boolean
): { response: RawResponse; used: number } | null {
  const end = buf.indexOf('\r\n\r\n')
  if (end === -1) return null
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number((lines[0] ?? '').split(' ')[1])
  const headers: [string, string][] = lines.slice(1).map((l) => {
    const i = l.indexOf(':')
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]
  })
  const get = (n: string): string | undefined => headers.find(([k]) => k === n)?.[1]
  let offset = end + 4
  let body: Buffer
  if (head || status === 204 || status === 304 || status < 200) body = Buffer.alloc(0)
  else if (get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = []
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', offset)
      if (lineEnd === -1) return null
      const size = parseInt(buf.subarray(offset, lineEnd).toString(), 16)
      if (buf.length < lineEnd + 2 + size + 2) return null
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size))
      offset = lineEnd + 2 + size + 2
      if (size === 0) break
    }
    body = Buffer.concat(parts)
  } else if (get('content-length') !== undefined) {
    const n = Number(get('content-length'))
    if (buf.length < offset + n) return null
    body = buf.subarray(offset, offset + n)
    offset += n
  } else {
    if (!closed) return null
    body = buf.subarray(offset)
    offset = buf.length
  }
  const response: RawResponse = {
    status,
    headers,
    body,
    text: body.toString(),
    header: (n) => {
      const values = headers.filter(([k]) => k === n).map(([, v]) => v)
      return values.length ? values.join(', ') : undefined
    },
    all: (n) => headers.filter(([k]) => k === n).map(([, v]) => v),
  }
  return { response, used: offset }
}

/** Resolves once `predicate()` holds, checking every few milliseconds (bounded by the test timeout). */
export async function until(predicate: () => boolean, everyMs = 5): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, everyMs))
}

/** A promise plus its resolver. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

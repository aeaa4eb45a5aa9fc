/**
 * @module
 * A raw HTTP/1.1 exchange over a TCP socket, for the scenarios `fetch` cannot express: a client
 * library merges or cleans repeated fields (two `Host` lines, two `Authorization` lines), so those
 * bytes have to be written by hand. The socket comes from `node:net`, which Node, Bun and Deno
 * all provide to the test process; it is imported on first use (and typed structurally here), so
 * the rest of this package stays free of `node:*` and its build keeps `"types": []`.
 */
import { AssertionError } from './assert'

/** One HTTP/1.1 response read off the socket. */
export interface RawResponse {
  status: number
  /** Field names in lower case, several of one name joined with `, `. */
  headers: Record<string, string>
  body: string
}

/** The part of `node:net` used here. */
interface NetSocket {
  setEncoding(encoding: 'latin1'): void
  on(event: 'data', listener: (chunk: string) => void): void
  on(event: 'end' | 'close', listener: () => void): void
  on(event: 'error', listener: (error: Error) => void): void
  write(data: string): void
  end(data: string): void
  destroy(): void
}
interface NetModule {
  connect(options: { host: string; port: number }, connected: () => void): NetSocket
}

// A variable specifier: neither the type checker nor a bundler resolves it ahead of time.
const NET = 'node:net'

/**
 * Sends `head` (the request line and fields, without the final empty line, lines joined with
 * CRLF) plus `body` to `baseUrl`'s host and port (plain TCP: an `http:` base URL), and reads one
 * response: framed by
 * `Content-Length`, or up to the close. Bounded by `timeoutMs`; a connection reset before any
 * status line is an error naming `what`.
 */
export async function rawExchange(
  baseUrl: string,
  head: string[],
  what: string,
  body = '',
  timeoutMs = 5000
): Promise<RawResponse> {
  const net = (await import(/* @vite-ignore */ NET)) as NetModule
  const url = new URL(baseUrl)
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const bytes = head.join('\r\n') + '\r\n\r\n' + body
  return new Promise((resolve, reject) => {
    let received = ''
    let settled = false
    const finish = (error: Error | null, response?: RawResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error !== null) reject(error)
      else resolve(response as RawResponse)
    }
    // The socket first: `connect` may throw (a bad port), and then no timer may be left behind.
    const socket = net.connect({ host: url.hostname, port }, () => {
      socket.write(bytes)
    })
    const timer = setTimeout(() => {
      finish(new AssertionError(`${what}: no whole response within ${timeoutMs} ms: ${received}`))
    }, timeoutMs)
    socket.setEncoding('latin1')
    const tryParse = (closed: boolean): void => {
      const end = received.indexOf('\r\n\r\n')
      if (end === -1) {
        if (closed) finish(new AssertionError(`${what}: the connection closed with ${received}`))
        return
      }
      const lines = received.slice(0, end).split('\r\n')
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')
      if (status === null) {
        finish(new AssertionError(`${what}: not an HTTP/1 status line: ${lines[0]}`))
        return
      }
      const headers: Record<string, string> = {}
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        const name = line.slice(0, colon).trim().toLowerCase()
        const value = line.slice(colon + 1).trim()
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value
      }
      const rest = received.slice(end + 4)
      const length = headers['content-length']
      const code = Number(status[1])
      if (length !== undefined && rest.length >= Number(length)) {
        finish(null, { status: code, headers, body: utf8(rest.slice(0, Number(length))) })
      } else if (
        /chunked/i.test(headers['transfer-encoding'] ?? '') &&
        /(^|\r\n)0\r\n\r\n$/.test(rest)
      ) {
        finish(null, { status: code, headers, body: utf8(unchunk(rest)) })
      } else if (closed) {
        finish(null, { status: code, headers, body: utf8(rest) })
      }
    }
    socket.on('data', (chunk) => {
      received += chunk
      tryParse(false)
    })
    socket.on('end', () => tryParse(true))
    socket.on('close', () => tryParse(true))
    socket.on('error', (error) => {
      if (received === '') finish(new AssertionError(`${what}: ${error.message}`))
      else tryParse(true)
    })
  })
}

/** Decodes a latin1 string of UTF-8 bytes. */
function utf8(latin1: string): string {
  return new TextDecoder().decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)))
}

/** The data of a whole chunked body (no trailers, no extensions: enough for the tests). */
function unchunk(body: string): string {
  let out = ''
  let i = 0
  for (;;) {
    const eol = body.indexOf('\r\n', i)
    const size = parseInt(body.slice(i, eol), 16)
    if (!(size > 0)) return out
    out += body.slice(eol + 2, eol + 2 + size)
    i = eol + 2 + size + 2
  }
}

/**
 * A raw HTTP/2 client for one request, for what node's own client refuses to send (a repeated
 * `authorization`: ERR_HTTP2_HEADER_SINGLE_VALUE). It writes the frames by hand (HPACK literals,
 * no Huffman, no table) over TLS with ALPN h2, and reads the response status (when the server
 * sends it as an indexed static-table entry, as nghttp2 does for 200, 204, 400, 404 and 500)
 * and the body; a request the server resets (RST_STREAM, GOAWAY) reads as status 0.
 */
import tls from 'node:tls'

/** HPACK static table entries 8 to 14 (RFC 7541 Appendix A). */
const STATUS: Record<number, number> = { 8: 200, 9: 204, 10: 206, 11: 304, 12: 400, 13: 404, 14: 500 }

function literal(name: string, value: string): Buffer {
  const n = Buffer.from(name)
  const v = Buffer.from(value)
  if (n.length > 126 || v.length > 126) throw new Error('h2-raw: fields up to 126 bytes only')
  // Literal header field without indexing, new name (RFC 7541 §6.2.2), 7-bit lengths.
  return Buffer.concat([Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v])
}

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9)
  head.writeUIntBE(payload.length, 0, 3)
  head[3] = type
  head[4] = flags
  head.writeUInt32BE(stream, 5)
  return Buffer.concat([head, payload])
}

/** Sends one GET with exactly `fields` (pseudo-headers included) and reads status and body. */
export function h2Raw(
  port: number,
  ca: string,
  fields: [string, string][]
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca, ALPNProtocols: ['h2'] })
    let buffer = Buffer.alloc(0)
    let status = 0
    let body = ''
    socket.on('secureConnect', () => {
      const block = Buffer.concat(fields.map(([n, v]) => literal(n, v)))
      const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')
      // SETTINGS (empty), then HEADERS on stream 1 with END_STREAM | END_HEADERS.
      socket.write(Buffer.concat([preface, frame(4, 0, 0, Buffer.alloc(0)), frame(1, 0x5, 1, block)]))
    })
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      while (buffer.length >= 9) {
        const length = buffer.readUIntBE(0, 3)
        if (buffer.length < 9 + length) break
        const [type, flags] = [buffer[3] as number, buffer[4] as number]
        const payload = buffer.subarray(9, 9 + length)
        buffer = buffer.subarray(9 + length)
        if (type === 4 && (flags & 1) === 0) socket.write(frame(4, 1, 0, Buffer.alloc(0))) // ACK
        if (type === 3 || type === 7) {
          // RST_STREAM or GOAWAY: the server (nghttp2) refused the request as malformed.
          socket.destroy()
          resolve({ status: 0, body: type === 3 ? 'RST_STREAM' : 'GOAWAY' })
        }
        if (type === 1) status = STATUS[(payload[0] as number) & 0x7f] ?? -1
        if (type === 0) body += payload.toString()
        if ((type === 0 || type === 1) && (flags & 1) === 1) {
          socket.destroy()
          resolve({ status, body })
        }
      }
    })
    socket.on('error', reject)
    socket.on('close', () => reject(new Error(`h2-raw: closed early (status ${status})`)))
  })
}

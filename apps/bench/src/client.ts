/**
 * @module
 * A small keep-alive load client on `node:http`: a fixed number of requests over a fixed number
 * of connections (each connection sends its next request once the previous answer is read).
 * Used where the count must be exact (callgrind, memory); autocannon does the timed runs.
 */
import { Agent, request } from 'node:http'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { Probe } from './servers'

/** A full answer, for the identity check (the body decoded when it came compressed). */
export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A body as sent, decoded by its `Content-Encoding` (gzip, deflate, br). */
function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body)
  if (encoding === 'deflate') return inflateSync(body)
  if (encoding === 'br') return brotliDecompressSync(body)
  return body
}

/** Sends one request; resolves with the whole answer. Bounded by `timeout` ms. */
export function fetchOnce(
  port: number,
  probe: Pick<Probe, 'path' | 'headers'>,
  agent?: Agent,
  timeout = 10_000
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: probe.path, headers: probe.headers, agent: agent ?? false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: decode(Buffer.concat(chunks), res.headers['content-encoding']),
          })
        )
        res.on('error', reject)
      }
    )
    req.setTimeout(timeout, () =>
      req.destroy(new Error(`no answer to ${probe.path} in ${timeout} ms`))
    )
    req.on('error', reject)
    req.end()
  })
}

/**
 * Sends exactly `count` requests for `probe` over `connections` keep-alive connections.
 * Rejects on the first non-2xx answer or socket error.
 */
export async function sendRequests(
  port: number,
  probe: Probe,
  count: number,
  connections = 1,
  timeout = 120_000
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let left = count
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left--
      const answer = await fetchOnce(port, probe, agent, timeout)
      if (answer.status >= 300) throw new Error(`${probe.path} answered ${answer.status}`)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(connections, count) }, worker))
  } finally {
    agent.destroy()
  }
}

/**
 * The JIT warm-up: `countEach` requests per probe, the probes interleaved (r1, r2, r3, r1, …), on
 * a fresh keep-alive connection every `perConnection` requests. Interleaving is what a live server
 * sees, and it lets every server's JIT settle on code that serves all routes before anything is
 * counted; several connections do the same for per-socket state. Warming one route after another
 * on a single connection instead leaves deoptimisation and recompilation (node's stream code
 * deoptimises on the first new socket, a framework's on the first new route) to happen inside
 * whichever measurement comes first.
 */
export async function warmUp(
  port: number,
  probes: readonly Probe[],
  countEach: number,
  perConnection = 500,
  timeout = 120_000
): Promise<void> {
  const total = countEach * probes.length
  for (let sent = 0; sent < total; ) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < perConnection && sent < total; i++, sent++) {
        const probe = probes[sent % probes.length] as Probe
        const answer = await fetchOnce(port, probe, agent, timeout)
        if (answer.status >= 300) throw new Error(`${probe.path} answered ${answer.status}`)
      }
    } finally {
      agent.destroy()
    }
  }
}

/**
 * @module
 * A small keep-alive load client on `node:http`: a fixed number of requests over a fixed number
 * of connections (each connection sends its next request once the previous answer is read).
 * Used where the count must be exact (callgrind, memory); autocannon does the timed runs.
 */
import { Agent, request } from 'node:http'
import type { Probe } from './servers'

/** A full answer, for the identity check. */
export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
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
            body: Buffer.concat(chunks),
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

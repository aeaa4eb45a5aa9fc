/**
 * @module
 * The soak's server process (run with `--expose-gc`): serves the soak app through gateway-node on
 * 127.0.0.1, prints `{"port":…}` once it listens, and answers each `stats` line on stdin with one
 * JSON line of counters and memory (`gc` runs a full GC first), so the load generator samples
 * this process's RSS, not its own. SIGTERM closes it gracefully.
 */
import { serve } from '@cycle/gateway-node'
import { createInterface } from 'node:readline'
import { SOAK_TIMEOUTS, createSoakApp, soakServeOptions } from './target'

/** One `stats` answer. */
export interface ServerStats {
  /** Responses the app finished (requestFinished). */
  served: number
  /** Of those, how many were 5xx. */
  status5xx: number
  /** Errors the app reported (requestException): thrown during or after the cycle. */
  exceptions: number
  /** Requests node's parser refused before the app saw them ('clientError'). */
  clientErrors: number
  rss: number
  heapUsed: number
}

const app = createSoakApp()
const stats: ServerStats = {
  served: 0,
  status5xx: 0,
  exceptions: 0,
  clientErrors: 0,
  rss: 0,
  heapUsed: 0,
}
app.on('requestFinished', (_request, response) => {
  stats.served++
  if (response.status >= 500) stats.status5xx++
})
app.on('requestException', () => void stats.exceptions++)

// The parent may shorten the timeouts (the short soak in the test suite does).
const timeouts = process.env['CYCLE_SOAK_TIMEOUTS']
const server = await serve(
  app,
  soakServeOptions(timeouts === undefined ? SOAK_TIMEOUTS : JSON.parse(timeouts))
)
server.server.on('clientError', () => void stats.clientErrors++)
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)

const gc = (globalThis as { gc?: () => void }).gc
// `stats` samples as is (cheap, during the load); `gc` collects first (before and after it).
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim()
  if (command !== 'stats' && command !== 'gc') return
  if (command === 'gc') gc?.()
  const memory = process.memoryUsage()
  stats.rss = memory.rss
  stats.heapUsed = memory.heapUsed
  process.stdout.write(`${JSON.stringify({ stats })}\n`)
})
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1)
  )
})

/**
 * @module
 * gateway-fetch on Bun: `Bun.serve` hands each Request straight to the fetch handler.
 * Prints `{"port": N}` once listening; the launcher waits for that line.
 */
import { handler } from './fetch-handler'

// Bun has no ExecutionContext; background work simply runs on, errors reported on stderr.
const ctx: ConformanceExecutionContext = {
  waitUntil: (promise) => void promise.catch((error: unknown) => console.error(error)),
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request) => handler(request, {}, ctx),
})
console.log(JSON.stringify({ port: server.port }))

/**
 * @module
 * gateway-fetch on Bun: `Bun.serve` hands each Request straight to the fetch handler, with the
 * server as the second argument (the client address comes from `server.requestIP()`).
 * Prints `{"port": N}` once listening; the launcher waits for that line.
 */
import { createHandler } from './fetch-handler'

// Bun has no ExecutionContext; background work simply runs on, errors reported on stderr.
const ctx: ConformanceExecutionContext = {
  waitUntil: (promise) => void promise.catch((error: unknown) => console.error(error)),
}

const handler = createHandler<BunServer>((request, server) => server.requestIP(request)?.address)

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request, server) => handler(request, server, ctx),
})
console.log(JSON.stringify({ port: server.port }))

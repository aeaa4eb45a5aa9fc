/**
 * @module
 * gateway-fetch on Deno: `Deno.serve` hands each Request straight to the fetch handler.
 * Prints `{"port": N}` once listening; the launcher waits for that line.
 */
import { handler } from './fetch-handler'

// Deno has no ExecutionContext; background work simply runs on, errors reported on stderr.
const ctx: ConformanceExecutionContext = {
  waitUntil: (promise) => void promise.catch((error: unknown) => console.error(error)),
}

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(JSON.stringify({ port })),
  },
  (request) => handler(request, {}, ctx)
)

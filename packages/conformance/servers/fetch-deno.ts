/**
 * @module
 * gateway-fetch on Deno: `Deno.serve` hands each Request straight to the fetch handler, with
 * `info` as the second argument (the client address is `info.remoteAddr.hostname`).
 * Prints `{"port": N}` once listening; the launcher waits for that line.
 */
import { createHandler } from './fetch-handler'

// Deno has no ExecutionContext; background work simply runs on, errors reported on stderr.
const ctx: ConformanceExecutionContext = {
  waitUntil: (promise) => void promise.catch((error: unknown) => console.error(error)),
}

const handler = createHandler<DenoServeInfo>((_request, info) => info.remoteAddr.hostname)

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(JSON.stringify({ port })),
  },
  (request, info) => handler(request, info, ctx)
)

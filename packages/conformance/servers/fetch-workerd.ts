/**
 * @module
 * gateway-fetch on workerd, as a Workers ES module. The socket (127.0.0.1 and a port chosen by the
 * launcher) is declared in the generated `config.capnp`, not here.
 */
import { createHandler } from './fetch-handler'

// A Worker is told no socket address (on Cloudflare the client is the CF-Connecting-IP header,
// which the edge sets). The trustProxy list and function forms therefore trust no hop here.
const handler = createHandler<unknown>(() => undefined)

/** The Worker: workerd calls `fetch(request, env, ctx)` for each request on the socket. */
const worker: {
  fetch(
    request: Request,
    env: unknown,
    ctx: ConformanceExecutionContext
  ): Response | Promise<Response>
} = {
  fetch: (request, env, ctx) => handler(request, env, ctx),
}

export default worker

/**
 * The few Bun and Deno globals the server entries use. Declared here rather than pulling in
 * @types/bun and Deno's lib, which would also redeclare fetch, Request and Response.
 */

/** The part of a Workers ExecutionContext that gateway-fetch uses (its third argument). */
interface ConformanceExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

/** The part of Bun's `Server` the entry uses: the client address of a request. */
interface BunServer {
  requestIP(request: Request): { address: string } | null
}

/** The part of Deno's `ServeHandlerInfo` the entry uses. */
interface DenoServeInfo {
  remoteAddr: { hostname: string }
}

declare const Bun: {
  serve(options: {
    hostname: string
    port: number
    fetch(request: Request, server: BunServer): Response | Promise<Response>
  }): { port: number; stop(): void }
}

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request, info: DenoServeInfo) => Response | Promise<Response>
  ): unknown
}

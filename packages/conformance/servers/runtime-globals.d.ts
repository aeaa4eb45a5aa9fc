/**
 * The few Bun and Deno globals the server entries use. Declared here rather than pulling in
 * @types/bun and Deno's lib, which would also redeclare fetch, Request and Response.
 */

/** The part of a Workers ExecutionContext that gateway-fetch uses (its third argument). */
interface ConformanceExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

declare const Bun: {
  serve(options: {
    hostname: string
    port: number
    fetch(request: Request, server: unknown): Response | Promise<Response>
  }): { port: number; stop(): void }
}

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>
  ): unknown
}

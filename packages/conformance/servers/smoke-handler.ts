/**
 * @module
 * A trivial fetch handler, bundled in place of `fetch-handler.ts` to test the launchers themselves
 * without any Cycle code: it answers `ok <runtime>` so a test can tell which runtime replied.
 */

/** Same shape as `fetch-handler.ts`: answers every request with `ok` and the runtime's user agent. */
export function createHandler(): (request: Request) => Promise<Response> {
  return async (request) =>
    new Response(`ok ${new URL(request.url).pathname} ${navigator.userAgent}`, {
      headers: { 'content-type': 'text/plain' },
    })
}

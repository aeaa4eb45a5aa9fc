/**
 * @module
 * A Cycle app with `compress()` behind gateway-fetch, bundled in place of `fetch-handler.ts` by
 * `src/compress.test.ts`: the same middleware meets `node:zlib` (Node 24, Bun, Deno) or
 * `CompressionStream` (workerd), and the runtime's own response writer.
 */
import { createApp, path, stream, text } from '@cycle/core'
import { toFetchHandler } from '@cycle/gateway-fetch'
import { compress } from '@cycle/middleware-compress'
import { BIG } from './compress-data'

/** gateway-fetch over a small app with `compress()` (the second argument is ignored). */
export function createHandler(): (request: Request) => Response | Promise<Response> {
  const app = createApp({
    middleware: [compress()],
    urls: [
      path('text/', () => text(BIG)),
      path('stream/', () =>
        stream(
          (async function* () {
            for (let i = 0; i < 20; i++) yield BIG.slice(i * 260, (i + 1) * 260)
          })(),
          { headers: { 'content-type': 'text/plain; charset=utf-8' } }
        )
      ),
      path('sse/', () =>
        stream(
          (async function* () {
            yield `data: ${BIG}\n\n`
          })(),
          { headers: { 'content-type': 'text/event-stream' } }
        )
      ),
    ],
  })
  const handle = toFetchHandler(app)
  return (request) => handle(request)
}

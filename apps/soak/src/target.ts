/**
 * @module
 * The app under soak: core, the format middleware and JWT authentication over gateway-node, with
 * one route per kind of work a hostile request can reach (plain text, a typed parameter, a JSON
 * body, a `<path:…>` parameter, a guarded route, a long streamed answer, a very long one for
 * clients that stop reading, a slow view).
 */
import { createApp, path, stream, text, type App, type CycleRequest } from '@cycle/core'
import type { ServeOptions } from '@cycle/gateway-node'
import { authenticate, jwtBackend, requireAuth } from '@cycle/middleware-auth'
import { format } from '@cycle/middleware-format'

/** The HS256 secret the soak signs its tokens with (test data, not a secret). */
export const SOAK_SECRET = 'cycle-soak-secret-that-is-32-bytes!!'
/** Body limit of `POST /echo/`, small so that "oversized" needs few bytes. */
export const ECHO_LIMIT = 8 * 1024
/** Size of `GET /stream/`: 64 chunks of 16 KiB, more than the socket buffers hold. */
export const STREAM_CHUNKS = 64
const CHUNK = new Uint8Array(16 * 1024).fill(120)
/**
 * Most of `GET /feed/`: 256 chunks of 64 KiB (16 MiB), far more than the kernel holds for a
 * client that stops reading (about 4 MiB of send buffer and a small receive window on loopback),
 * so bytes stay queued in node and the send timeout has something to cut.
 */
export const FEED_CHUNKS = 256
const FEED_CHUNK = new Uint8Array(64 * 1024).fill(121)

/** Header, request and send timeouts of the soak server, in ms. */
export interface SoakTimeouts {
  headers: number
  request: number
  /** `timeouts.send`: a client that stops reading a response is reset after this long. */
  send: number
}

/**
 * The soak's timeouts: short, so that slowloris, stalled bodies and clients that stop reading are
 * cut within seconds (the defaults are 60 s, 300 s and 60 s). The short soak in the test suite
 * shortens them again.
 */
export const SOAK_TIMEOUTS: SoakTimeouts = { headers: 2_000, request: 5_000, send: 2_000 }

/** Server options of the soak. */
export function soakServeOptions(timeouts: SoakTimeouts = SOAK_TIMEOUTS): ServeOptions {
  return {
    hostname: '127.0.0.1',
    port: 0,
    timeouts: { ...timeouts, keepAlive: 5_000 },
    shutdownTimeout: 5_000,
  }
}

async function* chunks(
  request: CycleRequest,
  n = STREAM_CHUNKS,
  chunk = CHUNK
): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < n && !request.signal.aborted; i++) yield chunk
}

/** Creates the soak app. */
export function createSoakApp(): App {
  return createApp({
    allowedHosts: ['127.0.0.1', 'localhost'],
    middleware: [
      format(),
      authenticate({ backends: [jwtBackend({ secret: SOAK_SECRET, algorithms: ['HS256'] })] }),
    ],
    urls: [
      path('', () => text('ok')),
      path('items/<int:id>/', (r) => ({ id: r.params.id })),
      path(
        'echo/',
        async (r) => {
          const body = (await r.json()) as Record<string, unknown> | null
          return { keys: body === null || typeof body !== 'object' ? [] : Object.keys(body) }
        },
        { methods: ['POST'], bodyLimit: ECHO_LIMIT }
      ),
      path('files/<path:rest>', (r) => ({ rest: r.params.rest })),
      path('me/', (r) => ({ sub: (r.state as { user?: { sub?: string } }).user?.sub }), {
        middleware: [requireAuth()],
      }),
      path('stream/', (r) => stream(chunks(r))),
      path('feed/', (r) => stream(chunks(r, FEED_CHUNKS, FEED_CHUNK))),
      path('slow/', async (r) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 20)
          r.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
        })
        return text('slow')
      }),
    ],
  }) as unknown as App
}

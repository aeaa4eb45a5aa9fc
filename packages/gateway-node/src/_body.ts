/**
 * The request body as an async iterable over the `IncomingMessage`.
 *
 * Two differences from iterating the message directly:
 * - stopping early (core does it past the body limit) does not destroy the message: node would
 *   tear down the socket with it, and the client would get a reset instead of the 413;
 * - a client that goes away mid-upload surfaces as a 400 (`cause` kept), not as a bare
 *   `ECONNRESET` that would look like a server bug (500).
 */
import type { IncomingMessage } from 'node:http'
import { BadRequest } from '@cycle/core'

/** Wraps the message's body for `CycleRequest.openBody()`. */
export function readBody(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const it = req.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>
      return {
        next: () => it.next().catch(aborted),
        return: async (value?: unknown) => {
          await it.return?.(value)
          return { done: true, value: undefined }
        },
      }
    },
  }
}

function aborted(cause: unknown): never {
  throw new BadRequest(
    'The request body could not be read: the client closed the connection or sent a malformed body.',
    {
      cause,
    }
  )
}

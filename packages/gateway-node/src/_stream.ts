/**
 * Streams a response body (a `ReadableStream` or an async iterable) to node with backpressure:
 * one chunk is pulled at a time, and when `res.write()` says the socket buffer is full the next
 * pull waits for `'drain'`. A client that goes away stops the loop and cancels the source (an
 * async generator's `finally` runs). A source that fails after the headers went out resets the
 * connection, the only way to tell the client the body is incomplete.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import {
  InternalServerError,
  type BodyInit,
  type CycleRequest,
  type CycleResponse,
} from '@cycle/core'
import { responseForError } from '@cycle/core/gateway'
import { report, type GatewayContext } from './_context'
import { isComplete, release, writeHead, writeResponse, type Leftover } from './send'

type Source = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>
type Chunk = Uint8Array | string

const noop = (): void => {}

function iteratorOf(source: Source): AsyncIterator<Chunk> {
  if (source instanceof ReadableStream) {
    const reader = source.getReader()
    return {
      next: () => reader.read() as Promise<IteratorResult<Chunk>>,
      return: async () => {
        await reader.cancel()
        return { done: true, value: undefined }
      },
    }
  }
  return source[Symbol.asyncIterator]()
}

/** Releases a body that will not be sent (HEAD, 204/304, client gone), so its cleanup runs. */
export function cancelBody(body: BodyInit | undefined): void {
  if (body === null || body === undefined || typeof body === 'string') return
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return
  try {
    if (body instanceof ReadableStream) {
      if (!body.locked) body.cancel().catch(noop)
    } else {
      body[Symbol.asyncIterator]().return?.()?.catch(noop)
    }
  } catch {
    // A source that cannot even be cancelled has nothing left to clean up.
  }
}

/**
 * Ends a response whose body cannot be completed. HTTP/1: the bytes already written are flushed,
 * then the connection closes without the final chunk, which tells the client the body is
 * incomplete. HTTP/2: the stream is reset.
 */
function abortMessage(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.httpVersionMajor === 2 ? null : (res.socket as Socket | null)
  if (socket !== null) socket.destroySoon()
  else res.destroy()
}

/** Sends a streamed body. Never rejects. */
export async function pipeStream(
  req: IncomingMessage,
  res: ServerResponse,
  request: CycleRequest,
  response: CycleResponse,
  source: Source,
  ctx: GatewayContext
): Promise<void> {
  let gone = false
  let wake: (() => void) | null = null
  let it: AsyncIterator<Chunk> | undefined
  let stopped = false
  const stop = (): void => {
    if (stopped) return
    stopped = true
    try {
      it?.return?.()?.catch(noop)
    } catch {
      // Cancelling a broken source: nothing more to do.
    }
  }
  const onClose = (): void => {
    if (isComplete(res)) return
    gone = true
    stop()
    wake?.()
  }
  res.on('close', onClose)
  let leftover: Leftover = 0
  let headSent = false
  try {
    it = iteratorOf(source)
    let step: IteratorResult<Chunk>
    try {
      step = await it.next()
    } catch (error) {
      // Nothing is on the wire yet: the client can still get a proper 500.
      res.off('close', onClose)
      if (gone) return release(req, res, ctx, 0)
      report(ctx, error, request)
      const failure = new InternalServerError(
        'The response stream failed before its first chunk.',
        { cause: error }
      )
      await writeResponse(req, res, request, responseForError(request, failure, false), ctx)
      return
    }
    if (gone) return release(req, res, ctx, 0)
    leftover = writeHead(req, res, request, response, ctx, true)
    headSent = true
    while (step.done !== true) {
      if (!res.write(step.value)) {
        await new Promise<void>((resolve) => {
          wake = resolve
          res.once('drain', resolve)
        })
        wake = null
        if (gone) break
      }
      step = await it.next()
      if (gone) break
    }
    if (!gone) res.end()
    release(req, res, ctx, gone ? 0 : leftover)
  } catch (error) {
    if (!gone) report(ctx, error, request)
    stop()
    if (!headSent && !gone && !res.headersSent) {
      await writeResponse(
        req,
        res,
        request,
        responseForError(request, new InternalServerError(), false),
        ctx
      )
    } else {
      abortMessage(req, res)
      release(req, res, ctx, 0)
    }
  } finally {
    res.off('close', onClose)
  }
}

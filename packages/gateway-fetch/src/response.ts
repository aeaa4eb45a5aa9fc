/**
 * @module
 * `CycleResponse` → WHATWG `Response`, with what the fetch runtimes leave to the gateway:
 *
 * - HEAD carries the GET's `Content-Length` for string and byte bodies, and no body (RFC 9110
 *   §9.3.2: the same fields as GET; §8.6: a HEAD answer may state the length the GET would have
 *   had). Node, Bun, Deno and workerd all keep an explicit `content-length` on a null-body
 *   response, where they would otherwise send `0` or nothing. A streamed body is cancelled, and
 *   its HEAD states no length (an empty stream stands in for the body, or Bun and Deno say `0`).
 * - A streamed body that fails after the response went out is reported (the app's
 *   `requestException` listeners, then `onError`) before the runtime resets the connection; the
 *   runtime would otherwise swallow it.
 * - A body the app already encoded (`Content-Encoding` set, by a view with precompressed bytes or
 *   by `@cycle/middleware-compress`) goes out with workerd's `encodeBody: 'manual'`. By default
 *   workerd encodes a body itself to match `Content-Encoding` (gzip, br), so those bytes would be
 *   compressed twice (found by the conformance suite's compress scenario). Node, Bun and Deno
 *   ignore the member.
 */
import type { BodyInit, CycleRequest, CycleResponse } from '@cycle/core'
import { headerFields, iterableToStream } from '@cycle/core/gateway'

type Report = (error: unknown, request: CycleRequest) => void
type StreamBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/** Converts `response` for `request`; `report` hears about a stream failing mid-way. */
export function toWebResponse(
  response: CycleResponse,
  request: CycleRequest,
  report: Report
): Response {
  const body = response.body
  if (request.method === 'HEAD') {
    if (!frameHead(response)) return response.toResponse(true)
    // A streamed GET states no length, so neither may its HEAD. A null body would make Bun and
    // Deno send `Content-Length: 0`: an empty stream stands in (the runtime sends no body).
    const init = { status: response.status, headers: response.headers.toPairs() }
    if (encoded(response)) (init as { encodeBody?: string }).encodeBody = 'manual'
    return new Response(new ReadableStream({ start: (c) => c.close() }), init)
  }
  if (typeof body === 'string' || body === null || body === undefined) {
    return encoded(response) ? manual(response, body ?? null) : response.toResponse(false)
  }
  if (!(body instanceof Uint8Array || body instanceof ArrayBuffer)) {
    response.body = guarded(body, (error) => report(error, request))
  }
  return encoded(response) ? manual(response, response.body) : response.toResponse(false)
}

/** Whether the app says the body is already encoded (and the status allows a body). */
function encoded(response: CycleResponse): boolean {
  const status = response.status
  return (
    status >= 200 &&
    status !== 204 &&
    status !== 304 &&
    headerFields(response.headers)['content-encoding'] !== undefined
  )
}

/** The Response, with workerd told that the bytes are already encoded (see the module notes). */
function manual(response: CycleResponse, body: BodyInit | undefined): Response {
  if (body === undefined) body = response.render()
  const init = {
    status: response.status,
    headers: response.headers.toPairs(),
    encodeBody: 'manual',
  }
  return new Response(body as globalThis.BodyInit | null, init as ResponseInit)
}

/**
 * Sets the length the GET would have sent (unless the app set one) and releases a stream.
 * @returns whether the body was a stream without a stated length (the GET would have no length)
 */
function frameHead(response: CycleResponse): boolean {
  let body: BodyInit | undefined = response.body
  if (body === undefined) body = response.render()
  const status = response.status
  if (status === 204 || status === 304 || status < 200) return false
  const map = headerFields(response.headers)
  if (typeof body === 'string') map['content-length'] ??= String(utf8Length(body))
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    map['content-length'] ??= String(body.byteLength)
  } else if (body !== null) {
    cancel(body)
    return map['content-length'] === undefined
  }
  return false
}

/** UTF-8 byte length without encoding (the body is not sent, so it is never encoded). */
export function utf8Length(text: string): number {
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      // A surrogate pair: 2 UTF-16 units, 4 UTF-8 bytes.
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 2
        i++
      } else n += 2 // a lone surrogate is written as U+FFFD (3 bytes)
    } else n += 2
  }
  return n
}

function cancel(body: StreamBody): void {
  const noop = (): void => {}
  try {
    if (body instanceof ReadableStream) {
      if (!body.locked) body.cancel().catch(noop)
    } else body[Symbol.asyncIterator]().return?.()?.catch(noop)
  } catch {
    // A source that cannot even be cancelled has nothing left to clean up.
  }
}

/**
 * Passes `body` through chunk by chunk (pull-based: backpressure is kept) and calls `onFail`
 * once if the source fails. A client that goes away cancels the source; that is not a failure.
 */
function guarded(body: StreamBody, onFail: (error: unknown) => void): ReadableStream<Uint8Array> {
  const source = body instanceof ReadableStream ? body : iterableToStream(body)
  const reader = source.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: ReadableStreamReadResult<Uint8Array>
        try {
          step = await reader.read()
        } catch (error) {
          onFail(error)
          controller.error(error)
          return
        }
        if (step.done) controller.close()
        else controller.enqueue(step.value)
      },
      cancel(reason) {
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 }
  )
}

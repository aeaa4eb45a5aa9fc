/**
 * @module
 * `GET /inspector/events`: the feed as server-sent events, through core's `stream()` and an async
 * generator. The generator ends when the client goes away (`request.signal` aborts) or the feed
 * closes (shutdown), so no stream outlives its reader.
 */
import { stream, type CycleRequest, type CycleResponse } from '@cycle/core'
import type { InspectorFeed, TracedRequest } from './feed'

/** Seconds between keep-alive comments, so proxies do not drop an idle stream. */
const HEARTBEAT_MS = 15_000
/** A reader that falls this far behind loses the oldest events rather than growing memory. */
const MAX_QUEUE = 500

/** One SSE frame (`event`, `id`, one `data` line: JSON never contains a raw newline). */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`
}

/**
 * The SSE byte source for one reader: a `hello` event, the kept requests, then each new one.
 *
 * @param feed the feed to follow
 * @param signal ends the stream when it aborts
 * @param hello the first event's data (what the page needs to draw the stack)
 */
export async function* inspectorEvents(
  feed: InspectorFeed,
  signal: AbortSignal,
  hello: unknown
): AsyncGenerator<string> {
  // Snapshot and subscribe in the same tick, so no request falls between backlog and live feed.
  const backlog = feed.recent()
  const queue: TracedRequest[] = []
  let ended = false
  let wake: (() => void) | null = null
  const unsubscribe = feed.subscribe((event) => {
    if (event === null) ended = true
    else {
      queue.push(event)
      if (queue.length > MAX_QUEUE) queue.shift()
    }
    wake?.()
  })
  const onAbort = (): void => wake?.()
  signal.addEventListener('abort', onAbort)
  try {
    yield 'retry: 2000\n\n'
    yield sseFrame('hello', hello)
    for (const event of backlog) yield sseFrame('request', event, event.seq)
    while (!signal.aborted && !ended) {
      if (queue.length === 0) {
        let timer: ReturnType<typeof setTimeout> | undefined
        await new Promise<void>((resolve) => {
          wake = resolve
          timer = setTimeout(resolve, HEARTBEAT_MS)
        })
        clearTimeout(timer)
        wake = null
        if (queue.length === 0) {
          if (!signal.aborted && !ended) yield ': keep-alive\n\n'
          continue
        }
      }
      const event = queue.shift() as TracedRequest
      yield sseFrame('request', event, event.seq)
    }
  } finally {
    unsubscribe()
    signal.removeEventListener('abort', onAbort)
  }
}

/** The SSE view. */
export function eventsView(feed: InspectorFeed, hello: () => unknown) {
  return function events(request: CycleRequest): CycleResponse {
    return stream(inspectorEvents(feed, request.signal, hello()), {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Tells nginx-style proxies not to buffer the stream.
        'x-accel-buffering': 'no',
      },
    })
  }
}

/**
 * @module
 * The inspector's live feed. It listens to the app's `requestFinished` event and turns each
 * finished request into a {@link TracedRequest}: core's own phase trace (`request.trace`, recorded
 * with `createApp({ trace: true })`) plus the request line, the route and the status. Nothing is
 * measured here; the picture is drawn from core's trace alone.
 *
 * The last few requests are kept so a page that connects late still sees them, and every new one
 * is pushed to the subscribers (the SSE streams of `/inspector/events`).
 */
import type { App, CycleRequest, CycleResponse, TraceEntry } from '@cycle/core'

/** One finished request, as the inspector page receives it. */
export interface TracedRequest {
  /** Increasing per feed; the SSE event id. */
  seq: number
  /** `X-Request-Id` of the request (or the sequence number when there is none). */
  id: string
  /** Wall-clock time the request finished (ISO 8601). */
  at: string
  /** Which gateway brought it in (`@cycle/gateway-node`, `@cycle/gateway-fetch`). */
  gateway: string
  method: string
  target: string
  status: number
  /** What URL resolution matched, or `null` (404, 405, refused before resolution). */
  route: {
    pattern: string
    name: string | null
    qualifiedName: string | null
    params: Record<string, unknown>
  } | null
  /** The name the view's trace entry carries (the route's qualified name, else its pattern). */
  view: string | null
  /** The authenticated username, when there was one. */
  user: string | null
  /** The error's problem title and detail, for statuses ≥ 400. */
  problem: { title: string; detail: string | null } | null
  /** Core's trace, entry for entry. */
  trace: TraceEntry[]
  /** Milliseconds from the app's entry to the end of the last traced phase. */
  total: number
}

/** Options of {@link InspectorFeed}. */
export interface FeedOptions {
  /** Shown as the gateway of every request. */
  gateway: string
  /** Requests kept for late subscribers. Default 50. */
  capacity?: number
  /** Requests left out (the inspector's own page and stream). */
  exclude?: (request: CycleRequest) => boolean
}

/** A subscriber gets each request, then `null` once when the feed closes. */
export type FeedListener = (event: TracedRequest | null) => void

function problemOf(response: CycleResponse): TracedRequest['problem'] {
  if (response.status < 400) return null
  const data = response.data as { title?: unknown; detail?: unknown } | null | undefined
  if (typeof data !== 'object' || data === null) return null
  return {
    title: typeof data.title === 'string' ? data.title : '',
    detail: typeof data.detail === 'string' ? data.detail : null,
  }
}

/** Records finished requests and fans them out to subscribers. */
export class InspectorFeed {
  readonly gateway: string
  readonly #capacity: number
  readonly #exclude: (request: CycleRequest) => boolean
  readonly #recent: TracedRequest[] = []
  readonly #listeners = new Set<FeedListener>()
  #seq = 0
  #closed = false

  constructor(options: FeedOptions) {
    this.gateway = options.gateway
    this.#capacity = options.capacity ?? 50
    this.#exclude = options.exclude ?? (() => false)
  }

  /** Whether {@link InspectorFeed.close} was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** How many subscribers are listening (open SSE streams). */
  get subscribers(): number {
    return this.#listeners.size
  }

  /** Subscribes to `app`'s finished requests; returns the unsubscribe function. */
  attach(app: App<object>): () => void {
    return app.on('requestFinished', (request, response) => {
      this.record(request, response)
    })
  }

  /** Turns a finished request into an event and publishes it (unless excluded or untraced). */
  record(request: CycleRequest, response: CycleResponse): TracedRequest | null {
    if (this.#closed || request.trace === undefined || this.#exclude(request)) return null
    const trace = request.trace.map((t) => ({ ...t }))
    const route = request.route
    const state = request.state as {
      requestId?: unknown
      user?: { isAuthenticated?: boolean; username?: unknown }
    }
    const seq = ++this.#seq
    const event: TracedRequest = {
      seq,
      id: typeof state.requestId === 'string' ? state.requestId : String(seq),
      at: new Date().toISOString(),
      gateway: this.gateway,
      method: request.method,
      target: request.target,
      status: response.status,
      route:
        route === null
          ? null
          : {
              pattern: route.pattern,
              name: route.name ?? null,
              qualifiedName: route.qualifiedName ?? null,
              params: { ...(request.params as Record<string, unknown>) },
            },
      view: route === null ? null : (route.qualifiedName ?? route.pattern),
      user:
        state.user?.isAuthenticated === true && typeof state.user.username === 'string'
          ? state.user.username
          : null,
      problem: problemOf(response),
      trace,
      total: trace.reduce((end, t) => Math.max(end, t.start + t.duration), 0),
    }
    this.#recent.push(event)
    if (this.#recent.length > this.#capacity) this.#recent.shift()
    for (const listener of this.#listeners) listener(event)
    return event
  }

  /** The kept requests, oldest first. */
  recent(): TracedRequest[] {
    return [...this.#recent]
  }

  /** Adds a listener; returns the unsubscribe function. A closed feed calls it with `null` at once. */
  subscribe(listener: FeedListener): () => void {
    if (this.#closed) {
      listener(null)
      return () => {}
    }
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Ends every subscription (the SSE streams finish), e.g. before a graceful shutdown. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    for (const listener of this.#listeners) listener(null)
    this.#listeners.clear()
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest'
import { BODY_DRAIN_BUDGET, BODY_DRAIN_TIMEOUT } from './body'
import { CycleRequest, type RawBody } from './request'

/** A request over a given raw body, with optional headers. */
class SourceRequest extends CycleRequest {
  constructor(
    private readonly source: RawBody,
    private readonly hdrs: Record<string, string> = {}
  ) {
    super('POST', '/')
  }
  header(name: string): string | null {
    return this.hdrs[name] ?? null
  }
  get headers(): Headers {
    return new Headers(this.hdrs)
  }
  get signal(): AbortSignal {
    return new AbortController().signal
  }
  get protocol(): 'http' {
    return 'http'
  }
  get remoteAddress(): string {
    return '127.0.0.1'
  }
  protected openBody(): RawBody {
    return this.source
  }
}

/** A stream of `count` chunks of `size` bytes (endless when `count` is Infinity). */
function chunks(size: number, count: number) {
  const seen = { pulled: 0, cancelled: false, ended: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === count) {
          seen.ended = true
          return controller.close()
        }
        seen.pulled++
        controller.enqueue(new Uint8Array(size).fill(120))
      },
      cancel() {
        seen.cancelled = true
      },
    },
    { highWaterMark: 0 }
  )
  return { stream, seen }
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader()
  let total = 0
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return total
    total += value.byteLength
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the body limit drains a small overrun before the 413 (lingering close)', () => {
  it('bytes(): a chunked 3 KiB body over a 1 KiB limit is read to its end, then 413', async () => {
    const { stream, seen } = chunks(1024, 3)
    const r = new SourceRequest(stream)
    r.bodyLimit = 1024
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
    expect(seen.ended).toBe(true)
    expect(seen.cancelled).toBe(false)
  })

  it('body stream: the same overrun is read to its end before the stream errors with 413', async () => {
    const { stream, seen } = chunks(1024, 3)
    const r = new SourceRequest(stream)
    r.bodyLimit = 1024
    await expect(readStream(r.body as ReadableStream<Uint8Array>)).rejects.toMatchObject({
      status: 413,
    })
    expect(seen.ended).toBe(true)
    expect(seen.cancelled).toBe(false)
  })

  it('an async-iterable source (what gateway-node hands over) is drained too', async () => {
    let finished = false
    let returned = false
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 4; i++) yield new Uint8Array(1000)
        finished = true
      } finally {
        if (!finished) returned = true
      }
    }
    const r = new SourceRequest(body())
    r.bodyLimit = 1500
    await expect(r.text()).rejects.toMatchObject({ status: 413 })
    expect(finished).toBe(true)
    expect(returned).toBe(false)
  })

  it('bytes(): beyond the drain budget the source is cancelled, not read on', async () => {
    const { stream, seen } = chunks(4096, Infinity)
    const r = new SourceRequest(stream)
    r.bodyLimit = 1024
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
    expect(seen.cancelled).toBe(true)
    // limit + budget, plus the chunk that crossed each line
    expect(seen.pulled * 4096).toBeLessThanOrEqual(1024 + BODY_DRAIN_BUDGET + 2 * 4096)
    expect(seen.pulled * 4096).toBeGreaterThan(BODY_DRAIN_BUDGET)
  })

  it('body stream: beyond the drain budget the source is cancelled', async () => {
    const { stream, seen } = chunks(4096, Infinity)
    const r = new SourceRequest(stream)
    r.bodyLimit = 1024
    await expect(readStream(r.body as ReadableStream<Uint8Array>)).rejects.toMatchObject({
      status: 413,
    })
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled * 4096).toBeLessThanOrEqual(1024 + BODY_DRAIN_BUDGET + 2 * 4096)
  })

  it('a declared Content-Length over the limit is still refused before a byte is read', async () => {
    const { stream, seen } = chunks(1024, 3)
    const r = new SourceRequest(stream, { 'content-length': '3072' })
    r.bodyLimit = 1024
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
    expect(seen.pulled).toBe(0)
    expect(r.bodyUsed).toBe(true)
  })

  it('a client that stalls after the overrun does not hold the 413 back', async () => {
    vi.useFakeTimers()
    let sent = 0
    let cancelled = false
    const stalled = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          // Two chunks, then nothing more ever arrives (and the body never ends).
          if (sent < 2) controller.enqueue(new Uint8Array(1024))
          sent++
          return sent > 2 ? new Promise<void>(() => {}) : undefined
        },
        cancel() {
          cancelled = true
        },
      },
      { highWaterMark: 0 }
    )
    const r = new SourceRequest(stalled)
    r.bodyLimit = 1024
    const outcome = r.bytes().then(
      () => 'resolved',
      (error: { status?: number }) => error.status
    )
    await vi.advanceTimersByTimeAsync(BODY_DRAIN_TIMEOUT + 1)
    await expect(outcome).resolves.toBe(413)
    expect(cancelled).toBe(true)
  })

  it('a source failing while drained still gives the 413, not its own error', async () => {
    let n = 0
    const failing = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (n++ < 2) controller.enqueue(new Uint8Array(1024))
          else controller.error(new Error('connection reset by peer'))
        },
      },
      { highWaterMark: 0 }
    )
    const r = new SourceRequest(failing)
    r.bodyLimit = 1024
    await expect(r.bytes()).rejects.toMatchObject({ status: 413 })
  })

  it('a body exactly at the limit is not affected', async () => {
    const { stream, seen } = chunks(512, 2)
    const r = new SourceRequest(stream)
    r.bodyLimit = 1024
    expect((await r.bytes()).byteLength).toBe(1024)
    expect(seen.ended).toBe(true)
  })
})

/**
 * @module
 * A raw HTTP/1.1 client over `node:net`: it writes exactly the bytes given (a client library would
 * clean a hostile request up), with pauses, and reads whole responses back. Every wait is bounded.
 */
import net from 'node:net'

/** What one exchange produced. */
export interface Outcome {
  /** Status of each complete response read, in order. */
  statuses: number[]
  /** The server closed the connection. */
  closed: boolean
  /** A socket error (`ECONNRESET`, `EPIPE`, …), if one happened. */
  error: string | null
  /** The exchange hit its time limit. */
  timedOut: boolean
  /** Milliseconds from connect to the end of the exchange. */
  ms: number
  /**
   * With `readAfterStall`: the chunked answer ended before its last chunk (the server cut it);
   * otherwise `false`.
   */
  truncated: boolean
}

/** One step of what a client sends: bytes, or a pause in milliseconds. */
export type Step = string | Buffer | number

/** What to do on one fresh connection. */
export interface Exchange {
  send: readonly Step[]
  /** Responses to wait for (pipelining). Default 1. */
  responses?: number
  /** Half-close the connection after sending. */
  end?: boolean
  /** Read this many bytes of the answer, then leave (an abandoned response). */
  abandonAfter?: number
  /** Leave this long after the last step, whatever arrived: a client that goes away. */
  leaveAfterMs?: number
  /** Stop reading (no destroy) for this long before leaving: a client that stalls. */
  stallMs?: number
  /**
   * After the stall, read again instead of leaving, until the server closes the connection: did
   * it cut the client that stopped reading (`truncated`), or finish the (chunked) answer?
   */
  readAfterStall?: boolean
  /** Limit of the whole exchange. Default 10 000 ms. */
  timeoutMs?: number
}

interface Parsed {
  status: number
  used: number
}

/** Parses one response at the start of `buf` (1xx skipped); `null` when it is not complete. */
export function parseResponse(buf: Buffer, closed: boolean): Parsed | null {
  let offset = 0
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', offset)
    if (end === -1) return null
    const head = buf.subarray(offset, end).toString('latin1')
    const status = Number(head.slice(9, 12))
    let body = end + 4
    if (status >= 100 && status < 200) {
      offset = body
      continue
    }
    const lower = head.toLowerCase()
    const length = /\r\ncontent-length: *(\d+)/.exec(lower)
    if (status === 204 || status === 304) return { status, used: body }
    if (/\r\ntransfer-encoding: *chunked/.test(lower)) {
      for (;;) {
        const lineEnd = buf.indexOf('\r\n', body)
        if (lineEnd === -1) return null
        const size = parseInt(buf.subarray(body, lineEnd).toString('latin1'), 16)
        if (buf.length < lineEnd + 2 + size + 2) return null
        body = lineEnd + 2 + size + 2
        if (size === 0) return { status, used: body }
      }
    }
    if (length !== null) {
      const n = Number(length[1])
      return buf.length < body + n ? null : { status, used: body + n }
    }
    return closed ? { status, used: buf.length } : null
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs one exchange on a fresh connection to 127.0.0.1:`port`, and always closes it. */
export function exchange(port: number, ex: Exchange): Promise<Outcome> {
  const started = performance.now()
  const want = ex.responses ?? 1
  return new Promise((resolve) => {
    const outcome: Outcome = {
      statuses: [],
      closed: false,
      error: null,
      timedOut: false,
      ms: 0,
      truncated: false,
    }
    const socket = net.connect(port, '127.0.0.1')
    // Several steps are several writes: without this, each waits for the last one's ACK.
    socket.setNoDelay(true)
    let buf = Buffer.alloc(0)
    let received = 0
    let stalled = false
    // The last bytes read after a stall: a complete chunked answer ends with `0\r\n\r\n`.
    let tail = ''
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      outcome.ms = performance.now() - started
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => {
      outcome.timedOut = true
      finish()
    }, ex.timeoutMs ?? 10_000)
    const drain = (): void => {
      for (let r = parseResponse(buf, outcome.closed); r !== null; ) {
        outcome.statuses.push(r.status)
        buf = buf.subarray(r.used)
        r = buf.length > 0 ? parseResponse(buf, outcome.closed) : null
      }
      if (outcome.statuses.length >= want || outcome.closed) finish()
    }
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (ex.abandonAfter !== undefined && received >= ex.abandonAfter) {
        if (ex.readAfterStall === true) tail = (tail + chunk.toString('latin1', -5)).slice(-5)
        if (stalled) return
        stalled = true
        // The status line of the answer it leaves (or stops reading), body unread.
        const head = Buffer.concat([buf, chunk])
        if (head.indexOf('\r\n\r\n') !== -1)
          outcome.statuses.push(Number(head.toString('latin1', 9, 12)))
        if (ex.readAfterStall === true) {
          socket.pause()
          setTimeout(() => socket.resume(), ex.stallMs ?? 0)
          return
        }
        if (ex.stallMs === undefined) return finish()
        socket.pause()
        setTimeout(finish, ex.stallMs)
        return
      }
      buf = Buffer.concat([buf, chunk])
      drain()
    })
    socket.on('close', () => {
      outcome.closed = true
      if (ex.readAfterStall === true) outcome.truncated = !tail.endsWith('0\r\n\r\n')
      drain()
      finish()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error = error.code ?? error.message
    })
    socket.once('connect', () => {
      void (async () => {
        for (const step of ex.send) {
          if (done) return
          if (typeof step === 'number') await pause(step)
          else if (!socket.destroyed) socket.write(step)
        }
        if (ex.end === true && !socket.destroyed) socket.end()
        if (ex.leaveAfterMs !== undefined) setTimeout(finish, ex.leaveAfterMs)
      })()
    })
  })
}

/**
 * One kept-alive connection for good requests: one request at a time, each answer read whole.
 * After a close or an error the next request reconnects.
 */
export class KeepAlive {
  readonly #port: number
  #socket: net.Socket | null = null
  #buf: Buffer = Buffer.alloc(0)
  #wake: (() => void) | null = null
  #closed = false
  #error: string | null = null

  constructor(port: number) {
    this.#port = port
  }

  /** Sends `bytes` and reads one answer, within `timeoutMs`. */
  async request(bytes: Buffer | string, timeoutMs = 10_000): Promise<Outcome> {
    const started = performance.now()
    const socket = this.#socket ?? this.#connect()
    const outcome: Outcome = {
      statuses: [],
      closed: false,
      error: null,
      timedOut: false,
      ms: 0,
      truncated: false,
    }
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        outcome.timedOut = true
        resolve()
      }, timeoutMs)
    })
    socket.write(bytes)
    for (;;) {
      const parsed = parseResponse(this.#buf, this.#closed)
      if (parsed !== null) {
        outcome.statuses.push(parsed.status)
        this.#buf = this.#buf.subarray(parsed.used)
        break
      }
      if (this.#closed || outcome.timedOut) break
      await Promise.race([new Promise<void>((resolve) => (this.#wake = resolve)), expired])
    }
    clearTimeout(timer)
    outcome.closed = this.#closed
    outcome.error = this.#error
    outcome.ms = performance.now() - started
    if (this.#closed || outcome.timedOut) this.close()
    return outcome
  }

  /** Closes the connection (the next request opens a new one). */
  close(): void {
    this.#socket?.destroy()
    this.#socket = null
  }

  #connect(): net.Socket {
    this.#buf = Buffer.alloc(0)
    this.#closed = false
    this.#error = null
    const socket = net.connect(this.#port, '127.0.0.1')
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk])
      this.#wake?.()
    })
    socket.on('close', () => {
      if (this.#socket === socket) this.#closed = true
      this.#wake?.()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.#socket === socket) this.#error = error.code ?? error.message
    })
    this.#socket = socket
    return socket
  }
}

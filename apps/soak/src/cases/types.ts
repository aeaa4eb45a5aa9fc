/**
 * @module
 * What a soak case is, and the raw-request builder the cases share.
 */
import type { Exchange } from '../raw'
import type { SoakTimeouts } from '../target'

/** What a case may use: the Host to send, tokens signed for the soak app, its timeouts. */
export interface Ctx {
  /** `127.0.0.1:<port>`. */
  readonly host: string
  /** A valid HS256 token for the soak app. */
  readonly token: string
  /** The server's timeouts (a case that waits to be cut waits past them). */
  readonly timeouts: SoakTimeouts
}

/** One hostile (or good) request shape. */
export interface Case {
  /** `class/case`, unique: the key of the summary and of the status tables. */
  readonly name: string
  /** What the client does on a fresh connection. */
  readonly exchange: (ctx: Ctx) => Exchange
  /**
   * The status this case must get, exactly: one entry for any number of responses, or one per
   * response, in order, for a pipelined exchange that expects different ones. For a `closeOk`
   * case, the statuses allowed if an answer (or its status line) arrives before the client
   * leaves; `[]` when none may.
   */
  readonly expect: readonly number[]
  /** The client gives the server nothing to answer (it leaves): closing without one is fine. */
  readonly closeOk?: boolean
  /** The server must cut this answer short (the send timeout): finishing it is wrong. */
  readonly cut?: boolean
  /** Holds its connection for seconds (slowloris): run on the slow lanes only. */
  readonly slow?: boolean
}

/** A class of hostile input: cases that attack the same thing. */
export interface HostileClass {
  readonly name: string
  readonly cases: readonly Case[]
}

/** Options of {@link raw}. */
export interface RawOptions {
  /** Header fields after Host, in order (duplicates kept). */
  headers?: readonly (readonly [string, string])[]
  /** The body; Content-Length is added unless a field already frames it. */
  body?: string | Buffer
  /** The Host value; `null` sends none. Default: the server's. */
  host?: string | null
  /** HTTP version. Default `HTTP/1.1`. */
  version?: string
}

/** Builds the bytes of one request exactly as given: nothing normalized, nothing added but framing. */
export function raw(ctx: Ctx, method: string, target: string, options: RawOptions = {}): Buffer {
  const lines = [`${method} ${target} ${options.version ?? 'HTTP/1.1'}`]
  const host = options.host === undefined ? ctx.host : options.host
  if (host !== null) lines.push(`Host: ${host}`)
  const headers = options.headers ?? []
  for (const [name, value] of headers) lines.push(`${name}: ${value}`)
  const body = options.body === undefined ? undefined : Buffer.from(options.body)
  const framed = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n))
  if (body !== undefined && !framed) lines.push(`Content-Length: ${body.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body === undefined ? head : Buffer.concat([head, body])
}

/** A case that sends one request and reads one answer. */
export function one(
  name: string,
  build: (ctx: Ctx) => Buffer | string,
  extra: Omit<Case, 'name' | 'exchange'>
): Case {
  return { name, exchange: (ctx) => ({ send: [build(ctx)] }), ...extra }
}

/** A JSON POST to `/echo/` with the content type given. */
export function postJson(ctx: Ctx, body: string | Buffer, type = 'application/json'): Buffer {
  return raw(ctx, 'POST', '/echo/', { headers: [['Content-Type', type]], body })
}

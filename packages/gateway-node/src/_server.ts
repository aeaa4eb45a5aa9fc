/**
 * Creates the node server `serve()` listens with: `node:http` by default, `node:https` with TLS
 * options, `node:http2` (secure, HTTP/1.1 still accepted) on request, with the timeouts applied.
 */
import http from 'node:http'
import http2 from 'node:http2'
import https from 'node:https'
import type { Server } from 'node:net'
import { ImproperlyConfigured } from '@cycle/core'
import { DEFAULTS, type ServeOptions } from './options'
import type { NodeHandler } from './handler'

/** Timeouts after defaults and validation. */
export interface ResolvedTimeouts {
  headers: number
  request: number
  keepAlive: number
  send: number
}

/** What was created, and how. */
export interface CreatedServer {
  server: Server
  secure: boolean
  http2: boolean
}

function ms(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `timeouts.${name} must be an integer number of milliseconds ≥ 0, got ${String(value)}.`
    )
  }
  return value
}

/** Applies defaults to `options.timeouts` and checks them. */
export function resolveTimeouts(options: ServeOptions): ResolvedTimeouts {
  const t = options.timeouts ?? {}
  const request = ms('request', t.request, DEFAULTS.requestTimeout)
  // Node rejects a headers timeout longer than the request timeout; follow its default rule.
  const headers = ms(
    'headers',
    t.headers,
    request === 0 ? DEFAULTS.headersTimeout : Math.min(DEFAULTS.headersTimeout, request)
  )
  if (request > 0 && headers > request) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `timeouts.headers (${headers}) must not exceed timeouts.request (${request}).`
    )
  }
  return {
    headers,
    request,
    keepAlive: ms('keepAlive', t.keepAlive, DEFAULTS.keepAliveTimeout),
    send: ms('send', t.send, DEFAULTS.sendTimeout),
  }
}

/** Builds the server. Validates the TLS/HTTP2 combination eagerly. */
export function createNodeServer(
  options: ServeOptions,
  listener: NodeHandler,
  timeouts: ResolvedTimeouts
): CreatedServer {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULTS.maxHeaderSize
  if (!Number.isInteger(maxHeaderSize) || maxHeaderSize <= 0) {
    throw new ImproperlyConfigured(
      'ERR_BAD_OPTION',
      `maxHeaderSize must be a positive integer, got ${String(maxHeaderSize)}.`
    )
  }
  // Node keeps at most ~1000 fields (`maxHeadersCount`) and drops the rest unseen, so the
  // gateway's RFC 9112 count (handler.ts) would miss them. Allow as many as could fit: a field
  // line counts at least 5 bytes (`a: ` CRLF), so a section cut at this many fields is over the
  // limit by that count already, and is refused.
  const maxHeadersCount = Math.floor((maxHeaderSize - 2) / 5) + 1
  const shortest = Math.min(...[timeouts.headers, timeouts.request].filter((t) => t > 0), 60_000)
  const common: http.ServerOptions = {
    maxHeaderSize,
    // The gateway answers a missing Host itself, with a problem document instead of node's bare 400.
    requireHostHeader: false,
    headersTimeout: timeouts.headers,
    requestTimeout: timeouts.request,
    keepAliveTimeout: timeouts.keepAlive,
    // Node checks the two timeouts on this interval (30 s by default); keep it well under them.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(shortest / 2))),
  }
  if (options.http2) {
    const extra = typeof options.http2 === 'object' ? options.http2 : {}
    const tls = { ...options.https, ...extra }
    if (tls.key === undefined && tls.pfx === undefined && tls.SNICallback === undefined) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        'http2 needs TLS: pass { https: { key, cert } } (browsers only speak HTTP/2 over TLS).'
      )
    }
    const server = http2.createSecureServer(
      { settings: { maxHeaderListSize: maxHeaderSize }, ...tls, allowHTTP1: true },
      listener as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void
    )
    // HTTP/1.1 connections on this server go through node's http machinery, which reads these.
    Object.assign(server, { maxHeaderSize, maxHeadersCount, keepAliveTimeout: timeouts.keepAlive })
    server.setTimeout(timeouts.request)
    server.on('checkContinue', listener as never)
    return { server, secure: true, http2: true }
  }
  if (options.https) {
    const server = https.createServer(
      { ...common, ...options.https },
      listener as http.RequestListener
    )
    // Without a 'checkContinue' listener node answers `100 Continue` to every such request
    // before the app has seen it; the request's body reader sends it instead (see NodeRequest).
    server.maxHeadersCount = maxHeadersCount
    server.on('checkContinue', listener as http.RequestListener)
    return { server, secure: true, http2: false }
  }
  const server = http.createServer(common, listener as http.RequestListener)
  server.maxHeadersCount = maxHeadersCount
  server.on('checkContinue', listener as http.RequestListener)
  return { server, secure: false, http2: false }
}

/**
 * @module
 * What trusted proxies say about the client: RFC 7239 `Forwarded`, or the de-facto
 * `X-Forwarded-For/-Proto/-Host` when there is no `Forwarded` field. Both gateways use this one
 * resolver, so the same headers give the same `remoteAddress`, `protocol` and `host` everywhere.
 *
 * The walk starts at the server's peer and goes outwards (right to left in the header), believing
 * each element only while the address it came from is trusted. A client can prepend whatever it
 * likes; it can never get past the first hop that is not trusted.
 */
import { normalizeHost } from './hosts'
import type { CompiledTrust } from './trust'
import { isIp } from './trust'

/** One element of a `Forwarded` field, or one hop of `X-Forwarded-For` (values as sent). */
export interface ForwardedElement {
  /** The client of the proxy that wrote the element (`192.0.2.60`, `"[2001:db8::1]:4711"`). */
  for?: string
  /** The proxy's own interface that received the request. */
  by?: string
  /** The scheme the proxy was asked over. */
  proto?: string
  /** The `Host` the proxy was asked for. */
  host?: string
}

/** The client as the trusted proxies describe it. */
export interface ForwardedInfo {
  /** The client address: an IP address, or `undefined` when a trusted proxy says it does not know. */
  address: string | undefined
  /** The scheme the client used. */
  protocol: 'http' | 'https'
  /** The `Host` the client asked for, when a trusted proxy says (and it is a valid host). */
  host: string | undefined
}

/** Where the resolver reads fields from: a `CycleRequest`, or anything with the same `header()`. */
export interface HeaderSource {
  /** The field's value, repeated fields joined with `, ` (as `Headers.get()` and node do). */
  header(name: string): string | null
}

/**
 * Parses a `Forwarded` field (RFC 7239 §4) into its elements, nearest proxy last. Names are
 * case-insensitive; quoted strings are unquoted (with `\` escapes); the first of a repeated
 * parameter wins; unknown parameters and malformed pairs are skipped, never fatal.
 *
 * @example
 * ```ts
 * parseForwarded('for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"')
 * // [{ for: '192.0.2.60', proto: 'https' }, { for: '[2001:db8::1]:4711' }]
 * ```
 */
export function parseForwarded(value: string): ForwardedElement[] {
  const elements: ForwardedElement[] = []
  let current: ForwardedElement = {}
  let any = false
  let i = 0
  const n = value.length
  while (i < n) {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++
    const start = i
    while (i < n && value[i] !== '=' && value[i] !== ';' && value[i] !== ',') i++
    const name = value.slice(start, i).trim().toLowerCase()
    let v = ''
    if (value[i] === '=') {
      i++
      if (value[i] === '"') {
        i++
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++
          v += value[i++]
        }
        i++ // the closing quote
      } else {
        const from = i
        while (i < n && value[i] !== ';' && value[i] !== ',') i++
        v = value.slice(from, i).trim()
      }
      if (
        (name === 'for' || name === 'by' || name === 'proto' || name === 'host') &&
        current[name] === undefined
      ) {
        current[name] = v
        any = true
      }
    }
    while (i < n && value[i] !== ';' && value[i] !== ',') i++
    if (value[i] === ',') {
      if (any) elements.push(current)
      current = {}
      any = false
    }
    i++
  }
  if (any) elements.push(current)
  return elements
}

/** The hops, nearest last: `Forwarded` when present, else `X-Forwarded-*`. */
function readHops(source: HeaderSource): ForwardedElement[] {
  const forwarded = source.header('forwarded')
  if (forwarded !== null) return parseForwarded(forwarded)
  const xff = source.header('x-forwarded-for')
  const proto = lastItem(source.header('x-forwarded-proto'))
  const host = lastItem(source.header('x-forwarded-host'))
  const hops: ForwardedElement[] = []
  if (xff !== null) {
    for (const part of xff.split(',')) {
      const item = part.trim()
      if (item !== '') hops.push({ for: item })
    }
  }
  if (proto === undefined && host === undefined) return hops
  // Proto and Host can only be tied to the nearest proxy: it is the one that received the
  // request over that scheme, for that host. (A proxy that appends to them instead of
  // overwriting them still cannot be spoofed this way.)
  const nearest = hops[hops.length - 1] ?? (hops[0] = {})
  nearest.proto = proto
  nearest.host = host
  return hops
}

function lastItem(value: string | null): string | undefined {
  if (value === null) return undefined
  const item = value.slice(value.lastIndexOf(',') + 1).trim()
  return item === '' ? undefined : item
}

/**
 * A `for` node as an address: `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.43:47011` →
 * `192.0.2.43`. `unknown`, obfuscated identifiers (`_hidden`) and garbage → `undefined`.
 */
export function nodeAddress(node: string): string | undefined {
  let address = node
  if (node.charCodeAt(0) === 91 /* [ */) {
    const end = node.indexOf(']')
    if (end === -1) return undefined
    address = node.slice(1, end)
  } else {
    const colon = node.indexOf(':')
    // One colon: IPv4 with a port. Several: a bare IPv6 address (as X-Forwarded-For writes it).
    if (colon !== -1 && colon === node.lastIndexOf(':')) address = node.slice(0, colon)
  }
  return isIp(address) ? address : undefined
}

/**
 * Resolves the client from the forwarding fields of `source`: walks the hops from the server's
 * peer outwards and believes each while the address it came from is trusted. A believed hop
 * sets the protocol (`http`/`https` only) and host (only when core's host validation accepts
 * it); its `for` becomes the next address to check. The walk stops at the first untrusted
 * address, at a hop without `for` (the last believed address stands), or at a `for` that is not
 * an IP address (`unknown`, `_obfuscated`: the address is then `undefined`, never a made-up string).
 *
 * @param source the request (its `header()` joins repeated fields, so several
 *   `X-Forwarded-For` lines read as one list)
 * @param peerAddress the socket's remote address; `undefined` when the platform does not say
 * @param peerProtocol the scheme of the connection itself
 * @param trust `compileTrust(options.trustProxy)` (call only when it is not `null`)
 * @returns the client address, protocol and host
 */
export function resolveForwarded(
  source: HeaderSource,
  peerAddress: string | undefined,
  peerProtocol: 'http' | 'https',
  trust: CompiledTrust
): ForwardedInfo {
  const info: ForwardedInfo = { address: peerAddress, protocol: peerProtocol, host: undefined }
  if (!trust(peerAddress, 0)) return info
  const hops = readHops(source)
  let address = peerAddress
  for (let i = hops.length - 1, hop = 0; i >= 0; i--, hop++) {
    if (hop > 0 && !trust(address, hop)) break
    const element = hops[i] as ForwardedElement
    const proto = element.proto?.toLowerCase()
    if (proto === 'http' || proto === 'https') info.protocol = proto
    if (element.host !== undefined && normalizeHost(element.host) !== null) info.host = element.host
    if (element.for === undefined) break
    address = info.address = nodeAddress(element.for)
    if (address === undefined) break
  }
  return info
}

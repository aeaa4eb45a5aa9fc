/**
 * Trust-proxy support: which hops to believe, and what they say about the client
 * (RFC 7239 `Forwarded`, or the de-facto `X-Forwarded-For/Proto/Host`).
 */
import { BlockList, isIP } from 'node:net'
import { ImproperlyConfigured, normalizeHost } from '@cycle/core'
import type { TrustProxy } from './options'

/** Decides whether the hop at `address`, `hop` steps away from the server, is trusted. */
export type TrustFn = (address: string, hop: number) => boolean

/** What one proxy says about the request it received. */
interface Hop {
  for: string | undefined
  proto: string | undefined
  host: string | undefined
}

/** The client as the trusted proxies describe it. */
export interface ForwardedInfo {
  address: string | undefined
  protocol: 'http' | 'https'
  host: string | undefined
}

/** Compiles the `trustProxy` option; `null` means "trust nobody" (the fast path). */
export function compileTrust(option: TrustProxy | undefined): TrustFn | null {
  if (option === undefined || option === false) return null
  if (option === true) return () => true
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 0) {
      throw new ImproperlyConfigured(
        'ERR_BAD_OPTION',
        `trustProxy hops must be an integer ≥ 0, got ${option}.`
      )
    }
    return option === 0 ? null : (_address, hop) => hop < option
  }
  if (typeof option === 'function') return option
  if (Array.isArray(option)) {
    const list = new BlockList()
    for (const entry of option as readonly string[]) {
      const [ip = '', bits] = String(entry).split('/')
      const family = isIP(ip)
      if (family === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
        throw new ImproperlyConfigured(
          'ERR_BAD_OPTION',
          `trustProxy: ${JSON.stringify(entry)} is not an IP address or CIDR range.`
        )
      }
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (bits === undefined) list.addAddress(ip, type)
      else list.addSubnet(ip, Number(bits), type)
    }
    return (address) => {
      const family = isIP(address)
      if (family === 0) return false
      if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true
      // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
      return (
        address.startsWith('::ffff:') &&
        isIP(address.slice(7)) === 4 &&
        list.check(address.slice(7), 'ipv4')
      )
    }
  }
  throw new ImproperlyConfigured(
    'ERR_BAD_OPTION',
    'trustProxy must be a boolean, a hop count, a list of addresses or a function.'
  )
}

/**
 * Walks the hops from the server outwards while each one is trusted: a trusted proxy's own
 * element says who its client was (and over which protocol and host it was asked).
 */
export function resolveForwarded(
  headers: Record<string, string | string[] | undefined>,
  socketAddress: string | undefined,
  socketProtocol: 'http' | 'https',
  trust: TrustFn
): ForwardedInfo {
  const hops = readHops(headers)
  const info: ForwardedInfo = { address: socketAddress, protocol: socketProtocol, host: undefined }
  let address = socketAddress
  for (let i = hops.length - 1, hop = 0; i >= 0; i--, hop++) {
    if (address === undefined || !trust(address, hop)) break
    const h = hops[i] as Hop
    const proto = h.proto?.toLowerCase()
    if (proto === 'http' || proto === 'https') info.protocol = proto
    if (h.host !== undefined && normalizeHost(h.host) !== null) info.host = h.host
    if (h.for === undefined) break
    address = info.address = h.for
  }
  return info
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

function lastItem(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const item = value.slice(value.lastIndexOf(',') + 1).trim()
  return item === '' ? undefined : item
}

function readHops(headers: Record<string, string | string[] | undefined>): Hop[] {
  const forwarded = first(headers['forwarded'])
  if (forwarded !== undefined) return parseForwarded(forwarded)
  const xff = first(headers['x-forwarded-for'])
  const proto = lastItem(first(headers['x-forwarded-proto']))
  const host = lastItem(first(headers['x-forwarded-host']))
  if (xff === undefined && proto === undefined && host === undefined) return []
  const hops: Hop[] = (xff ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => ({ for: stripPort(s), proto: undefined, host: undefined }))
  // Only the nearest proxy's Proto/Host can be believed; they describe the request it received.
  if (hops.length === 0) hops.push({ for: undefined, proto, host })
  else Object.assign(hops[hops.length - 1] as Hop, { proto, host })
  return hops
}

/** Parses RFC 7239 `Forwarded`: `for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`. */
export function parseForwarded(value: string): Hop[] {
  const hops: Hop[] = []
  let hop: Hop = { for: undefined, proto: undefined, host: undefined }
  let i = 0
  const n = value.length
  while (i < n) {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++
    const eq = value.indexOf('=', i)
    if (eq === -1) break
    const key = value.slice(i, eq).trim().toLowerCase()
    i = eq + 1
    let v = ''
    if (value[i] === '"') {
      i++
      while (i < n && value[i] !== '"') {
        if (value[i] === '\\') i++
        v += value[i] ?? ''
        i++
      }
      i++
    } else {
      const start = i
      while (i < n && value[i] !== ';' && value[i] !== ',') i++
      v = value.slice(start, i).trim()
    }
    if (key === 'for') hop.for = stripPort(v)
    else if (key === 'proto') hop.proto = v
    else if (key === 'host') hop.host = v
    while (i < n && value[i] !== ';' && value[i] !== ',') i++
    if (value[i] === ',' || i >= n) {
      hops.push(hop)
      hop = { for: undefined, proto: undefined, host: undefined }
    }
    i++
  }
  if (hop.for !== undefined || hop.proto !== undefined || hop.host !== undefined) hops.push(hop)
  return hops
}

/** `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.43:47011` → `192.0.2.43`. */
function stripPort(node: string): string {
  if (node.charCodeAt(0) === 91 /* [ */) {
    const end = node.indexOf(']')
    return end === -1 ? node : node.slice(1, end)
  }
  const colon = node.indexOf(':')
  return colon !== -1 && colon === node.lastIndexOf(':') ? node.slice(0, colon) : node
}

/**
 * @module
 * The `trustProxy` option both gateways take, and its compiled form: which hops between the
 * client and the server are believed about the request they forwarded.
 */
import { inCidr, parseCidr, parseIp, type Cidr } from './_ip'
import { ImproperlyConfigured } from './codes'

/**
 * Which proxies to believe about the client (`Forwarded`, `X-Forwarded-For/-Proto/-Host`).
 * Hop 0 is the server's peer (the socket address), hop 1 the address hop 0 says it got the
 * request from, and so on outwards.
 *
 * - `false` (default): believe nobody; everything comes from the connection.
 * - `true`: believe every hop (only when nothing can reach the server except through your proxies).
 * - a number `n`: believe the `n` nearest hops.
 * - a list of addresses and CIDR ranges (`'10.0.0.0/8'`, `'::1'`, `'2001:db8::/32'`): believe a
 *   hop whose address is in the list (`::ffff:a.b.c.d` matches the IPv4 entries).
 * - a function `(address, hop) => boolean`.
 *
 * The list and the function need the peer's address: where the platform gives none (workerd,
 * or gateway-fetch without `getRemoteAddress`), hop 0 is not believed and nothing is.
 */
export type TrustProxy =
  | boolean
  | number
  | readonly string[]
  | ((address: string, hop: number) => boolean)

/**
 * A compiled {@link TrustProxy}: whether the hop at `address` (`undefined` when the platform does
 * not know it), `hop` steps from the server, is believed.
 */
export type CompiledTrust = (address: string | undefined, hop: number) => boolean

function bad(message: string): never {
  throw new ImproperlyConfigured('ERR_BAD_OPTION', `trustProxy: ${message}`)
}

/** Compiles a list of addresses and CIDR ranges, refusing any entry that is neither. */
function compileList(entries: readonly unknown[]): CompiledTrust | null {
  const ranges: Cidr[] = []
  for (const entry of entries) {
    const range = typeof entry === 'string' ? parseCidr(entry.trim()) : null
    if (range === null) {
      bad(
        `${JSON.stringify(entry)} is not an IP address or CIDR range. Write addresses and ranges ` +
          `like '127.0.0.1', '10.0.0.0/8', '::1' or '2001:db8::/32' (no ports, brackets or zone ids).`
      )
    }
    ranges.push(range)
  }
  if (ranges.length === 0) return null
  return function trustList(address) {
    if (address === undefined) return false
    const groups = parseIp(address)
    if (groups === null) return false
    for (const range of ranges) if (inCidr(groups, range)) return true
    return false
  }
}

/**
 * Validates and compiles the `trustProxy` option once, when the gateway is created.
 *
 * @param option the user's `trustProxy`
 * @returns the compiled rule, or `null` for "trust nobody" (`false`, `0`, `[]` or unset): the
 *   gateway then reads no forwarding header at all
 * @throws ImproperlyConfigured (`ERR_BAD_OPTION`) naming what to fix
 * @example
 * ```ts
 * const trust = compileTrust(['10.0.0.0/8'])
 * trust?.('10.1.2.3', 0) // true
 * ```
 */
export function compileTrust(option: TrustProxy | undefined): CompiledTrust | null {
  if (option === undefined || option === false) return null
  if (option === true) return () => true
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 0) {
      bad(`a hop count must be an integer ≥ 0 (the number of proxies in front), got ${option}.`)
    }
    return option === 0 ? null : (_address, hop) => hop < option
  }
  if (typeof option === 'function') {
    return (address, hop) => address !== undefined && option(address, hop) === true
  }
  if (Array.isArray(option)) return compileList(option as readonly unknown[])
  return bad(
    'expected true or false, a hop count, a list of addresses and CIDR ranges, or a function ' +
      `(address, hop) => boolean; got ${JSON.stringify(option) ?? String(option)}.`
  )
}

/**
 * Whether `text` is an IPv4 or IPv6 address (an IPv6 zone id allowed), as a forwarded `for`
 * value must be before it becomes `request.remoteAddress`.
 */
export function isIp(text: string): boolean {
  return parseIp(text) !== null
}

/**
 * IP addresses and CIDR ranges, parsed by hand (core cannot use `node:net`). Every address is
 * held as eight 16-bit groups; an IPv4 address is held as its IPv4-mapped IPv6 form
 * (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2), so `10.1.2.3` and `::ffff:10.1.2.3` (what a dual-stack
 * socket reports for an IPv4 peer) are the same address and match the same ranges.
 */

/** Eight 16-bit groups. */
export type Groups = number[]

/** A parsed CIDR range: the address and how many leading bits (of 128) must match. */
export interface Cidr {
  readonly groups: Groups
  readonly bits: number
}

const DIGITS = /^(?:0|[1-9]\d{0,2})$/
const HEX = /^[0-9a-fA-F]{1,4}$/
// RFC 6874 zone ids are interface names or numbers; anything printable without separators.
const ZONE = /^[\w.~-]+$/

/** Parses dotted IPv4 (`192.0.2.1`) into two groups; no leading zeros (they read as octal elsewhere). */
function parseV4(text: string, out: Groups): boolean {
  const parts = text.split('.')
  if (parts.length !== 4) return false
  const bytes: number[] = []
  for (const part of parts) {
    if (!DIGITS.test(part)) return false
    const n = Number(part)
    if (n > 255) return false
    bytes.push(n)
  }
  out.push(((bytes[0] as number) << 8) | (bytes[1] as number))
  out.push(((bytes[2] as number) << 8) | (bytes[3] as number))
  return true
}

/** Parses the groups of one side of `::` (possibly ending in dotted IPv4 when `last`). */
function parseGroups(text: string, last: boolean, out: Groups): boolean {
  if (text === '') return true
  const parts = text.split(':')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string
    if (last && i === parts.length - 1 && part.includes('.')) {
      if (!parseV4(part, out)) return false
    } else if (HEX.test(part)) out.push(parseInt(part, 16))
    else return false
  }
  return true
}

function parseV6(text: string): Groups | null {
  const gap = text.indexOf('::')
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return null // at most one `::`
  const head: Groups = []
  const tail: Groups = []
  if (gap === -1) {
    if (!parseGroups(text, true, head) || head.length !== 8) return null
    return head
  }
  if (!parseGroups(text.slice(0, gap), false, head)) return null
  if (!parseGroups(text.slice(gap + 2), true, tail)) return null
  // `::` stands for one or more zero groups (RFC 4291 §2.2).
  const zeros = 8 - head.length - tail.length
  if (zeros < 1) return null
  return [...head, ...new Array<number>(zeros).fill(0), ...tail]
}

/**
 * Parses an IPv4 or IPv6 address. An IPv6 zone id (`fe80::1%eth0`) is accepted and ignored: the
 * address part decides what it matches. Brackets, ports and anything else are refused.
 *
 * @returns the eight groups, or `null` when `text` is not an address
 */
export function parseIp(text: string): Groups | null {
  if (text.length === 0 || text.length > 64) return null
  if (!text.includes(':')) {
    const out: Groups = [0, 0, 0, 0, 0, 0xffff]
    return parseV4(text, out) ? out : null
  }
  const percent = text.indexOf('%')
  if (percent !== -1) {
    if (!ZONE.test(text.slice(percent + 1))) return null
    text = text.slice(0, percent)
  }
  return parseV6(text)
}

/**
 * Parses `address` or `address/bits`. IPv4 prefixes count from 0 to 32, IPv6 ones from 0 to 128.
 * Bits past the prefix are ignored (`10.1.2.3/8` is `10.0.0.0/8`), as `node:net`'s BlockList does.
 *
 * @returns the range, or `null` when `text` is not an address or range (zone ids are refused:
 *   a range on one interface is not something a proxy list can express)
 */
export function parseCidr(text: string): Cidr | null {
  if (text.includes('%')) return null
  const slash = text.indexOf('/')
  const address = slash === -1 ? text : text.slice(0, slash)
  const groups = parseIp(address)
  if (groups === null) return null
  const v4 = !address.includes(':')
  if (slash === -1) return { groups, bits: 128 }
  const prefix = text.slice(slash + 1)
  if (!DIGITS.test(prefix)) return null
  const n = Number(prefix)
  if (n > (v4 ? 32 : 128)) return null
  return { groups, bits: v4 ? 96 + n : n }
}

/** Whether `address` lies in `range`. */
export function inCidr(address: Groups, range: Cidr): boolean {
  let bits = range.bits
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff
    if (((address[i] as number) & mask) !== ((range.groups[i] as number) & mask)) return false
  }
  return true
}

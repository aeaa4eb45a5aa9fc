/**
 * @module
 * Reading what a trusted reverse proxy says about the original request: RFC 7239 `Forwarded`
 * first, then the de-facto `X-Forwarded-Proto`, `X-Forwarded-For` and `X-Forwarded-Host`.
 *
 * Only used with `trustProxy: true`: these headers are client-controlled unless a proxy in
 * front of the app overwrites them, so believing them by default would let anyone spoof their
 * address, scheme or host.
 */

/** What the proxy headers say; a field is `undefined` when no header gives it. */
export interface ForwardedInfo {
  /** Original scheme. */
  proto: 'http' | 'https' | undefined
  /** Original `Host`. */
  host: string | undefined
  /** Original client address (without port or brackets). */
  for: string | undefined
}

type Get = (name: string) => string | null

/**
 * Reads the proxy headers. Per list-valued header the first (left-most) entry is used: it is
 * the one the first proxy, nearest the client, wrote.
 */
export function readForwarded(get: Get): ForwardedInfo {
  const info: ForwardedInfo = { proto: undefined, host: undefined, for: undefined }
  const forwarded = get('forwarded')
  if (forwarded !== null) {
    const first = parseForwarded(forwarded)[0]
    if (first !== undefined) {
      info.proto = scheme(first['proto'])
      info.host = nonEmpty(first['host'])
      info.for = address(first['for'])
    }
  }
  info.proto ??= scheme(firstEntry(get('x-forwarded-proto')))
  info.host ??= nonEmpty(firstEntry(get('x-forwarded-host')))
  info.for ??= address(firstEntry(get('x-forwarded-for')))
  return info
}

/**
 * Parses a `Forwarded` header (RFC 7239 §4) into its elements, each a map of lower-case
 * parameter names to unquoted values. Malformed pairs are skipped, not fatal.
 */
export function parseForwarded(value: string): Record<string, string>[] {
  const elements: Record<string, string>[] = []
  let current: Record<string, string> = {}
  let i = 0
  const n = value.length
  while (i < n) {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++
    let name = ''
    while (i < n && value[i] !== '=' && value[i] !== ';' && value[i] !== ',') name += value[i++]
    let v = ''
    if (value[i] === '=') {
      i++
      if (value[i] === '"') {
        i++
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++
          v += value[i++]
        }
        i++ // closing quote
      } else {
        while (i < n && value[i] !== ';' && value[i] !== ',') v += value[i++]
      }
    }
    const key = name.trim().toLowerCase()
    if (key !== '' && !(key in current)) current[key] = v.trim()
    while (i < n && value[i] !== ';' && value[i] !== ',') i++
    if (value[i] === ',') {
      elements.push(current)
      current = {}
    }
    i++
  }
  elements.push(current)
  return elements.filter((e) => Object.keys(e).length > 0)
}

function firstEntry(value: string | null): string | undefined {
  if (value === null) return undefined
  const comma = value.indexOf(',')
  return (comma === -1 ? value : value.slice(0, comma)).trim()
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function scheme(value: string | undefined): 'http' | 'https' | undefined {
  const v = value?.toLowerCase()
  return v === 'http' || v === 'https' ? v : undefined
}

/** `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`; `unknown` and obfuscated ids → undefined. */
function address(value: string | undefined): string | undefined {
  if (
    value === undefined ||
    value === '' ||
    value.toLowerCase() === 'unknown' ||
    value[0] === '_'
  ) {
    return undefined
  }
  if (value[0] === '[') {
    const end = value.indexOf(']')
    return end === -1 ? undefined : value.slice(1, end)
  }
  const colon = value.indexOf(':')
  // One colon: IPv4 with a port. Several: a bare IPv6 address (X-Forwarded-For style).
  if (colon !== -1 && value.indexOf(':', colon + 1) === -1) return value.slice(0, colon)
  return value
}

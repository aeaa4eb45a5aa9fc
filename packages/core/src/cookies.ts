/**
 * @module
 * Cookie header parsing (RFC 6265 §5.4), lenient like browsers: bad pairs are skipped, never thrown.
 */

/** Parses a `Cookie` header into a name → value map (first occurrence wins, values decoded). */
export function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  if (!header) return out
  let start = 0
  const len = header.length
  while (start < len) {
    let end = header.indexOf(';', start)
    if (end === -1) end = len
    const eq = header.indexOf('=', start)
    if (eq !== -1 && eq < end) {
      const name = header.slice(start, eq).trim()
      if (name && !(name in out)) {
        let value = header.slice(eq + 1, end).trim()
        if (value.length > 1 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
          value = value.slice(1, -1)
        }
        out[name] = value.includes('%') ? safeDecode(value) : value
      }
    }
    start = end + 1
  }
  return out
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

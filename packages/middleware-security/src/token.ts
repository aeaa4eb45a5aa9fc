/**
 * @module
 * Signed CSRF tokens for the double-submit mode: `random.mac`, where `mac` is an HMAC-SHA256
 * (WebCrypto) of the random part and an optional binding (a session id), so a value planted in
 * the cookie by someone who cannot sign (a sibling subdomain, a man in the middle on plain HTTP)
 * is refused.
 */

const encoder = new TextEncoder()

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i] as number)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const TOKEN = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/

/** Signs and checks tokens with one key (imported once, on first use). */
export class TokenSigner {
  #secret: Uint8Array<ArrayBuffer>
  #key: Promise<CryptoKey> | undefined

  constructor(secret: string) {
    this.#secret = new Uint8Array(encoder.encode(secret))
  }

  #getKey(): Promise<CryptoKey> {
    return (this.#key ??= crypto.subtle.importKey(
      'raw',
      this.#secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify']
    ))
  }

  /** A new token bound to `binding` (empty for none). */
  async issue(binding: string): Promise<string> {
    const random = base64url(crypto.getRandomValues(new Uint8Array(18)))
    const mac = await crypto.subtle.sign(
      'HMAC',
      await this.#getKey(),
      encoder.encode(`${random}\0${binding}`)
    )
    return `${random}.${base64url(new Uint8Array(mac))}`
  }

  /** Whether `token` was issued by this signer for `binding` (constant-time MAC check). */
  async verify(token: string, binding: string): Promise<boolean> {
    const m = TOKEN.exec(token)
    if (m === null) return false
    const mac = decode(m[2] as string)
    if (mac === null) return false
    return crypto.subtle.verify(
      'HMAC',
      await this.#getKey(),
      mac,
      encoder.encode(`${m[1] as string}\0${binding}`)
    )
  }
}

function decode(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    const out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  } catch {
    return null
  }
}

/** Compares two strings in time that depends only on their lengths. */
export function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

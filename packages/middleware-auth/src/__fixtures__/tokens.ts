/**
 * @module
 * Hand-made tokens for hostile-input tests: an HS256 token over a payload written exactly as
 * given (`1e400` stays `1e400`, which no JSON serializer would write), and a respelling of a
 * token's signature that decodes to the same bytes.
 */
import { encodeBase64Url } from '../_internal/base64'

/** The secret {@link hs256} signs with unless given another. */
export const TOKEN_SECRET = 'a-test-secret-that-is-32-bytes-long!'
const encoder = new TextEncoder()
const b64 = (text: string): string => encodeBase64Url(encoder.encode(text))

/** An HS256 token over the payload exactly as written (`1e400` stays `1e400`). */
export async function hs256(payloadText: string, secret: string = TOKEN_SECRET): Promise<string> {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(payloadText)}`
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign']
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input)))
  return `${input}.${encodeBase64Url(mac)}`
}

/** The same signature bytes, spelled with non-zero spare bits in the last character. */
export function respell(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(token.slice(-1))
  // HS256 MACs are 32 bytes: 43 characters, the last with 2 spare bits.
  return token.slice(0, -1) + alphabet.charAt(last | 1)
}
